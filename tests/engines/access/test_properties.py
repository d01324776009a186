"""Invariants of the floating catchment methods, checked on generated cities."""

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuoyu.engines.access import coverage, floating_catchment

# The compiled kernels need numba, the `compiled` extra; an installation without it skips their cases.
NO_NUMBA = importlib.util.find_spec("numba") is None

# Coordinates on a 100 m lattice make many pairs sit exactly on the threshold or on a strip edge.
lattice = st.integers(min_value=0, max_value=60).map(lambda k: k * 100.0)
anywhere = st.floats(min_value=0, max_value=6000, allow_nan=False, allow_infinity=False)


@st.composite
def cities(draw, coordinate=anywhere):
    n = draw(st.integers(min_value=0, max_value=40))
    m = draw(st.integers(min_value=0, max_value=8))
    demand_xy = np.array(draw(st.lists(st.tuples(coordinate, coordinate), min_size=n, max_size=n))).reshape(
        -1, 2
    )
    supply_xy = np.array(draw(st.lists(st.tuples(coordinate, coordinate), min_size=m, max_size=m))).reshape(
        -1, 2
    )
    # Zero or at least a thousandth of a person/place: a subnormal head count would only test overflow.
    amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1000))
    population = np.array(draw(st.lists(amounts, min_size=n, max_size=n)), dtype=float)
    capacity = np.array(draw(st.lists(amounts, min_size=m, max_size=m)), dtype=float)
    threshold = draw(st.sampled_from([300.0, 500.0, 1000.0, 1200.0, 2500.0]))
    return demand_xy, population, supply_xy, capacity, threshold


METHODS = ["2sfca", "e2sfca", "g2sfca", "3sfca"]


@settings(max_examples=60, deadline=None)
@given(city=cities(), method=st.sampled_from(METHODS))
def test_access_conserves_the_places_of_institutions_with_demand_in_reach(city, method):
    demand_xy, population, supply_xy, capacity, threshold = city
    result = floating_catchment(
        population, capacity, threshold, method=method, demand_xy=demand_xy, supply_xy=supply_xy
    )
    handed_out = float(np.sum(population[result.covered] * result.access[result.covered]))
    with_demand = float(capacity[result.institution_demand > 0].sum())
    assert handed_out == pytest.approx(with_demand, rel=1e-9, abs=1e-9)
    assert np.array_equal(np.isnan(result.access), ~result.covered)


@settings(max_examples=60, deadline=None)
@given(city=cities(coordinate=lattice), larger=st.floats(min_value=0, max_value=2000))
def test_coverage_never_shrinks_when_the_threshold_grows(city, larger):
    demand_xy, population, supply_xy, _, threshold = city
    small = coverage(population, threshold, demand_xy=demand_xy, supply_xy=supply_xy)
    large = coverage(population, threshold + larger, demand_xy=demand_xy, supply_xy=supply_xy)
    assert not (small.covered & ~large.covered).any()
    assert (small.reachable <= large.reachable).all()
    # Sums over different subsets may round differently in the last bit.
    assert small.covered_population <= large.covered_population * (1 + 1e-12) + 1e-9


@pytest.mark.skipif(NO_NUMBA, reason="numba (the compiled extra) is not installed")
@settings(max_examples=40, deadline=None)
@given(city=cities(coordinate=lattice), method=st.sampled_from(METHODS))
def test_numpy_and_compiled_kernels_agree(city, method):
    demand_xy, population, supply_xy, capacity, threshold = city
    results = [
        floating_catchment(
            population,
            capacity,
            threshold,
            method=method,
            demand_xy=demand_xy,
            supply_xy=supply_xy,
            backend=backend,
        )
        for backend in ("numpy", "compiled")
    ]
    assert np.array_equal(results[0].reachable, results[1].reachable)
    np.testing.assert_allclose(results[0].access, results[1].access, rtol=1e-12, atol=0)
    np.testing.assert_allclose(results[0].institution_demand, results[1].institution_demand, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(city=cities(coordinate=lattice))
def test_coverage_is_exactly_having_an_institution_within_the_threshold(city):
    demand_xy, population, supply_xy, _, threshold = city
    result = coverage(population, threshold, demand_xy=demand_xy, supply_xy=supply_xy)
    distance = np.sqrt(((demand_xy[:, None, :] - supply_xy[None, :, :]) ** 2).sum(axis=2))
    assert result.reachable.tolist() == (distance <= threshold).sum(axis=1).tolist()
