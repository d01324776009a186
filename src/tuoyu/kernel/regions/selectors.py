from __future__ import annotations

from django.db.models import QuerySet

from tuoyu.kernel.regions.models import Level, Population, Region


def latest_populations(regions: QuerySet[Region] | list[Region], year: int) -> dict[int, Population]:
    """Each region's population in ``year`` or, failing that, the latest year before it."""
    latest: dict[int, Population] = {}
    rows = Population.objects.filter(region__in=regions, year__lte=year).order_by("region_id", "year")
    for row in rows:
        latest[row.region_id] = row  # ascending years: the last one wins
    return latest


def subdistricts_of(region: Region) -> QuerySet[Region]:
    """Subdistricts below (or equal to) a region the caller already holds access to."""
    return Region.objects.filter(level=Level.SUBDISTRICT, path__startswith=region.path)


def regions_under(region: Region) -> QuerySet[Region]:
    """A region and every region below it (the caller has already decided it may reach them)."""
    return Region.objects.filter(path__startswith=region.path)


def calendar_overrides(start, end) -> dict:
    """Holidays (False) and adjusted working days (True) between two dates, for engines.calendar."""
    from tuoyu.kernel.regions.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "working"))


def population_cells(subdistricts: list[Region], year: int) -> QuerySet:
    """The grid cells of the given subdistricts for the latest year up to ``year`` that has cells."""
    from tuoyu.kernel.regions.models import PopulationCell

    cells = PopulationCell.objects.filter(region__in=subdistricts, year__lte=year)
    latest = cells.order_by("-year").values_list("year", flat=True).first()
    return cells.filter(year=latest) if latest is not None else cells.none()
