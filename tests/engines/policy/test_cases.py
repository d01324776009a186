"""The YAML cases in cases/: profile, date, facts, and the findings, amounts, targets and dated
parameters the documents imply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tuoyu.engines.policy import RULES, check, check_many, load_profile, subsidies
from tuoyu.engines.policy.profiles import jsonable
from tuoyu.engines.policy.targets import norm_binding, norm_deadline, planning_norm, target_on

CASES_DIR = Path(__file__).with_name("cases")


def _load_cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults", {})
        for case in data["cases"]:
            merged = {**defaults, **case}
            out.append((f"{path.stem}: {case['name']}", merged))
    return out


CASES = _load_cases()


def _as_json_facts(facts: dict) -> dict:
    """YAML turns ISO dates into date objects; facts files carry strings."""

    def convert(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(facts)


def _matches(finding, expected: dict) -> list[str]:
    problems = []
    for field in ("status", "provision", "value", "limit"):
        if field in expected and getattr(finding, field) != expected[field]:
            problems.append(f"{field}: got {getattr(finding, field)!r}, expected {expected[field]!r}")
    source = finding.source
    for field in ("clause", "document", "confidence", "profile"):
        if field in expected:
            got = None if source is None else getattr(source, field)
            if got != expected[field]:
                problems.append(f"source.{field}: got {got!r}, expected {expected[field]!r}")
    for fragment in expected.get("message_contains", []):
        if fragment not in finding.message:
            problems.append(f"message {finding.message!r} lacks {fragment!r}")
    for fragment in expected.get("message_not_contains", []):
        if fragment in finding.message:
            problems.append(f"message {finding.message!r} has {fragment!r}")
    return problems


@pytest.mark.parametrize(
    "case", [c for _, c in CASES if "expect" in c], ids=[n for n, c in CASES if "expect" in c]
)
def test_findings_follow_the_documents(case):
    facts = _as_json_facts(case.get("facts", {}))
    findings = check(facts, case["profile"], case["date"])
    by_key = {(f.rule, f.subject): f for f in findings}
    for expected in case["expect"]:
        key = (expected["rule"], expected.get("subject", "institution"))
        assert key in by_key, f"no finding for {key}"
        problems = _matches(by_key[key], expected)
        assert not problems, f"{key}: " + "; ".join(problems) + f"\nmessage: {by_key[key].message}"
    # the batch path must say exactly the same
    assert check_many([facts], case["profile"], case["date"])[0] == findings


@pytest.mark.parametrize(
    "case", [c for _, c in CASES if "expect_money" in c], ids=[n for n, c in CASES if "expect_money" in c]
)
def test_amounts_follow_the_documents(case):
    result = subsidies(_as_json_facts(case.get("facts", {})), case["profile"], case["month"])
    out = result.to_dict()
    lines = {line["item"]: line for line in out["lines"]}
    for item, expected in case["expect_money"].items():
        if item == "total":
            assert out["total"] == expected
            continue
        if expected is None:
            assert item not in lines
            continue
        if isinstance(expected, str):
            expected = {"amount": expected}
        assert item in lines, f"no {item} line"
        line = lines[item]
        assert line["amount"] == expected["amount"], line["basis"]
        for fragment in expected.get("basis_contains", []):
            assert fragment in line["basis"], line["basis"]
        if "provision" in expected:
            assert line["source"]["provision"] == expected["provision"]
        if "pending" in expected:
            assert line["pending"] == expected["pending"], line["basis"]


def _with(key: str) -> dict:
    found = [(n, c) for n, c in CASES if key in c]
    return {"argvalues": [c for _, c in found], "ids": [n for n, _ in found]}


@pytest.mark.parametrize("case", **_with("expect_targets"))
def test_targets_follow_the_documents(case):
    """``expect_targets``: key → {year, value} of the target that applies on the date, or null."""
    for key, expected in case["expect_targets"].items():
        found = target_on(case["profile"], key, case["date"])
        if expected is None:
            assert found is None, (key, found)
            continue
        assert found is not None, key
        assert (found.year, jsonable(found.value)) == (expected["year"], expected["value"]), key
        if "provision" in expected:
            assert found.param.source.provision == expected["provision"], key


@pytest.mark.parametrize("case", **_with("expect_params"))
def test_dated_values_follow_the_documents(case):
    """``expect_params``: key → the value in force on the date (null: none in force)."""
    profile = load_profile(case["profile"])
    for key, expected in case["expect_params"].items():
        param = profile.lookup(key, case["date"])
        if expected is None:
            assert param is None, (key, param)
            continue
        assert param is not None, key
        if isinstance(expected, dict) and "value" in expected:
            assert jsonable(param.value) == expected["value"], key
            if "profile" in expected:
                assert param.source.profile == expected["profile"], key
        else:
            assert jsonable(param.value) == expected, key


@pytest.mark.parametrize("case", **_with("expect_norms"))
def test_planning_norms_follow_the_documents(case):
    """``expect_norms``: area type → {value, due_year, binding}."""
    for area, expected in case["expect_norms"].items():
        norm = planning_norm(case["profile"], area, case["date"])
        if expected is None:
            assert norm is None, area
            continue
        deadline = norm_deadline(case["profile"], area, case["date"])
        got = {
            "value": jsonable(norm.value),
            "due_year": None if deadline is None else deadline.value,
            "binding": norm_binding(deadline, case["date"]),
        }
        assert got == {**got, **expected}, area


def test_every_rule_has_pass_fail_and_unknown_cases():
    seen: dict[str, set[str]] = {rule.id: set() for rule in RULES}
    for _, case in CASES:
        for expected in case.get("expect", []):
            seen[expected["rule"]].add(expected["status"])
    lacking = {rule: sorted({"pass", "fail", "unknown"} - statuses) for rule, statuses in seen.items()}
    lacking = {rule: missing for rule, missing in lacking.items() if missing}
    assert not lacking, f"rules without boundary cases: {lacking}"
