"""Places per 1000 residents by region against targets (P35–P39 set the numbers; here they are inputs)."""

import math

import numpy as np
import pytest

from tuoyu.engines.access import places_per_1000


def test_places_per_1000_sums_capacities_by_region():
    table = places_per_1000(
        {"east": 20_000, "west": 10_000, "empty": 0},
        ["east", "west", "east"],
        np.array([40.0, 30.0, 50.0]),
    )
    assert table.region == ("east", "west", "empty")
    assert table.places.tolist() == [90.0, 30.0, 0.0]
    assert table.per_1000[:2].tolist() == [4.5, 3.0]
    assert math.isnan(table.per_1000[2])
    assert np.isnan(table.target_places).all()
    assert table.shortfall.tolist() == [0.0, 0.0, 0.0]


def test_shortfall_is_the_whole_places_missing_to_reach_the_target():
    # 4.7 per 1000 of 52 300 residents is 245.81 places: 246 are needed, 200 exist.
    table = places_per_1000({"town": 52_300}, ["town"], np.array([200.0]), 4.7)
    assert table.target_places.tolist() == [246.0]
    assert table.shortfall.tolist() == [46.0]


def test_a_target_met_exactly_leaves_no_shortfall():
    table = places_per_1000({"a": 1000, "b": 10_000}, ["a", "b"], np.array([5.0, 47.0]), {"a": 4.7, "b": 4.7})
    assert table.target_places.tolist() == [5.0, 47.0]
    assert table.shortfall.tolist() == [0.0, 0.0]


def test_regions_without_a_target_have_no_shortfall():
    table = places_per_1000({"new": 8000, "old": 9000}, [], np.zeros(0), {"new": 10.0})
    assert table.shortfall.tolist() == [80.0, 0.0]
    assert math.isnan(table.target_per_1000[1])


def test_institution_in_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown region 'north'"):
        places_per_1000({"south": 1000}, ["north"], np.array([10.0]))


def test_with_places_recomputes_against_the_same_targets():
    table = places_per_1000({"town": 10_000}, ["town"], np.array([30.0]), 4.5)
    after = table.with_places(np.array([45.0]))
    assert after.per_1000.tolist() == [4.5]
    assert after.shortfall.tolist() == [0.0]
