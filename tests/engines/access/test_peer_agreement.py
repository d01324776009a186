"""Agreement with PySAL `access` (the peer implementation) on random instances."""

import importlib.util
import warnings

import numpy as np
import pytest

from tuoyu.engines.access import CostTable, Steps, floating_catchment

THRESHOLD = 1200.0
# Without numba (the `compiled` extra) the peer is compared with the NumPy path only.
BACKENDS = ("numpy",) if importlib.util.find_spec("numba") is None else ("numpy", "compiled")


def _instance(seed, n=3000, m=80, side=12_000.0):
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0, side, size=(n, 2))
    supply_xy = rng.uniform(0, side, size=(m, 2))
    population = rng.gamma(2.0, 20.0, n)
    capacity = rng.integers(10, 150, m).astype(float)
    return demand_xy, population, supply_xy, capacity


def _peer(method, demand_xy, population, supply_xy, capacity, weight_fn=None):
    pd = pytest.importorskip("pandas")
    access = pytest.importorskip("access")
    from scipy.spatial import cKDTree

    # The peer's own distance builder is a full cross join; a KD-tree gives it the same pairs.
    pairs = cKDTree(supply_xy).sparse_distance_matrix(cKDTree(demand_xy), THRESHOLD, output_type="ndarray")
    costs = pd.DataFrame({"origin": pairs["j"], "dest": pairs["i"], "cost": pairs["v"]})
    demand = pd.DataFrame({"pop": population}).rename_axis("geoid")
    supply = pd.DataFrame({"cap": capacity}).rename_axis("geoid")
    model = access.Access(
        demand_df=demand, demand_index=True, demand_value="pop",
        supply_df=supply, supply_index=True, supply_value="cap",
        cost_df=costs, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "3sfca":
            frame = model.three_stage_fca(max_cost=THRESHOLD, weight_fn=weight_fn)
        else:
            frame = model.two_stage_fca(max_cost=THRESHOLD, weight_fn=weight_fn)
    return frame.iloc[:, 0].to_numpy(), CostTable(pairs["j"], pairs["i"], pairs["v"])


def _weights():
    from access import weights

    return {
        "2sfca": ({}, None),
        "e2sfca": (
            {"steps": Steps((400.0, 800.0, 1200.0), (1.0, 0.68, 0.22))},
            weights.step_fn({400: 1.0, 800: 0.68, 1200: 0.22}),
        ),
        "g2sfca": ({"sigma": 500.0}, weights.gaussian(500.0)),
        "3sfca": (
            {"steps": Steps((200.0, 400.0, 600.0, 1200.0), (0.962, 0.704, 0.377, 0.042))},
            weights.step_fn({200: 0.962, 400: 0.704, 600: 0.377, 1200: 0.042}),
        ),
    }


def _assert_same(ours, theirs):
    # The peer leaves cells with nothing in reach out of its result (NaN after the join).
    assert np.array_equal(np.isnan(theirs), ~ours.covered)
    covered = ours.covered
    np.testing.assert_allclose(ours.access[covered], theirs[covered], rtol=1e-9, atol=0)


@pytest.mark.parametrize("method", ["2sfca", "e2sfca", "g2sfca", "3sfca"])
@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_access_on_random_cities(method, seed):
    pytest.importorskip("access")
    demand_xy, population, supply_xy, capacity = _instance(seed)
    params, weight_fn = _weights()[method]
    theirs, costs = _peer(method, demand_xy, population, supply_xy, capacity, weight_fn)
    assert 0 < np.isnan(theirs).sum() < len(theirs)  # the instance has covered and uncovered cells
    for backend in BACKENDS:
        ours = floating_catchment(
            population, capacity, THRESHOLD, method=method, demand_xy=demand_xy, supply_xy=supply_xy,
            backend=backend, **params,
        )  # fmt: skip
        _assert_same(ours, theirs)
    _assert_same(
        floating_catchment(population, capacity, THRESHOLD, method=method, costs=costs, **params), theirs
    )
