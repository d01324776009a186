"""Classes: size, children per caregiver and age range by class type (P06–P08; N01, N02).

A class rule looks up only its own class type's parameter (``Rule.lookups``), and its message is
headed by the class type's name (``Rule.heading``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuoyu.engines.policy.facts import CareClass
from tuoyu.engines.policy.findings import PASS, UNKNOWN
from tuoyu.engines.policy.standards.conditions import decide, only_where
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count, per_carer
from tuoyu.engines.policy.vocabulary import CLASS_TYPES


def _by_type(values: Values, prefix: str) -> tuple[list, np.ndarray]:
    """Each class type's parameter (None where unset) and whether it is set, indexed by type code."""
    limits = [values.get(f"{prefix}.{t}") for t in CLASS_TYPES]
    return limits, np.array([v is not None for v in limits], dtype=bool)


def _keys(prefix: str, types: Sequence[str] = tuple(CLASS_TYPES)) -> tuple[str, ...]:
    return tuple(f"{prefix}.{t}" for t in types)


def _own(p: Values, prefix: str, c: CareClass):
    return p.get(f"{prefix}.{c.type}")


_SIZE = "class.max_size"


@standard(
    "class.size",
    "班额",
    ("P07", "N01"),
    _keys(_SIZE),
    explain=lambda c, p: Explained(
        c.children,
        _own(p, _SIZE, c),
        {"size": count("招托", c.children, _own(p, _SIZE, c), "人", floor=False)},
    ),
    subject="class",
)
def size(b, p, on):
    limits, present = _by_type(p, _SIZE)
    kind, children = b.cls["type"], b.cls["children"]
    limit = np.array([v or 0 for v in limits], dtype=np.int64)[kind]
    return [("size", only_where(present[kind], decide(children < 0, children <= limit)))]


_RATIO = "class.max_children_per_caregiver"


def _ratio_explained(c: CareClass, p: Values) -> Explained:
    limit = _own(p, _RATIO, c)
    value = None if c.children is None or c.caregivers is None else f"{c.caregivers}:{c.children}"
    phrases = {"ratio": per_carer(c.children, c.caregivers, limit, "保育人员")}
    # N02 sets no ratio for mixed-age classes; the catalogue has no such key
    return Explained(
        value,
        None if limit is None else f"1:{limit}",
        phrases,
        "混龄班未规定保育比" if c.type == "mixed" else "",
    )


@standard(
    "class.ratio",
    "保育比",
    ("P08", "N02"),
    _keys(_RATIO, [t for t in CLASS_TYPES if t != "mixed"]),
    explain=_ratio_explained,
    subject="class",
)
def ratio(b, p, on):
    limits, present = _by_type(p, _RATIO)
    kind = b.cls["type"]
    children, carers = b.cls["children"].astype(np.int64), b.cls["caregivers"].astype(np.int64)
    limit = np.array([v or 0 for v in limits], dtype=np.int64)[kind]
    return [
        (
            "ratio",
            only_where(present[kind], decide((children < 0) | (carers < 0), children <= carers * limit)),
        )
    ]


_AGE = "class.age_months"


def _age_explained(c: CareClass, p: Values) -> Explained:
    band = _own(p, _AGE, c)
    phrases = {
        "youngest": lambda st: (
            "最小月龄未填报"
            if st == UNKNOWN
            else f"最小 {c.youngest_months} 月龄（{'不小于' if st == PASS else '小于'} {band[0]} 月龄）"
        ),
        "oldest": lambda st: (
            "最大月龄未填报"
            if st == UNKNOWN
            else f"最大 {c.oldest_months} 月龄（{'不大于' if st == PASS else '大于'} {band[1]} 月龄）"
        ),
    }
    value = {"youngest_months": c.youngest_months, "oldest_months": c.oldest_months}
    return Explained(value, None if band is None else list(band), phrases)


@standard("class.age_range", "班级月龄", ("P06", "N01"), _keys(_AGE), explain=_age_explained, subject="class")
def age_range(b, p, on):
    bands, present = _by_type(p, _AGE)
    low = np.array([band[0] if band else 0 for band in bands], dtype=np.int64)
    high = np.array([band[1] if band else 0 for band in bands], dtype=np.int64)
    kind, youngest, oldest = b.cls["type"], b.cls["youngest"], b.cls["oldest"]
    return [
        ("youngest", only_where(present[kind], decide(youngest < 0, youngest >= low[kind]))),
        ("oldest", only_where(present[kind], decide(oldest < 0, oldest <= high[kind]))),
    ]
