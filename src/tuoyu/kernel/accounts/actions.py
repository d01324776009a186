"""Acts of the accounts package (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Reach
from tuoyu.kernel.accounts.models import Role

MANAGE_ACCOUNTS = Act(
    "accounts.manage", "开通和管理账号", frozenset({Role.REGULATOR, Role.ADMIN}), Reach.REGION,
)
