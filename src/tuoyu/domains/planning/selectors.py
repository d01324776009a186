"""Supply against population, per subdistrict of the caller's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from tuoyu.engines import per_1000
from tuoyu.kernel.accounts.access import scoped
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.selectors import children_for
from tuoyu.kernel.regions.models import Level, Region
from tuoyu.kernel.regions.selectors import latest_populations
from tuoyu.kernel.registry.models import Status
from tuoyu.kernel.registry.selectors import institutions_for


@dataclass(frozen=True)
class SupplyRow:
    region: Region
    institutions: int
    filed: int
    places: int
    affordable_places: int
    enrolled: int
    population: int | None
    under_3: int | None
    population_year: int | None

    @property
    def places_per_1000(self) -> float | None:
        return per_1000.rate(self.places, self.population)

    @property
    def affordable_share(self) -> float | None:
        return self.affordable_places / self.places if self.places else None


def supply_by_subdistrict(user: User, year: int) -> list[SupplyRow]:
    """Institutions, places and enrolment by subdistrict, with the population of ``year``.

    Closed institutions are left out; places count every institution still operating, filed or not,
    because families use them all (the filed count is shown beside it).
    """
    subdistricts = list(scoped(user, Region.objects.filter(level=Level.SUBDISTRICT)).order_by("code"))
    operating = institutions_for(user).exclude(status=Status.CLOSED)
    supply = {
        row["subdistrict_id"]: row
        for row in operating.values("subdistrict_id").annotate(
            n=Count("id"),
            filed=Count("id", filter=Q(status=Status.FILED)),
            place_total=Sum("places"),
            affordable_total=Sum("places", filter=Q(affordable=True)),
        )
    }
    enrolled = dict(
        children_for(user)
        .filter(institution__in=operating)
        .values_list("institution__subdistrict_id")
        .annotate(n=Count("id"))
    )
    populations = latest_populations(subdistricts, year)
    rows = []
    for region in subdistricts:
        s = supply.get(region.pk, {})
        pop = populations.get(region.pk)
        rows.append(
            SupplyRow(
                region=region,
                institutions=s.get("n", 0),
                filed=s.get("filed", 0),
                places=s.get("place_total") or 0,
                affordable_places=s.get("affordable_total") or 0,
                enrolled=enrolled.get(region.pk, 0),
                population=pop.total if pop else None,
                under_3=pop.under_3 if pop else None,
                population_year=pop.year if pop else None,
            )
        )
    return rows


def total_row(rows: list[SupplyRow], region: Region) -> SupplyRow:
    """The jurisdiction's total; population only when every subdistrict has one."""
    known = all(r.population is not None for r in rows) and rows
    return SupplyRow(
        region=region,
        institutions=sum(r.institutions for r in rows),
        filed=sum(r.filed for r in rows),
        places=sum(r.places for r in rows),
        affordable_places=sum(r.affordable_places for r in rows),
        enrolled=sum(r.enrolled for r in rows),
        population=sum(r.population or 0 for r in rows) if known else None,
        under_3=sum(r.under_3 or 0 for r in rows) if known else None,
        population_year=max((r.population_year or 0 for r in rows), default=None) if known else None,
    )
