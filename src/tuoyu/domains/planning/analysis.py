"""The planning picture of a jurisdiction: supply against the profile's norms and targets (P35–P39),
the care circle over the residents grid (P41: the profile's, else the planner's or a labelled
default assumption), and where new places would help.

Reads go through the selectors (and so through accounts.access); the arithmetic is the access and
policy engines'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from tuoyu.domains.planning.selectors import SupplyRow, supply_by_subdistrict, total_row
from tuoyu.engines import access, policy
from tuoyu.engines.per_1000 import places_needed
from tuoyu.engines.policy.profiles import Param
from tuoyu.engines.policy.targets import (
    NORMED_AREA_TYPES,
    TargetValue,
    norm_binding,
    norm_deadline,
    planning_norm,
    target_on,
)
from tuoyu.engines.policy.vocabulary import AREA_TYPES
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.regions.models import Region
from tuoyu.kernel.regions.selectors import population_cells
from tuoyu.kernel.registry.models import Status
from tuoyu.kernel.registry.selectors import institutions_for


@dataclass(frozen=True)
class Gap:
    per_1000: float
    places_needed: int  # places still missing to reach it (0 when met)
    source: Param | TargetValue
    # A norm to be met by the end of ``due_year`` (002 §二(三)1 "2025年前") is a goal until then:
    # ``binding`` is False and the gap is places to build, not a shortfall.
    due_year: int | None = None
    binding: bool = True

    @property
    def citation(self) -> str:
        source = self.source.param.source if isinstance(self.source, TargetValue) else self.source.source
        return source.citation()


@dataclass
class PlanningRow:
    supply: SupplyRow
    norm: Gap | None = None  # P35/P36: by area type
    target: Gap | None = None  # P39: every subdistrict by the target year
    under_3_in_cells: int = 0
    under_3_covered: int = 0

    @property
    def covered_share(self) -> float | None:
        return self.under_3_covered / self.under_3_in_cells if self.under_3_in_cells else None


@dataclass
class DistrictTarget:
    label: str
    year: int  # the target year that applies on the page's date, for this target
    target: float
    actual: float | None  # None: not measured (never shown as 0)
    unit: str
    citation: str
    note: str = ""  # why ``actual`` is missing, in Chinese

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target


@dataclass
class NormLine:
    """One planning norm of the profile (P35/P36), for the page's footnote."""

    area: str  # Chinese name of the area type
    per_1000: float
    citation: str
    due_year: int | None = None
    binding: bool = True


@dataclass
class Planning:
    region: Region
    profile: str
    on: dt.date
    minutes: int
    metres: float
    rows: list[PlanningRow]
    total: SupplyRow
    district_targets: list[DistrictTarget]
    target_year: int | None  # the year of the subdistricts' target (P39) that applies on ``on``
    circle_source: str
    circle_from_policy: bool = (
        True  # False: the locality sets no circle; ``minutes`` is an assumption or the planner's
    )
    norms: list[NormLine] = field(default_factory=list)
    institutions: list[dict] = field(default_factory=list)
    uncovered_cells: list[dict] = field(default_factory=list)
    under_3_total: int = 0
    under_3_covered: int = 0
    siting: access.SitingResult | None = None
    candidate_points: list[dict] = field(default_factory=list)

    @property
    def covered_share(self) -> float | None:
        return self.under_3_covered / self.under_3_total if self.under_3_total else None


def _gap(
    per_1000: float,
    population: int | None,
    places: int,
    source,
    *,
    due_year: int | None = None,
    binding: bool = True,
) -> Gap | None:
    if population is None:
        return None
    required = places_needed(per_1000, population)
    return Gap(
        per_1000=per_1000,
        places_needed=max(0, required - places),
        source=source,
        due_year=due_year,
        binding=binding,
    )


def planning_for(
    user: User, *, on: dt.date, minutes: int | None = None, site_places: int = 60, budget: int = 0
) -> Planning:
    """Everything the planning page shows, for the user's jurisdiction on a date."""
    region = user.region
    profile = region.effective_policy_profile()
    rows = [PlanningRow(supply=row) for row in supply_by_subdistrict(user, on.year)]
    total = total_row([r.supply for r in rows], region)
    # Each target is judged by its own years: on 2023-06-01 the subdistricts work towards 2025's
    # 4.7 per 1000 (003 附件2 #26) while the district's totals are 2023's (003 §三).
    # Each subdistrict is judged by its own locality's rules: a city's page shows its counties'
    # streets against the norms and targets of each county's profile, as the county's page does.
    targets: dict[str, TargetValue | None] = {}
    subdistrict_target = None
    for row in rows:
        local = row.supply.region.effective_policy_profile()
        if local not in targets:
            targets[local] = target_on(local, "target.subdistrict_places_per_1000", on)
        area = row.supply.region.area_type
        norm = planning_norm(local, area, on) if area else None
        if norm is not None:
            deadline = norm_deadline(local, area, on)
            row.norm = _gap(
                float(norm.value),
                row.supply.population,
                row.supply.places,
                norm,
                due_year=None if deadline is None else deadline.value,
                binding=norm_binding(deadline, on),
            )
        if targets[local] is not None:
            subdistrict_target = subdistrict_target or targets[local]
            row.target = _gap(
                float(targets[local].value), row.supply.population, row.supply.places, targets[local]
            )

    circle_minutes, circle_source, from_policy = _circle(profile, on, minutes)
    metres = circle_minutes * settings.TUOYU_WALK_METRES_PER_MINUTE
    result = Planning(
        region=region,
        profile=profile,
        on=on,
        minutes=circle_minutes,
        metres=metres,
        rows=rows,
        total=total,
        district_targets=_district_targets(profile, on, total),
        target_year=subdistrict_target.year if subdistrict_target else None,
        circle_source=circle_source,
        circle_from_policy=from_policy,
        norms=_norms(profile, on),
    )
    _accessibility(user, result, on, site_places=site_places, budget=budget)
    return result


def _circle(profile: str, on: dt.date, minutes: int | None) -> tuple[int, str, bool]:
    """The care circle's minutes, where they come from, and whether the locality's policy sets them.

    Only a profile that sets ``planning.care_circle_minutes`` has a circle of its own (Ouhai's
    15 minutes, 001 §一, during its pilot). Elsewhere the page says so and uses the planner's
    minutes or the platform's default assumption — never another locality's document as if it applied.
    """
    param = policy.load_profile(profile).lookup("planning.care_circle_minutes", on)
    if param is not None and not minutes:
        return int(param.value), param.source.citation(), True
    if minutes:
        why = (
            "规划人员设定"
            if param is None
            else f"规划人员设定；本地政策为 {param.value} 分钟（{param.source.citation()}）"
        )
        return minutes, why, param is not None
    default = settings.TUOYU_PLANNING_CIRCLE_MINUTES
    return default, f"本地政策未规定托育服务圈范围，暂按平台默认假设 {default} 分钟计算，可在下方修改", False


def _norms(profile: str, on: dt.date) -> list[NormLine]:
    out = []
    for area in NORMED_AREA_TYPES:
        label = AREA_TYPES[area]
        norm = planning_norm(profile, area, on)
        if norm is not None:
            deadline = norm_deadline(profile, area, on)
            out.append(
                NormLine(
                    label,
                    float(norm.value),
                    norm.source.citation(),
                    None if deadline is None else deadline.value,
                    norm_binding(deadline, on),
                )
            )
    return out


# What the platform can measure for each district target (P38, 003 §三), and how it is shown.
_DISTRICT_TARGETS = {
    "target.places_total": ("托位总数", "个"),
    "target.places_per_1000": ("每千人口托位数", "个"),
    "target.affordable_share": ("普惠托位占比", "%"),
    "target.four_star_institutions": ("四星级及以上托育机构", "家"),
}


def _district_targets(profile: str, on: dt.date, total: SupplyRow) -> list[DistrictTarget]:
    actual = {
        "target.places_total": float(total.places),
        "target.places_per_1000": total.places_per_1000,
        "target.affordable_share": total.affordable_share * 100
        if total.affordable_share is not None
        else None,
        # Star ratings (P31) are not yet carried out on the platform: unknown, which is not zero.
        "target.four_star_institutions": None,
    }
    notes = {"target.four_star_institutions": "尚无星级评定结果，暂无法统计"}
    out = []
    for key, (label, unit) in _DISTRICT_TARGETS.items():
        target = target_on(profile, key, on)
        if target is not None:
            value = float(target.value) * (
                100 if key == "target.affordable_share" else 1
            )  # a share → percent
            out.append(
                DistrictTarget(
                    label,
                    target.year,
                    value,
                    actual[key],
                    unit,
                    target.param.source.citation(),
                    notes.get(key, ""),
                )
            )
    return out


def _accessibility(user: User, result: Planning, on: dt.date, *, site_places: int, budget: int) -> None:
    institutions = list(
        institutions_for(user).exclude(status=Status.CLOSED).filter(lat__isnull=False, lon__isnull=False)
    )
    subdistricts = [row.supply.region for row in result.rows]
    cells = list(population_cells(subdistricts, on.year).values_list("lon", "lat", "under_3", "region_id"))
    result.institutions = [
        {
            "name": i.name,
            "lat": i.lat,
            "lon": i.lon,
            "places": i.places,
            "affordable": i.affordable,
            "circle": result.metres,
        }
        for i in institutions
    ]
    if not cells or not institutions:
        return
    lon = np.array([c[0] for c in cells] + [i.lon for i in institutions])
    lat = np.array([c[1] for c in cells] + [i.lat for i in institutions])
    projection = access.LocalProjection.around(lon, lat)
    cell_xy = projection.to_metres(lon[: len(cells)], lat[: len(cells)])
    supply_xy = projection.to_metres(lon[len(cells) :], lat[len(cells) :])
    under_3 = np.array([c[2] for c in cells], dtype=float)
    cell_region = np.array([c[3] for c in cells])
    covered = access.coverage(under_3, result.metres, demand_xy=cell_xy, supply_xy=supply_xy).covered

    result.under_3_total = int(under_3.sum())
    result.under_3_covered = int(under_3[covered].sum())
    for row in result.rows:
        mine = cell_region == row.supply.region.pk
        row.under_3_in_cells = int(under_3[mine].sum())
        row.under_3_covered = int(under_3[mine & covered].sum())
    uncovered = np.flatnonzero(~covered & (under_3 > 0))
    result.uncovered_cells = [
        {"lon": cells[i][0], "lat": cells[i][1], "under_3": int(under_3[i])} for i in uncovered
    ]

    if budget > 0:
        # Candidates: the uncovered cells with the most young children, one site each.
        candidates = uncovered[np.argsort(under_3[uncovered])[::-1][:400]]
        population = {row.supply.region.pk: row.supply.population or 0 for row in result.rows}
        targets = {row.supply.region.pk: row.target.per_1000 for row in result.rows if row.target}
        result.siting = access.suggest_sites(
            demand_xy=cell_xy,
            population=under_3,
            supply_xy=supply_xy,
            capacity=np.array([i.places for i in institutions], dtype=float),
            supply_region=[i.subdistrict_id for i in institutions],
            candidate_xy=cell_xy[candidates],
            candidate_region=list(cell_region[candidates]),
            candidate_places=float(site_places),
            budget=float(budget),
            threshold=result.metres,
            region_population=population,
            targets_per_1000=targets,
        )
        names = {row.supply.region.pk: row.supply.region.name for row in result.rows}
        result.candidate_points = [
            {
                "lon": cells[candidates[site.candidate]][0],
                "lat": cells[candidates[site.candidate]][1],
                "region": names.get(site.region, ""),
                "places": site.places,
                "newly_covered": site.newly_covered_population,
                "toward_target": site.places_toward_target,
            }
            for site in result.siting.sites
        ]
