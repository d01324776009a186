"""Acts of the accounts package (see ``access.Act``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuoyu.kernel.accounts.access import Act, Reach, permits
from tuoyu.kernel.accounts.models import Role

if TYPE_CHECKING:
    from tuoyu.kernel.accounts.models import User

MANAGE_ACCOUNTS = Act(
    "accounts.manage",
    "开通和管理账号",
    frozenset({Role.REGULATOR, Role.ADMIN}),
    Reach.REGION,
)


# Which posts an account manager may create: a regulator staffs its own jurisdiction's departments
# and institutions; only a platform admin creates regulators and other admins.
CREATABLE_ROLES = {
    Role.REGULATOR: frozenset(
        {Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN}
    ),
    Role.ADMIN: frozenset(Role),
}


def creatable_roles(user: User) -> frozenset[Role]:
    return (
        CREATABLE_ROLES.get(Role(user.role), frozenset()) if permits(user, MANAGE_ACCOUNTS) else frozenset()
    )


def may_create_post(user: User, role: Role, region_path: str) -> bool:
    """Whether this account manager may open an account of ``role`` in the region at ``region_path``."""
    return role in creatable_roles(user) and region_path.startswith(user.region.path)
