"""Places per 1000 residents: one definition, one rounding rule, one count of places a target needs."""

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuoyu.engines import per_1000
from tuoyu.engines.access import places_per_1000

SRC = Path(__file__).resolve().parents[2] / "src" / "tuoyu"


def test_the_rate_is_unrounded_and_unknown_without_residents():
    assert per_1000.rate(90, 20_000) == 4.5
    assert per_1000.rate(None, 1000) == 0
    assert per_1000.rate(10, 0) is None
    assert per_1000.rate(10, None) is None


@pytest.mark.parametrize(
    ("places", "population", "shown"),
    [
        (809, 200_000, "4.05"),  # exactly 4.045: half up, not to even
        (8089, 2_000_000, "4.04"),  # 4.0445
        (404, 100_000, "4.04"),  # Longmatan's 2024 target, met exactly, reads as stated
        (40, 10_000, "4.00"),  # a column of measured figures keeps its places
        (1, 3, "333.33"),
        (0, 500, "0.00"),
        (5, 0, "—"),
        (5, None, "—"),
    ],
)
def test_a_measured_rate_is_shown_half_up_to_two_places(places, population, shown):
    assert per_1000.text(places, population) == shown


def test_the_rounded_rate_is_the_shown_one():
    assert per_1000.rounded(809, 200_000) == Decimal("4.05")
    assert per_1000.rounded(1, 0) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(8, "8"), (10, "10"), (4.7, "4.7"), (4.04, "4.04"), (Decimal("4.50"), "4.5"), (None, "—")],
)
def test_a_stated_norm_reads_as_the_document_states_it(value, shown):
    assert per_1000.stated(value) == shown


@pytest.mark.parametrize(
    ("target", "population", "needed"),
    [
        (4.7, 52_300, 246),
        (4.4, 50_000, 220),
        (4.7, 1000, 5),
        (4.04, 100_000, 404),
        (0, 10_000, 0),
        (10, 0, 0),
    ],
)
def test_the_places_a_target_needs_are_whole_and_exact(target, population, needed):
    assert per_1000.places_needed(target, population) == needed


@given(
    target=st.decimals(min_value=0, max_value=20, places=2),
    population=st.integers(min_value=0, max_value=5_000_000),
)
def test_the_places_needed_reach_the_target_and_one_fewer_would_not(target, population):
    needed = per_1000.places_needed(target, population)
    assert Decimal(needed) * 1000 >= target * population
    assert needed == 0 or Decimal(needed - 1) * 1000 < target * population


def test_the_access_engine_counts_needed_places_the_same_way():
    population = {"a": 52_300, "b": 50_000, "c": 1000, "d": 0}
    targets = {"a": 4.7, "b": 4.4, "c": 4.7, "d": 4.5}
    table = places_per_1000(population, [], np.zeros(0), targets)
    assert table.target_places.tolist() == [
        float(per_1000.places_needed(targets[r], population[r])) for r in population
    ]


def test_nothing_else_multiplies_or_divides_by_1000():
    arithmetic = re.compile(r"[*/]\s*1000(\.0)?\b|\b1000(\.0)?\s*[*/]")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "per_1000.py" and "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if arithmetic.search(line)
    ]
    assert found == [], "compute places per 1000 with tuoyu.engines.per_1000"
