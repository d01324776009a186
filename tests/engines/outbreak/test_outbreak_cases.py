"""The YAML cases in cases/: check rows, the profile, and every alert the documents say they raise."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml

from tuoyu.engines.outbreak import rules_on, scan
from tuoyu.engines.outbreak.csvio import read_checks
from tuoyu.engines.policy import load_profile

CASES_DIR = Path(__file__).with_name("cases")


def _load_cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults", {})
        out += [(f"{path.stem}: {case['name']}", {**defaults, **case}) for case in data["cases"]]
    return out


CASES = _load_cases()


def checks_file(groups: list[dict]) -> bytes:
    """The case's groups of checks as the command's CSV file."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("institution", "class", "child", "date", "symptoms", "diagnosis"))
    fresh = 0
    for group in groups:
        children = group["children"]
        if isinstance(children, int):
            children, fresh = [f"K{fresh + k:03d}" for k in range(children)], fresh + children
        for child in children:
            writer.writerow(
                (
                    group.get("institution", "JG1"),
                    group.get("class", ""),
                    child,
                    group["date"].isoformat(),
                    group.get("symptoms", ""),
                    group.get("diagnosis", ""),
                )
            )
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[n for n, _ in CASES])
def test_alerts_follow_the_documents(case):
    checks, _ = read_checks(checks_file(case["checks"]))
    alerts = scan(checks, load_profile(case["profile"]))
    expected = case["expect"]
    assert len(alerts) == len(expected), [a.rule.text for a in alerts]
    for alert, want in zip(alerts, expected, strict=True):
        assert alert.institution == want.get("institution", "JG1")
        assert alert.care_class == want["class"]
        assert want["rule"] in alert.rule.text, alert.rule.text
        got = (alert.first_date, alert.last_date, alert.cases, alert.report_by)
        assert got == (want["first_date"], want["last_date"], want["cases"], want["report_by"])
    if expected:
        # The rule is cited: the document its threshold comes from, by title, in the description.
        for alert in alerts:
            titles = {source.title for source in alert.rule.sources}
            assert case["source"] in titles and f"《{case['source']}》" in alert.rule.text


def test_every_national_threshold_has_a_case_at_it_and_one_below():
    def family(rule_id: str) -> str:
        return rule_id.rsplit(".", 1)[0] if rule_id.startswith("outbreak.class_cluster.") else rule_id

    wanted = {
        (family(rule.id), side)
        for rule in rules_on(load_profile("national"), dt.date(2024, 6, 3))
        for side in ("at", "below")
    }
    marked = {(c["threshold"]["rule"], c["threshold"]["side"]) for _, c in CASES if "threshold" in c}
    assert wanted <= marked, sorted(wanted - marked)
    for _, case in CASES:
        if "threshold" in case:
            assert bool(case["expect"]) == (case["threshold"]["side"] == "at"), case["name"]
