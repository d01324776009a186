"""One standards engine: the vectorised engine says exactly what the per-object rules said.

The per-object rules (``rules.check``, one institution at a time) and the vectorised engine must
agree finding for finding — rule, provision, status, subject, value, limit, message, sources and
their order — on the demo county and on generated institutions. ``recorded_findings.json.gz``
holds what the per-object rules said, so the comparison outlives them.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.policy import recorded
from tests.engines.policy.institutions import institutions
from tests.engines.policy.test_properties import DATES
from tuoyu.engines.policy import summary
from tuoyu.engines.policy.findings import CODE
from tuoyu.engines.policy.rules import check as check_per_object
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


def test_the_recorded_demo_county_covers_every_status():
    statuses = {f["status"] for case in CASES if case["kind"] == "demo" for f in case["findings"]}
    assert statuses == set(CODE)


# 20 batches of 500: 10,000 institutions, each checked by both implementations.
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=institutions(500), profile=st.sampled_from(recorded.PROFILES), on=DATES)
def test_engine_agrees_with_the_per_object_rules_on_generated_institutions(batch, profile, on):
    result = check_batch(FactsBatch.from_facts(batch), profile, on)
    for i, facts in enumerate(batch):
        expected = check_per_object(facts, profile, on)
        assert result.findings(i) == expected
        assert [int(x) for x in result.counts[i]] == [summary(expected)[s] for s in CODE]
