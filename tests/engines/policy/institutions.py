"""Many varied institutions from a few Hypothesis draws.

Drawing thousands of whole facts files through Hypothesis costs milliseconds each; drawing small
pools of parts (institution-level fields, classes, staff) and composing thousands of institutions
from them with a ``Random`` seeded by Hypothesis keeps Hypothesis's choice of values (boundaries,
nulls, empty lists) at a fraction of the cost.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

from tests.engines.policy.test_properties import SCHEMA, strategy

PROPERTIES = SCHEMA["properties"]
_LISTS = ("classes", "staff")
_TOP = {k: v for k, v in PROPERTIES.items() if k not in _LISTS}


def _compose(seed: int, tops: list[dict], classes: list[dict], staff: list[dict], count: int) -> list[dict]:
    rnd, out = random.Random(seed), []
    for _ in range(count):
        facts: dict = {}
        # each field from a pool member of its own, so the fields combine far beyond the pool's size
        for key in _TOP:
            donor = rnd.choice(tops)
            if key in donor:
                facts[key] = donor[key]
        for key, pool in (("classes", classes), ("staff", staff)):
            roll = rnd.random()
            if roll < 0.05:
                continue  # the list is not reported at all
            if roll < 0.08:
                facts[key] = None
            else:
                facts[key] = [rnd.choice(pool) for _ in range(rnd.randint(0, 8))] if pool else []
        out.append(facts)
    return out


def institutions(count: int) -> st.SearchStrategy[list[dict]]:
    """``count`` facts dicts (docs/facts.schema.json) composed from Hypothesis-drawn parts."""
    top = {"type": "object", "properties": _TOP}
    return st.builds(
        _compose,
        seed=st.integers(0, 2**32 - 1),
        tops=st.lists(strategy(top), min_size=1, max_size=8),
        classes=st.lists(strategy(PROPERTIES["classes"]["items"]), max_size=10),
        staff=st.lists(strategy(PROPERTIES["staff"]["items"]), max_size=12),
        count=st.just(count),
    )
