"""Hand-computed two-institution, three-cell cases for every method, on every path."""

import importlib.util
import math

import numpy as np
import pytest

from tuoyu.engines.access import (
    CostTable,
    Gaussian,
    Steps,
    Uniform,
    coverage,
    floating_catchment,
    method_weight,
)

# c0 at the origin, c1 1000 m away (a 600-800-1000 triangle), c2 3 km away: out of everyone's reach.
DEMAND_XY = np.array([[0.0, 0.0], [600.0, 800.0], [3000.0, 0.0]])
POPULATION = np.array([100.0, 50.0, 30.0])
# s0 sits on c0 and reaches c1 at 1000 m; s1 reaches only c1 (1000 m) and is 2000 m from c0.
SUPPLY_XY = np.array([[0.0, 0.0], [1200.0, 1600.0]])
CAPACITY = np.array([30.0, 20.0])
THRESHOLD = 1200.0
STEPS = Steps((400.0, 800.0, 1200.0), (1.0, 0.68, 0.22))

# The same reach as a cost table (origin cell, destination institution, metres), with a pair beyond
# the threshold that must be ignored.
COSTS = CostTable(
    origin=np.array([0, 1, 1, 0, 2]),
    destination=np.array([0, 0, 1, 1, 0]),
    cost=np.array([0.0, 1000.0, 1000.0, 2000.0, 3000.0]),
)

# The compiled kernels need numba, the `compiled` extra; an installation without it skips their cases.
NO_NUMBA = importlib.util.find_spec("numba") is None
NEEDS_NUMBA = pytest.mark.skipif(NO_NUMBA, reason="numba (the compiled extra) is not installed")
BACKENDS = ["numpy", pytest.param("compiled", marks=NEEDS_NUMBA)]

PATHS = [
    pytest.param({"demand_xy": DEMAND_XY, "supply_xy": SUPPLY_XY, "backend": "numpy"}, id="xy-numpy"),
    pytest.param(
        {"demand_xy": DEMAND_XY, "supply_xy": SUPPLY_XY, "backend": "compiled"},
        id="xy-compiled",
        marks=NEEDS_NUMBA,
    ),
    pytest.param({"costs": COSTS}, id="cost-table"),
]


def _run(method, where, **params):
    return floating_catchment(POPULATION, CAPACITY, THRESHOLD, method=method, **where, **params)


@pytest.mark.parametrize("where", PATHS)
def test_2sfca_shares_each_institution_among_the_people_in_its_reach(where):
    result = _run("2sfca", where)
    # s0: 30 places / 150 people = 0.2; s1: 20 / 50 = 0.4. c0 sees s0, c1 sees both.
    assert result.access[:2] == pytest.approx([0.2, 0.6], rel=1e-12)
    assert math.isnan(result.access[2])
    assert result.covered.tolist() == [True, True, False]
    assert result.reachable.tolist() == [1, 2, 0]
    assert result.institution_demand == pytest.approx([150.0, 50.0])
    assert result.institution_ratio == pytest.approx([0.2, 0.4])
    assert result.covered_population == 150.0
    assert result.covered_share == pytest.approx(150 / 180)
    assert result.pairs == 3


@pytest.mark.parametrize("where", PATHS)
def test_e2sfca_weights_far_pairs_down_in_both_steps(where):
    result = _run("e2sfca", where, steps=STEPS)
    r0 = 30 / (100 * 1 + 50 * 0.22)
    r1 = 20 / (50 * 0.22)
    assert result.access[:2] == pytest.approx([r0, 0.22 * r0 + 0.22 * r1], rel=1e-12)
    assert math.isnan(result.access[2])
    assert result.institution_demand == pytest.approx([111.0, 11.0])


@pytest.mark.parametrize("where", PATHS)
def test_g2sfca_uses_an_unnormalised_gaussian(where):
    result = _run("g2sfca", where, sigma=600.0)
    g = math.exp(-(1000.0**2) / (2 * 600.0**2))
    r0 = 30 / (100 + 50 * g)
    r1 = 20 / (50 * g)
    assert result.access[:2] == pytest.approx([r0, g * r0 + g * r1], rel=1e-12)
    assert not result.covered[2]


@pytest.mark.parametrize("where", PATHS)
def test_3sfca_splits_a_cells_demand_between_the_institutions_it_may_choose(where):
    result = _run("3sfca", where, steps=STEPS)
    # c1 sees s0 and s1 at equal weight 0.22: selection G = 1/2 each, so G·W = 0.11; c0 sees only s0.
    r0 = 30 / (100 * 1 + 50 * 0.11)
    r1 = 20 / (50 * 0.11)
    assert result.access[:2] == pytest.approx([r0, 0.11 * r0 + 0.11 * r1], rel=1e-12)
    assert result.institution_demand == pytest.approx([105.5, 5.5])


@pytest.mark.parametrize("method", ["2sfca", "e2sfca", "g2sfca", "3sfca"])
@pytest.mark.parametrize("where", PATHS)
def test_every_method_hands_out_exactly_the_places_of_institutions_with_demand(method, where):
    result = _run(method, where)
    handed_out = float(np.nansum(POPULATION * result.access))
    assert handed_out == pytest.approx(CAPACITY.sum(), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_institution_with_nobody_in_reach_has_no_ratio_and_gives_nothing(backend):
    supply_xy = np.vstack([SUPPLY_XY, [[50_000.0, 50_000.0]]])
    capacity = np.append(CAPACITY, 99.0)
    result = floating_catchment(
        POPULATION, capacity, THRESHOLD, demand_xy=DEMAND_XY, supply_xy=supply_xy, backend=backend
    )
    assert result.institution_demand[2] == 0.0
    assert math.isnan(result.institution_ratio[2])
    assert result.access[:2] == pytest.approx([0.2, 0.6])


@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_with_nobody_living_there_is_still_covered_and_shows_the_places_in_reach(backend):
    population = np.array([0.0, 50.0, 30.0])
    result = floating_catchment(
        population, CAPACITY, THRESHOLD, demand_xy=DEMAND_XY, supply_xy=SUPPLY_XY, backend=backend
    )
    # s0 now serves only c1's 50 people: 30/50 = 0.6 per person; c0 (empty) sees the same 0.6.
    assert result.covered.tolist() == [True, True, False]
    assert result.access[:2] == pytest.approx([0.6, 0.6 + 0.4])


@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_exactly_at_the_threshold_is_in_reach_and_one_millimetre_beyond_is_not(backend):
    demand_xy = np.array([[720.0, 960.0], [720.0, 960.001]])  # 1200 m exactly, then a hair more
    result = floating_catchment(
        np.array([10.0, 10.0]), np.array([5.0]), 1200.0,
        demand_xy=demand_xy, supply_xy=np.array([[0.0, 0.0]]), backend=backend,
    )  # fmt: skip
    assert result.covered.tolist() == [True, False]
    assert result.access[0] == 0.5


def test_step_weight_at_a_break_takes_that_breaks_weight():
    assert STEPS(np.array([0.0, 400.0, 400.5, 800.0, 1200.0, 1200.5])).tolist() == [
        1.0, 1.0, 0.68, 0.68, 0.22, 0.0,
    ]  # fmt: skip


def test_defaults_scale_the_published_weights_to_the_threshold():
    assert method_weight("2sfca", 1200.0) == Uniform()
    assert method_weight("e2sfca", 1200.0) == Steps((400.0, 800.0, 1200.0), (1.0, 0.68, 0.22))
    assert method_weight("g2sfca", 1200.0) == Gaussian(600.0)
    wan = method_weight("3sfca", 1200.0)
    assert wan.breaks == pytest.approx((200.0, 400.0, 600.0, 1200.0))
    assert wan.weights == (0.962, 0.704, 0.377, 0.042)
    assert method_weight("3sfca", 1200.0, sigma=500.0) == Gaussian(500.0)


@pytest.mark.parametrize(
    ("method", "params"),
    [("2sfca", {"sigma": 1.0}), ("e2sfca", {"sigma": 1.0}), ("g2sfca", {"steps": STEPS}), ("4sfca", {})],
)
def test_a_method_refuses_parameters_it_does_not_use(method, params):
    with pytest.raises(ValueError):
        method_weight(method, 1200.0, **params)


@pytest.mark.parametrize(
    ("population", "capacity"),
    [
        ([100.0, -1.0, 30.0], [30.0, 20.0]),
        ([100.0, np.nan, 30.0], [30.0, 20.0]),
        ([1.0, 1.0, 1.0], [np.inf, 1]),
    ],
)
def test_negative_or_missing_amounts_are_refused(population, capacity):
    with pytest.raises(ValueError):
        floating_catchment(
            np.array(population), np.array(capacity), THRESHOLD, demand_xy=DEMAND_XY, supply_xy=SUPPLY_XY
        )


def test_cost_table_listing_a_pair_twice_is_refused():
    doubled = CostTable(np.array([0, 0]), np.array([0, 0]), np.array([10.0, 20.0]))
    with pytest.raises(ValueError, match="more than once"):
        floating_catchment(POPULATION, CAPACITY, THRESHOLD, costs=doubled)


def test_no_institutions_leaves_everyone_uncovered():
    result = floating_catchment(
        POPULATION, np.zeros(0), THRESHOLD, demand_xy=DEMAND_XY, supply_xy=np.zeros((0, 2))
    )
    assert not result.covered.any()
    assert np.isnan(result.access).all()
    assert result.covered_share == 0.0


def test_without_numba_large_problems_take_the_numpy_path_and_compiled_says_what_to_install(monkeypatch):
    from tuoyu.engines.access import fca

    monkeypatch.setattr(fca, "numba_available", lambda: False)
    monkeypatch.setattr(fca, "COMPILED_MIN_PAIRS", 0)  # every problem counts as large
    result = floating_catchment(POPULATION, CAPACITY, THRESHOLD, demand_xy=DEMAND_XY, supply_xy=SUPPLY_XY)
    assert result.access[:2] == pytest.approx([0.2, 0.6], rel=1e-12)
    assert fca.load_compiled() is False
    with pytest.raises(ValueError, match=r"needs numba.*tuoyu\[compiled\]"):
        floating_catchment(
            POPULATION, CAPACITY, THRESHOLD, demand_xy=DEMAND_XY, supply_xy=SUPPLY_XY, backend="compiled"
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_coverage_counts_institutions_within_the_threshold(backend):
    result = coverage(POPULATION, THRESHOLD, demand_xy=DEMAND_XY, supply_xy=SUPPLY_XY, backend=backend)
    assert result.reachable.tolist() == [1, 2, 0]
    assert result.covered_population == 150.0
    from_costs = coverage(POPULATION, THRESHOLD, costs=COSTS)
    assert from_costs.reachable.tolist() == [1, 2, 0]
