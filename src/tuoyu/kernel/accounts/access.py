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

from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import INSTITUTION_ROLES, REGIONAL_ROLES, Department, Role
from tuoyu.kernel.regions.models import Level

if TYPE_CHECKING:
    from tuoyu.kernel.accounts.models import User

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


# Models of the apps below accounts in the layering (regions) and accounts' own User cannot import
# Scope, so their scopes are declared here, by model label.
_KERNEL_SCOPES = {
    # A regional post sees the regions of its jurisdiction; region figures are not personal.
    "regions.region": Scope(
        region=("path",),
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.ADMIN}),
        change=frozenset({Role.ADMIN}),
        departments={department: Q() for department in Department},
        public=Q(),
    ),
    # A region's population figures: the denominators of places per 1000, read like the regions;
    # changed by the posts that may import them (registry.actions.IMPORT_POPULATION).
    "regions.population": Scope(
        region=("region__path",),
        view=frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.INSPECTOR, Role.EXPERT, Role.ADMIN}),
        change=frozenset({Role.REGULATOR, Role.ADMIN}),
        departments={department: Q() for department in Department},
    ),
    # The working-day calendar is national: every post reads it, only platform admins change it.
    "regions.calendarday": Scope(view=frozenset(Role), change=frozenset({Role.ADMIN}), public=Q()),
    # Accounts are managed within a jurisdiction: regulators and platform admins of a region manage
    # the accounts whose region lies in it.
    "accounts.user": Scope(
        region=("region__path",),
        view=frozenset({Role.REGULATOR, Role.ADMIN}),
        change=frozenset({Role.REGULATOR, Role.ADMIN}),
    ),
}


def _scope_of(model: type[models.Model]) -> Scope:
    scope = _KERNEL_SCOPES.get(model._meta.label_lower) or getattr(model, "access_scope", None)
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
    if actor.user is not None and not can_create(actor.user, model, within):
        raise AccessDenied


def can_create(user: User, model: type[models.Model], within: models.Model) -> bool:
    """Whether ``require_create`` lets this user add a ``model`` row to ``within`` (for forms)."""
    if not (user and user.is_authenticated) or Role(user.role) not in _scope_of(model).change:
        return False
    return can(user, within, Action.CHANGE)


def can_list(user: User, model: type[models.Model], action: Action = Action.VIEW) -> bool:
    """Whether this user's post gives any access to the model at all (for menus and 403 pages)."""
    return _filter_for(user, _scope_of(model), action) is not None


class Reach(StrEnum):
    """What a post must be besides its role to take an act."""

    ANYWHERE = "anywhere"  # the role suffices
    REGION = "region"  # the post has a jurisdiction
    COUNTY = "county"  # the post's jurisdiction is a county (the county department decides, P23)


@dataclass(frozen=True)
class Act:
    """A named act and the posts that may take it, declared once by the package that owns the work
    (each app's ``actions`` module); the checks below only evaluate these declarations.

    On a row, an act also needs the row to lie within the actor's reach for ``verb`` (the model's
    ``Scope``), so "decide filings" is the county department's act, on its own county's filings.
    """

    name: str  # "<app label>.<act>", unique
    title: str  # Chinese: shown on refusals and in the catalogue
    roles: frozenset[Role]
    reach: Reach = Reach.ANYWHERE
    verb: Action = Action.CHANGE
    basis: str = ""  # the clause that gives this post the act, when one does

    def __post_init__(self) -> None:
        if self.name in ACTS and ACTS[self.name] != self:
            raise ValueError(f"act {self.name} is declared twice")
        ACTS[self.name] = self


# Every declared act by name: the action catalogue (filled as apps import their ``actions`` modules).
ACTS: dict[str, Act] = {}


def _holds(user: User | None, act: Act) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if Role(user.role) not in act.roles:
        return False
    if act.reach is Reach.REGION:
        return user.region_id is not None
    if act.reach is Reach.COUNTY:
        return user.region is not None and user.region.level == Level.COUNTY
    return True


def _person(actor: Actor | User | None) -> User | None:
    return actor.user if isinstance(actor, Actor) else actor


def permits(actor: Actor | User | None, action: Act | Action, obj: models.Model | None = None) -> bool:
    """Whether the actor may take ``action`` (on ``obj``, when given). The system itself (an
    ``Actor`` without a person: the command line, the worker) may take every act."""
    if isinstance(actor, Actor) and actor.user is None:
        return True
    user = _person(actor)
    if isinstance(action, Act):
        if not _holds(user, action):
            return False
        return obj is None or can(user, obj, action.verb)
    if obj is None:
        raise TypeError("a view or change check needs the row it is about")
    return user is not None and can(user, obj, action)


def authorize(actor: Actor | User | None, action: Act | Action, obj: models.Model | None = None) -> None:
    """Refuse (``AccessDenied``) unless ``permits``."""
    if not permits(actor, action, obj):
        raise AccessDenied


def holders(act: Act, region: Any) -> QuerySet[User]:
    """The active accounts of ``region`` that hold ``act``: who is told when the act falls due."""
    from tuoyu.kernel.accounts.models import User

    posts = User.objects.filter(role__in=act.roles, region=region, is_active=True)
    if act.reach is Reach.COUNTY:
        posts = posts.filter(region__level=Level.COUNTY)
    return posts


def department_posts(departments: set[str]) -> Q:
    """The accounts that speak for these departments: their officers, and for health the health
    department's own regulators (a ``User`` filter)."""
    wanted = Q(role=Role.DEPARTMENT, department__in=departments)
    if Department.HEALTH in departments:
        wanted |= Q(role=Role.REGULATOR)
    return wanted


class Audience(StrEnum):
    """Which home page a post opens on."""

    REGIONAL = "regional"
    INSTITUTION = "institution"
    FAMILY = "family"


def audience(user: User) -> Audience | None:
    role = Role(user.role)
    if role in REGIONAL_ROLES:
        return Audience.REGIONAL
    if role in INSTITUTION_ROLES:
        return Audience.INSTITUTION
    if role is Role.GUARDIAN:
        return Audience.FAMILY
    return None


def post_needs(role: Role, *, department: str, institution: Any) -> str | None:
    """What a new account of ``role`` still lacks (a department, an institution), in Chinese."""
    if role is Role.DEPARTMENT and not department:
        return "相关职能部门账号须选择部门。"
    if role in INSTITUTION_ROLES and institution is None:
        return "机构账号须选择所在机构。"
    return None


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
