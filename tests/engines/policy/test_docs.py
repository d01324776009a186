"""The documentation stays true to the code: every rule and parameter key is documented."""

from __future__ import annotations

from pathlib import Path

from tuoyu.engines.policy import RULES
from tuoyu.engines.policy.catalogue import CATALOGUE

DOCS = Path(__file__).resolve().parents[3] / "docs"
POLICY_MD = (DOCS / "policy.md").read_text(encoding="utf-8")
FACTS_MD = (DOCS / "facts.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_rules_table():
    missing = [rule.id for rule in RULES if f"| `{rule.id}` |" not in POLICY_MD]
    assert not missing


def test_every_parameter_key_is_in_the_catalogue_table():
    missing = [key for key in CATALOGUE if f"| `{key}` |" not in POLICY_MD]
    assert not missing


def test_every_provision_appears_in_the_coverage_table():
    coverage = POLICY_MD[POLICY_MD.index("## Coverage of POLICY.md and NATIONAL.md") :]
    for n in range(1, 70):
        pid = f"P{n:02d}"
        assert pid in coverage or _in_range(coverage, "P", n), pid
    for n in [*range(1, 19), 30, 31, 32, 33]:
        nid = f"N{n:02d}"
        assert nid in coverage or _in_range(coverage, "N", n), nid


def _in_range(text: str, prefix: str, n: int) -> bool:
    import re

    for low, high in re.findall(rf"{prefix}(\d\d)–{prefix}(\d\d)", text):
        if int(low) <= n <= int(high):
            return True
    return False


def test_every_certificate_code_is_in_the_facts_vocabulary_table():
    from tuoyu.engines.policy.vocabulary import CERTIFICATES

    assert all(f"| `{code}` |" in FACTS_MD for code in CERTIFICATES)
