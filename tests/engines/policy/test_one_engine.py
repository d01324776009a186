"""One standards engine: the vectorised engine says exactly what the per-object rules said.

Until the engine replaced them, per-object rules checked one institution at a time. What they said
about the demo county (60 institutions under six profiles) and about 4,000 generated institutions is
recorded in ``recorded_findings.json.gz`` with the facts it was said about; the engine must say the
same finding for finding — rule, provision, status, subject, value, limit, message, sources — and
in the same order. Before the per-object rules were removed this test also compared the two side by
side on 10,000 institutions composed from Hypothesis-drawn parts; that run now holds the engine to
itself: an institution's findings do not depend on the batch it is checked in, and the counts a
batch gives at once are the counts of the findings it words.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.policy import recorded
from tests.engines.policy.institutions import institutions
from tests.engines.policy.test_properties import DATES
from tuoyu.engines.policy import check, summary
from tuoyu.engines.policy.findings import CODE
from tuoyu.engines.policy.standards import FactsBatch, check_batch, check_many

CASES = recorded.load()


def _by_profile_and_date(kind: str) -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for case in CASES:
        if case["kind"] == kind:
            groups[case["profile"], case["on"]].append(case)
    return groups


@pytest.mark.parametrize("kind", ["demo", "generated"])
def test_engine_gives_the_recorded_findings(kind):
    groups = _by_profile_and_date(kind)
    assert groups
    for (profile, on), cases in groups.items():
        found = check_many([case["facts"] for case in cases], profile, on)
        for case, findings in zip(cases, found, strict=True):
            assert [f.to_dict() for f in findings] == case["findings"], case["facts"].get("name")


def test_one_institution_alone_gives_the_recorded_findings():
    for case in CASES:
        if case["kind"] == "demo":
            assert [f.to_dict() for f in check(case["facts"], case["profile"], case["on"])] == case[
                "findings"
            ]


def test_the_recorded_findings_cover_every_status_and_rule():
    from tuoyu.engines.policy import RULES

    for kind in ("demo", "generated"):
        findings = [f for case in CASES if case["kind"] == kind for f in case["findings"]]
        assert {f["status"] for f in findings} == set(CODE)
        assert {f["rule"] for f in findings} == {rule.id for rule in RULES}


# 20 batches of 500: 10,000 institutions; every third is checked again in a batch of another make-up.
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=institutions(500), profile=st.sampled_from(recorded.PROFILES), on=DATES)
def test_findings_do_not_depend_on_the_batch(batch, profile, on):
    whole = check_batch(FactsBatch.from_facts(batch), profile, on)
    # the other batch: every third institution, last first
    others = list(range(len(batch)))[::-3]
    part = check_batch(FactsBatch.from_facts([batch[i] for i in others]), profile, on)
    for j, i in enumerate(others):
        findings = whole.findings(i)
        assert part.findings(j) == findings
        assert (
            [int(x) for x in whole.counts[i]]
            == [int(x) for x in part.counts[j]]
            == [summary(findings)[s] for s in CODE]
        )
    assert all(sum(whole.counts[i]) > 0 for i in range(len(batch)))
