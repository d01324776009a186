"""Record the standards engine's findings as the reference the equivalence test compares against.

    DJANGO_SETTINGS_MODULE=tuoyu.site.settings PYTHONPATH=src:. \
        .venv/bin/python tests/engines/policy/record_findings.py

Writes ``recorded_findings.json.gz`` beside this file: the facts and findings of the demo county's
institutions under every profile listed in ``PROFILES``, and of a fixed set of generated
institutions. The facts are stored with the findings, so the test needs neither the database nor
the generator to stay as it was. The file was first recorded from the per-object rules that the
vectorised engine replaced; record again only when a change of findings is intended, and say why
in the commit.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the repository root, for ``tests.…``

from tests.engines.policy.recorded import DEMO_ON, GENERATED_BATCHES, PROFILES, RECORDED, encode  # noqa: E402


def demo_county_facts() -> list[dict]:
    """Facts of every demo-county institution, built in a throwaway SQLite database."""
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from tuoyu.devtools.demo_county import build_demo_county
    from tuoyu.kernel.people.facts import institution_facts
    from tuoyu.kernel.registry.models import Institution

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        build_demo_county(on=DEMO_ON)
        return [institution_facts(inst, DEMO_ON) for inst in Institution.objects.order_by("credit_code")]
    finally:
        teardown_databases(databases, verbosity=0)


def generated_facts() -> list[tuple[str, str, list[dict]]]:
    """(profile, date, institutions) for each batch Hypothesis draws with its derandomised settings."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.engines.policy.institutions import institutions
    from tests.engines.policy.test_properties import DATES

    batches: list[tuple[str, str, list[dict]]] = []
    count, size = GENERATED_BATCHES

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=institutions(size), profile=st.sampled_from(PROFILES), on=DATES)
    def collect(batch, profile, on):
        batches.append((profile, on.isoformat(), batch))

    collect()
    return batches


def main() -> int:
    from tuoyu.engines.policy import check

    cases = []
    for facts in demo_county_facts():
        for profile in PROFILES:
            cases.append(("demo", profile, DEMO_ON.isoformat(), facts))
    for profile, on, batch in generated_facts():
        cases += [("generated", profile, on, facts) for facts in batch]
    findings = [check(facts, profile, on) for _, profile, on, facts in cases]
    data = encode(cases, findings)
    with gzip.open(RECORDED, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
    print(
        f"{len(cases)} institutions, {sum(map(len, findings))} findings → {RECORDED} ({RECORDED.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
