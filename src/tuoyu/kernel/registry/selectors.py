"""Reads of the registry. Every one goes through accounts.access."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tuoyu.kernel.accounts.access import Action, can_list, published, scoped
from tuoyu.kernel.accounts.models import Role, User
from tuoyu.kernel.registry.models import Institution, ProvisionModel, Status

# The columns of the public disclosure (信息公示); nothing personal.
PUBLIC_FIELDS = (
    "id",
    "name",
    "address",
    "subdistrict__name",
    "operator",
    "provision_model",
    "affordable",
    "places",
    "min_age_months",
    "max_age_months",
    "service_types",
    "monthly_fee",
    "filing_number",
    "filed_on",
    "status",
    "lon",
    "lat",
)


def institutions_for(user: User, action: Action = Action.VIEW) -> QuerySet[Institution]:
    return scoped(user, Institution.objects.select_related("subdistrict"), action)


def institution_ledger(
    user: User,
    *,
    query: str = "",
    subdistrict_id: int | None = None,
    status: str = "",
    affordable: bool | None = None,
) -> QuerySet[Institution]:
    """The regulator's ledger (管理台账): institutions in reach, filtered, with enrolment counts."""
    rows = institutions_for(user)
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(address__icontains=query) | Q(credit_code__iexact=query)
        )
    if subdistrict_id:
        rows = rows.filter(subdistrict_id=subdistrict_id)
    if status:
        rows = rows.filter(status=status)
    if affordable is not None:
        rows = rows.filter(affordable=affordable)
    rows = rows.order_by("subdistrict__code", "name")
    # The children sit in the operations app above this one: reach their model through the relation.
    if can_list(user, Institution._meta.get_field("children").related_model):
        # Only posts that may see children see how many there are: for the others the figure is absent.
        rows = rows.annotate(enrolled=Count("children", distinct=True))
    return rows


def public_institutions(*, query: str = "", subdistrict_id: int | None = None) -> QuerySet[Institution]:
    rows = published(Institution.objects.select_related("subdistrict"))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(address__icontains=query))
    if subdistrict_id:
        rows = rows.filter(subdistrict_id=subdistrict_id)
    return rows.order_by("subdistrict__code", "name")


def status_counts(user: User) -> dict[str, int]:
    counts = dict(institutions_for(user).values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in Status.values}


def ledger_records(rows: QuerySet[Institution]) -> list[dict]:
    """Ledger rows as plain records keyed like registry.ledger.COLUMNS."""
    records = []
    for institution in rows:
        record = {
            field.attname: getattr(institution, field.attname) for field in Institution._meta.concrete_fields
        }
        record["subdistrict"] = institution.subdistrict.name
        record["enrolled"] = getattr(institution, "enrolled", None)
        records.append(record)
    return records


def managers_of(institution: Institution) -> QuerySet[User]:
    """The active manager accounts of an institution: whom the platform tells about its filings."""
    return User.objects.filter(
        memberships__institution=institution, memberships__active=True, role=Role.MANAGER, is_active=True
    ).distinct()


def filed_institutions(user: User) -> QuerySet[Institution]:
    """The filed institutions this user may see: the ones that may offer places."""
    return scoped(user, Institution.objects.filter(status=Status.FILED))


def workplace_institutions(ids: QuerySet | list[int]) -> QuerySet[Institution]:
    """Of these institutions, those an employer runs for its staff's children (用人单位办)."""
    return Institution.objects.filter(pk__in=ids, provision_model=ProvisionModel.EMPLOYER)
