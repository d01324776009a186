"""Properties over any facts the JSON Schema allows (strategies built from docs/facts.schema.json itself).

- no rule crashes, and every finding is well formed and JSON-serialisable;
- the batch path gives exactly the one-by-one findings and counts;
- subsidies never crash, amounts are two-place decimal strings and the total adds up.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuoyu.engines.policy import check, load_facts, subsidies, summary
from tuoyu.engines.policy.findings import CODE
from tuoyu.engines.policy.standards import FactsBatch, check_batch

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "facts.schema.json").read_text(encoding="utf-8")
)
PROFILES = [
    "national",
    "gansu",
    "jiangxi",
    "jiangsu-lianyungang",
    "sichuan-luzhou-longmatan",
    "zhejiang-wenzhou-ouhai",
]
SCOPES = ["托育服务", "3岁以下婴幼儿照护服务", "早期教育", "", "托育服务；餐饮服务"]


def _number(node: dict) -> st.SearchStrategy:
    step = Decimal(str(node.get("multipleOf", 1)))
    high = Decimal(str(node.get("maximum", 5000)))
    steps = int(high / step)
    # JSON numbers as a parser would produce them: floats whose shortest form has the allowed places
    return st.integers(0, steps).map(lambda k: float(Decimal(k) * step))


def strategy(node: dict, name: str = "") -> st.SearchStrategy:
    """A Hypothesis strategy for the subset of JSON Schema the facts schema uses."""
    if "enum" in node:
        return st.sampled_from(node["enum"])
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    options = []
    for kind in types:
        if kind == "null":
            options.append(st.none())
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "integer":
            options.append(st.integers(node.get("minimum", 0), min(node.get("maximum", 400), 400)))
        elif kind == "number":
            options.append(_number(node))
        elif kind == "string" and node.get("format") == "date":
            options.append(st.dates(dt.date(2016, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat))
        elif kind == "string":
            options.append(st.sampled_from(SCOPES) if name == "business_scope" else st.text(max_size=8))
        elif kind == "array":
            options.append(st.lists(strategy(node["items"], name), max_size=5))
        elif kind == "object":
            props = node["properties"]
            required = set(node.get("required", ()))
            options.append(
                st.fixed_dictionaries(
                    {k: strategy(v, k) for k, v in props.items() if k in required},
                    optional={k: strategy(v, k) for k, v in props.items() if k not in required},
                )
            )
    return st.one_of(options)


FACTS = strategy({**SCHEMA, "type": "object"})
DATES = st.dates(dt.date(2018, 6, 1), dt.date(2027, 6, 1))
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(facts=FACTS, profile=st.sampled_from(PROFILES), on=DATES)
def test_no_rule_crashes_on_schema_valid_facts(facts, profile, on):
    findings = check(facts, profile, on)
    assert findings
    for f in findings:
        assert f.status in CODE
        title, _, detail = f.message.partition("：")
        assert title and detail, f.message
        json.dumps(f.to_dict(), ensure_ascii=False)
        if f.status in ("pass", "fail"):
            assert f.sources, f"{f.rule} {f.status} without a source"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(FACTS, min_size=1, max_size=8), profile=st.sampled_from(PROFILES), on=DATES)
def test_batch_findings_are_identical_to_one_by_one(batch, profile, on):
    result = check_batch(FactsBatch.from_facts(batch), profile, on)
    for i, facts in enumerate(batch):
        one = check(facts, profile, on)
        assert result.findings(i) == one
        assert [int(x) for x in result.counts[i]] == [summary(one)[s] for s in CODE]


@QUICK
@given(facts=FACTS, profile=st.sampled_from(PROFILES), on=DATES)
def test_subsidies_never_crash_and_add_up(facts, profile, on):
    result = subsidies(facts, profile, on.strftime("%Y-%m"))
    out = result.to_dict()
    total = Decimal(0)
    for line in out["lines"]:
        amount = Decimal(line["amount"])
        assert amount >= 0 and line["amount"] == f"{amount:.2f}" and line["basis"]
        if line["kind"] == "subsidy":
            total += amount
    assert Decimal(out["total"]) == total
    assert (out["lines"][0]["item"], "construction" in {x["item"] for x in out["lines"]}) == (
        "operating",
        load_facts(facts).project is not None,
    )


def test_the_batch_refuses_facts_the_loader_would_refuse():
    import pytest

    from tuoyu.engines.policy import PolicyInputError
    from tuoyu.engines.policy.facts import Facts, Premises

    with pytest.raises(PolicyInputError):
        FactsBatch.from_facts([Facts(places=3, premises=Premises(indoor_area_m2=Decimal("-1.6")))])
    with pytest.raises(PolicyInputError):
        FactsBatch.from_facts([Facts(places=-1)])
    with pytest.raises(PolicyInputError):
        FactsBatch.from_facts([Facts(premises=Premises(indoor_area_m2=Decimal("1.005")))])
