"""Who may see and change what: decided here and nowhere else.

Every model that holds regulated or personal data declares an ``access_scope`` (a ``Scope``): the
ORM paths from its rows to a region path, an institution and a guardian, and which roles may view
or change it. ``scoped(user, queryset, action)`` turns the user's post into one SQL filter; every
page, API endpoint and export obtains its rows through it (or through ``get_for``, which does the
same for one row). Nothing else in the code base filters by jurisdiction.

Rules:
- regulators, inspectors, experts, platform admins: rows whose region lies in their jurisdiction;
- department officers: the same, narrowed by what their department's duty needs
  (``Scope.departments``), and never personal data of children or families;
- institution managers and caregivers: rows of the institution they work at;
- guardians: rows about their own children;
- anyone else, including anonymous visitors: nothing (public pages use ``public_*`` selectors
  built on ``published``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet

from tuoyu.accounts.actor import Actor
from tuoyu.accounts.models import Department, Role

if TYPE_CHECKING:
    from tuoyu.accounts.models import User

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


class AccessDenied(Exception):
    """The user may not see or change this row. Views answer 404, so existence is not revealed."""

    message = "没有找到该记录，或您无权访问。"


class PageNotForRole(PermissionDenied):
    """A whole page this post has no use of (a family opening the regulator's ledger): 403 with a
    Chinese reason, never an empty page that reads as "nothing here"."""


def require_page(user: User, allowed: bool, reason: str) -> None:
    if not allowed:
        raise PageNotForRole(reason)


@dataclass(frozen=True)
class Scope:
    """How a model's rows are reached; every lookup is an ORM path from the model."""

    region: tuple[str, ...] = ()
    institution: str | None = None
    guardian: str | None = None
    view: frozenset[Role] = frozenset()
    change: frozenset[Role] = frozenset()
    # Department officers see only rows that their department's duty needs; a department not
    # listed sees nothing of this model.
    departments: Mapping[Department, Q] = field(default_factory=dict)
    # The rows anyone, signed in or not, may see through the public pages (None: no row).
    public: Q | None = None
    # For personal rows (an inbox): the path to the owning user; then each user sees only their own.
    owner: str | None = None

    def roles(self, action: Action) -> frozenset[Role]:
        return self.view if action is Action.VIEW else self.change


# Regions sit below accounts in the layering, so their scope is declared here rather than on the
# model: a regional post sees the regions of its jurisdiction; region figures are not personal.
_REGION_SCOPE = Scope(
    region=("path",),
    view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.ADMIN}),
    change=frozenset({Role.ADMIN}),
    departments={department: Q() for department in Department},
    public=Q(),
)


# The working-day calendar is national: every post reads it, only platform admins change it.
_CALENDAR_SCOPE = Scope(view=frozenset(Role), change=frozenset({Role.ADMIN}), public=Q())


# Accounts are managed within a jurisdiction: regulators and platform admins of a region manage
# the accounts whose region lies in it.
_USER_SCOPE = Scope(
    region=("region__path",),
    view=frozenset({Role.REGULATOR, Role.ADMIN}),
    change=frozenset({Role.REGULATOR, Role.ADMIN}),
)


def _scope_of(model: type[models.Model]) -> Scope:
    if model._meta.label_lower == "accounts.user":
        return _USER_SCOPE
    if model._meta.label_lower == "regions.region":
        return _REGION_SCOPE
    if model._meta.label_lower == "regions.calendarday":
        return _CALENDAR_SCOPE
    scope = getattr(model, "access_scope", None)
    if not isinstance(scope, Scope):
        raise TypeError(f"{model.__name__} declares no access_scope; it cannot be read through access.scoped")
    return scope


def _region_filter(scope: Scope, region_path: str) -> Q:
    condition = Q(pk__in=[])
    for lookup in scope.region:
        condition |= Q(**{f"{lookup}__startswith": region_path})
    return condition


def _filter_for(user: User, scope: Scope, action: Action) -> Q | None:
    """The row filter for this user, or None when the user may see nothing of the model."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    role = Role(user.role)
    if role not in scope.roles(action):
        return None
    if scope.owner is not None:
        return Q(**{scope.owner: user.pk})
    if role in (Role.REGULATOR, Role.INSPECTOR, Role.EXPERT, Role.ADMIN):
        if not user.region_id or not scope.region:
            return None
        return _region_filter(scope, user.region.path)
    if role is Role.DEPARTMENT:
        duty = scope.departments.get(Department(user.department)) if user.department else None
        if duty is None or not user.region_id or not scope.region:
            return None
        return _region_filter(scope, user.region.path) & duty
    if role in (Role.MANAGER, Role.CAREGIVER):
        if scope.institution is None:
            return None
        institution_ids = user.memberships.filter(active=True).values("institution_id")
        return Q(**{f"{scope.institution}__in": institution_ids})
    if role is Role.GUARDIAN:
        if scope.guardian is None:
            return None
        return Q(**{scope.guardian: user.pk})
    return None


def scoped(user: User, queryset: QuerySet[M], action: Action = Action.VIEW) -> QuerySet[M]:
    """The rows of ``queryset`` this user may see (or change): the one jurisdiction filter."""
    condition = _filter_for(user, _scope_of(queryset.model), action)
    if condition is None:
        return queryset.none()
    # Filter through a sub-select on the primary key so that paths over many-valued relations
    # (a child's several guardians) never duplicate rows, on SQLite and PostgreSQL alike.
    allowed = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=allowed)


def published(queryset: QuerySet[M]) -> QuerySet[M]:
    """The rows of ``queryset`` that are published to the public (信息公示)."""
    condition = _scope_of(queryset.model).public
    return queryset.none() if condition is None else queryset.filter(condition)


def get_for(user: User, queryset: QuerySet[M] | type[M], pk: Any, action: Action = Action.VIEW) -> M:
    """One row the user may see (or change), or AccessDenied — also when it does not exist."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        return scoped(user, queryset, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise AccessDenied from None


def can(user: User, obj: models.Model, action: Action = Action.VIEW) -> bool:
    return scoped(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


def require(user: User, obj: models.Model, action: Action = Action.VIEW) -> None:
    if not can(user, obj, action):
        raise AccessDenied


def require_actor(actor: Actor, obj: models.Model, action: Action) -> None:
    """Services call this: a person acting must hold the access; the system itself (CLI, jobs) does."""
    if actor.user is not None:
        require(actor.user, obj, action)


def require_create(actor: Actor, model: type[models.Model], within: models.Model) -> None:
    """Creating a row of ``model`` inside ``within`` (an institution …) needs the model's change
    role and change access to the container."""
    if actor.user is None:
        return
    if Role(actor.user.role) not in _scope_of(model).change:
        raise AccessDenied
    require(actor.user, within, Action.CHANGE)


def can_list(user: User, model: type[models.Model], action: Action = Action.VIEW) -> bool:
    """Whether this user's post gives any access to the model at all (for menus and 403 pages)."""
    return _filter_for(user, _scope_of(model), action) is not None


class Duty(StrEnum):
    """Acts that belong to one post whatever rows it can reach."""

    ACT_FOR_INSTITUTION = "act_for_institution"  # file, sign the 承诺书, submit, withdraw
    DECIDE_FILINGS = "decide_filings"  # review, return, issue receipts (P23: the county department)
    IMPORT_LEDGER = "import_ledger"
    PLAN = "plan"
    READ_AUDIT = "read_audit"
    RUN_ROUNDS = "run_rounds"  # organise admission rounds and their public lotteries (003 §四(三))
    MANAGE_ACCOUNTS = "manage_accounts"
    APPLY_FOR_CHILDREN = "apply_for_children"  # a family's own applications (001 §四12 入托网上约)
    MANAGE_CALENDAR = "manage_calendar"  # public holidays and adjusted working days (the filing clocks)


def has_duty(user: User, duty: Duty) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    role = Role(user.role)
    if duty is Duty.ACT_FOR_INSTITUTION:
        return role is Role.MANAGER
    if duty is Duty.DECIDE_FILINGS:
        # 000 §三(六)3, 备案办法: filings are decided by the county-level health department.
        return role is Role.REGULATOR and user.region is not None and user.region.level == "county"
    if duty is Duty.IMPORT_LEDGER:
        return role in (Role.REGULATOR, Role.ADMIN) and user.region_id is not None
    if duty is Duty.PLAN:
        return role in (Role.REGULATOR, Role.ADMIN, Role.EXPERT) and user.region_id is not None
    if duty is Duty.READ_AUDIT:
        return role in (Role.REGULATOR, Role.ADMIN)
    if duty is Duty.RUN_ROUNDS:
        # Rounds are organised by the county department, like filings (003 §四(三)).
        return role is Role.REGULATOR and user.region is not None and user.region.level == "county"
    if duty is Duty.MANAGE_ACCOUNTS:
        return role in (Role.REGULATOR, Role.ADMIN) and user.region_id is not None
    if duty is Duty.APPLY_FOR_CHILDREN:
        return role is Role.GUARDIAN
    if duty is Duty.MANAGE_CALENDAR:
        # The working-day calendar is national: the platform's administrators keep it.
        return role is Role.ADMIN
    return False


def require_duty(actor: Actor | User, duty: Duty) -> None:
    """Refuse unless the acting person holds the duty; the system itself (CLI, jobs) always does."""
    user = actor.user if isinstance(actor, Actor) else actor
    if user is not None and not has_duty(user, duty):
        raise AccessDenied


# Which posts an account manager may create: a regulator staffs its own jurisdiction's departments
# and institutions; only a platform admin creates regulators and other admins.
CREATABLE_ROLES = {
    Role.REGULATOR: frozenset({Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.MANAGER, Role.CAREGIVER, Role.GUARDIAN}),
    Role.ADMIN: frozenset(Role),
}


def creatable_roles(user: User) -> frozenset[Role]:
    return CREATABLE_ROLES.get(Role(user.role), frozenset()) if has_duty(user, Duty.MANAGE_ACCOUNTS) else frozenset()


def region_path_of(obj: models.Model) -> str:
    """The region path a row belongs to, following its scope's first resolvable region lookup."""
    for lookup in _scope_of(type(obj)).region:
        value: Any = obj
        for part in lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        if isinstance(value, str) and value:
            return value
    return ""
