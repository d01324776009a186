"""Greedy siting: coverage and places-per-1000 targets within a budget of new places."""

import itertools
import math

import numpy as np
import pytest

from tuoyu.engines.access import suggest_sites

THRESHOLD = 1000.0


def _village(centre, people, count=5, rng=None):
    rng = rng or np.random.default_rng(0)
    return np.asarray(centre) + rng.uniform(-200, 200, size=(count, 2)), np.full(count, people / count)


def _problem(**overrides):
    big_xy, big_pop = _village((5000.0, 0.0), 500)
    small_xy, small_pop = _village((0.0, 5000.0), 200)
    served_xy, served_pop = _village((0.0, 0.0), 300)
    problem = {
        "demand_xy": np.vstack([big_xy, small_xy, served_xy]),
        "population": np.concatenate([big_pop, small_pop, served_pop]),
        "supply_xy": np.array([[0.0, 0.0]]),
        "capacity": np.array([60.0]),
        "supply_region": ["centre"],
        "candidate_xy": np.array([[5000.0, 0.0], [0.0, 5000.0], [100.0, 100.0]]),
        "candidate_region": ["east", "north", "centre"],
        "candidate_places": 40.0,
        "budget": 40.0,
        "threshold": THRESHOLD,
        "region_population": {"centre": 10_000, "east": 10_000, "north": 10_000},
        "targets_per_1000": None,
    }
    problem.update(overrides)
    return problem


def test_one_site_goes_where_it_covers_the_most_people():
    result = suggest_sites(**_problem())
    assert [site.candidate for site in result.sites] == [0]
    assert result.sites[0].newly_covered_population == pytest.approx(500.0)
    assert result.covered_population_before == pytest.approx(300.0)
    assert result.covered_population_after == pytest.approx(800.0)
    assert result.covered_share_after == pytest.approx(0.8)
    assert result.places_used == 40.0


def test_budget_for_two_sites_covers_both_villages_and_skips_the_served_centre():
    result = suggest_sites(**_problem(budget=100.0))
    assert [site.candidate for site in result.sites] == [0, 1]
    assert result.places_used == 80.0
    assert result.covered_after.all()
    assert result.objective == pytest.approx(700.0)


def test_a_region_short_of_its_target_can_outweigh_coverage():
    # The centre has 60 places for 10 000 residents; 10 per 1000 needs 100, so it is 40 short. With a
    # heavy target weight (20 × 40 = 800 > 500 people) its site wins over the big village's.
    result = suggest_sites(**_problem(targets_per_1000={"centre": 10.0}, target_weight=20.0))
    assert [site.candidate for site in result.sites] == [2]
    assert result.sites[0].places_toward_target == 40.0
    assert result.regions_before.shortfall.tolist() == [40.0, 0.0, 0.0]
    assert result.regions_after.shortfall.tolist() == [0.0, 0.0, 0.0]
    assert result.regions_after.places.tolist() == [100.0, 0.0, 0.0]


def test_nothing_is_built_when_no_site_fits_the_budget_or_helps():
    assert suggest_sites(**_problem(budget=39.0)).sites == ()
    assert suggest_sites(**_problem(candidate_xy=np.array([[100.0, 0.0]] * 3))).sites == ()


def _best(problem):
    # Exhaustive optimum of the same objective, to check the greedy's guarantee and bound.
    from tuoyu.engines.access import coverage, pairs_within, places_per_1000

    places = np.broadcast_to(problem["candidate_places"], (len(problem["candidate_xy"]),))
    before = places_per_1000(
        problem["region_population"],
        problem["supply_region"],
        problem["capacity"],
        problem["targets_per_1000"],
    )
    covered = coverage(
        problem["population"],
        problem["threshold"],
        demand_xy=problem["demand_xy"],
        supply_xy=problem["supply_xy"],
    ).covered
    pairs = pairs_within(problem["demand_xy"], problem["candidate_xy"], problem["threshold"])
    best = 0.0
    for size in range(len(places) + 1):
        for chosen in itertools.combinations(range(len(places)), size):
            if places[list(chosen)].sum() > problem["budget"]:
                continue
            now = covered.copy()
            now[pairs.origin[np.isin(pairs.destination, chosen)]] = True
            added = {}
            for k in chosen:
                region = problem["candidate_region"][k]
                added[region] = added.get(region, 0.0) + places[k]
            closed = sum(
                min(before.shortfall[before.position(region)], amount) for region, amount in added.items()
            )
            value = problem["population"][now & ~covered].sum() + problem["target_weight"] * closed
            best = max(best, value)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_greedy_is_within_its_guarantee_of_the_optimum_and_the_bound_holds(seed):
    rng = np.random.default_rng(seed)
    n, k = 150, 8
    sizes = 30.0 if seed % 2 == 0 else rng.choice([20.0, 40.0, 60.0], size=k)
    problem = {
        "demand_xy": rng.uniform(0, 8000, size=(n, 2)),
        "population": rng.gamma(2.0, 10.0, n),
        "supply_xy": rng.uniform(0, 8000, size=(2, 2)),
        "capacity": np.array([50.0, 50.0]),
        "supply_region": ["a", "b"],
        "candidate_xy": rng.uniform(0, 8000, size=(k, 2)),
        "candidate_region": [["a", "b", "c"][i % 3] for i in range(k)],
        "candidate_places": sizes,
        "budget": 100.0,
        "threshold": 1500.0,
        "region_population": {"a": 20_000, "b": 15_000, "c": 5000},
        "targets_per_1000": {"a": 4.5, "c": 4.5},
        "target_weight": 2.0,
    }
    result = suggest_sites(**problem)
    best = _best(problem)
    assert result.places_used <= problem["budget"]
    assert result.objective >= result.guarantee * best - 1e-9
    assert result.upper_bound >= best - 1e-9
    expected = (1 - 1 / math.e) if seed % 2 == 0 else (1 - 1 / math.e) / 2
    assert result.guarantee == pytest.approx(expected)


def test_candidate_in_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown region 'south'"):
        suggest_sites(**_problem(candidate_region=["east", "north", "south"]))
