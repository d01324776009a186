"""Pages show places per 1000 through the engines' one rule (tuoyu.engines.per_1000)."""

from tuoyu.domains.planning.selectors import SupplyRow
from tuoyu.engines import per_1000
from tuoyu.site.templatetags.tuoyu import per_1000_stated, per_mille


def test_the_filters_are_the_engines_rule():
    assert per_mille(809, 200_000) == per_1000.text(809, 200_000) == "4.05"
    assert per_mille(10, None) == "—"
    assert per_1000_stated(4.04) == "4.04"
    assert per_1000_stated(8.0) == "8"


def test_a_supply_row_measures_with_the_engine():
    row = SupplyRow(
        region=None,
        institutions=1,
        filed=1,
        places=809,
        affordable_places=0,
        enrolled=0,
        population=200_000,
        under_3=None,
        population_year=2025,
    )
    assert row.places_per_1000 == per_1000.rate(809, 200_000)
    assert SupplyRow(**{**row.__dict__, "population": None}).places_per_1000 is None
