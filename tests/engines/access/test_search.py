"""The strip pair search finds exactly the pairs within the threshold."""

import importlib.util

import numpy as np
import pytest

from tuoyu.engines.access import pairs_within
from tuoyu.engines.access.search import strip_index

# The compiled kernels need numba, the `compiled` extra; an installation without it skips their cases.
NO_NUMBA = importlib.util.find_spec("numba") is None
NEEDS_NUMBA = pytest.mark.skipif(NO_NUMBA, reason="numba (the compiled extra) is not installed")
BACKENDS = ["numpy", pytest.param("compiled", marks=NEEDS_NUMBA)]


def _brute_force(demand_xy, supply_xy, threshold):
    distance = np.sqrt(((demand_xy[:, None, :] - supply_xy[None, :, :]) ** 2).sum(axis=2))
    origin, destination = np.nonzero(distance <= threshold)
    return set(zip(origin.tolist(), destination.tolist(), strict=True)), distance


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairs_within_finds_every_pair_and_nothing_else(seed):
    rng = np.random.default_rng(seed)
    far_from_origin = np.array([3.5e5, 3.2e6])  # UTM-sized coordinates
    demand_xy = rng.uniform(-5000, 5000, size=(1500, 2)) + far_from_origin
    supply_xy = rng.uniform(-5000, 5000, size=(70, 2)) + far_from_origin
    expected, distance = _brute_force(demand_xy, supply_xy, 800.0)
    table = pairs_within(demand_xy, supply_xy, 800.0)
    found = set(zip(table.origin.tolist(), table.destination.tolist(), strict=True))
    assert found == expected
    np.testing.assert_allclose(table.cost, distance[table.origin, table.destination], rtol=1e-12)


def test_points_exactly_on_the_circle_are_found():
    # 3-4-5 triangles scaled to 1000 m: every one of these is exactly 1000 m from the origin.
    ring = np.array([[600.0, 800.0], [800.0, 600.0], [-600.0, 800.0], [0.0, -1000.0], [1000.0, 0.0]])
    beyond = ring * 1.000001
    table = pairs_within(np.vstack([ring, beyond]), np.array([[0.0, 0.0]]), 1000.0)
    assert sorted(table.origin.tolist()) == [0, 1, 2, 3, 4]


def test_candidates_stay_close_to_the_true_pairs():
    rng = np.random.default_rng(7)
    demand_xy = rng.uniform(0, 20_000, size=(50_000, 2))
    supply_xy = rng.uniform(0, 20_000, size=(200, 2))
    index = strip_index(demand_xy, supply_xy, 1200.0)
    pairs = len(pairs_within(demand_xy, supply_xy, 1200.0))
    # The strips cover the disc plus a margin of about 2h / (πT) ≈ 8 % at h = T/8.
    assert pairs <= index.candidates <= 1.15 * pairs


def test_all_points_on_one_line_and_one_point_work():
    line = np.column_stack([np.arange(0, 5000, 100.0), np.zeros(50)])
    table = pairs_within(line, np.array([[2500.0, 0.0]]), 250.0)
    assert sorted(table.origin.tolist()) == [23, 24, 25, 26, 27]
    assert len(pairs_within(np.array([[1.0, 1.0]]), np.array([[1.0, 1.0]]), 0.5)) == 1


def test_non_finite_coordinates_are_refused():
    with pytest.raises(ValueError, match="row 1"):
        pairs_within(np.array([[0.0, 0.0], [np.nan, 1.0]]), np.array([[0.0, 0.0]]), 100.0)


def _layouts():
    rng = np.random.default_rng(11)
    far = np.array([5.1e5, 3.3e6])
    towns = rng.uniform(0, 400_000, size=(6, 2))  # clusters across a province: the cell cap applies
    clustered = towns[rng.integers(0, 6, 3000)] + rng.normal(scale=900, size=(3000, 2))
    return {
        "horizontal-line": (
            np.column_stack([np.arange(0, 9000, 7.0), np.zeros(1286)]),
            np.array([[4500.0, 300.0]]),
        ),
        "vertical-line": (
            np.column_stack([np.zeros(1286), np.arange(0, 9000, 7.0)]),
            np.array([[-300.0, 4500.0]]),
        ),
        "one-point": (np.array([[3.0, 4.0]]), np.array([[0.0, 0.0], [3.0, 1004.0]])),
        "utm-offset": (rng.uniform(0, 9000, size=(4000, 2)) + far, rng.uniform(0, 9000, size=(60, 2)) + far),
        "province": (clustered, towns[rng.integers(0, 6, 80)] + rng.normal(scale=900, size=(80, 2))),
    }


@pytest.mark.parametrize(
    "layout", ["horizontal-line", "vertical-line", "one-point", "utm-offset", "province"]
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_both_searches_count_exactly_the_institutions_in_reach_on_awkward_layouts(layout, backend):
    from tuoyu.engines.access import coverage

    demand_xy, supply_xy = _layouts()[layout]
    _, distance = _brute_force(demand_xy, supply_xy, 1000.0)
    result = coverage(
        np.ones(len(demand_xy)), 1000.0, demand_xy=demand_xy, supply_xy=supply_xy, backend=backend
    )
    assert result.reachable.tolist() == (distance <= 1000.0).sum(axis=1).tolist()
