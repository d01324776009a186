"""The facts the platform builds for the policy engine about one institution (docs/facts.md)."""

import datetime as dt

from tuoyu.engines import policy
from tuoyu.kernel.people.facts import institution_facts

ON = dt.date(2026, 11, 23)


def _authority(facts: dict, profile: str) -> policy.Finding:
    return next(f for f in policy.check(facts, profile, ON) if f.rule == "registration.authority")


def test_the_recorded_registering_office_is_the_fact(world):
    # a company in Longmatan is registered by the district 行政审批局 (003 附件2 #18); its credit code
    # still starts with 9, the market-regulation regime, so only the record can say so
    world.inst_a.registered_with = "administrative_approval"
    world.inst_a.save()
    facts = institution_facts(world.inst_a, ON)
    assert (facts["legal_form"], facts["registered_with"]) == ("enterprise", "administrative_approval")
    assert _authority(facts, "sichuan-luzhou-longmatan").status == "pass"
    assert world.inst_a.registration_authority_label == "行政审批局"


def test_without_a_recorded_office_the_credit_code_names_it_where_that_is_unambiguous(world):
    assert world.inst_a.registered_with == "" and world.inst_a.credit_code.startswith("9")
    facts = institution_facts(world.inst_a, ON)  # national rules: 9 → 市场监管 (备案办法)
    assert facts["registered_with"] == "market_regulation"
    assert _authority(facts, "national").status == "pass"
    assert world.inst_a.registration_authority_label == "市场监管部门"


def test_where_an_approval_office_registers_the_credit_code_cannot_tell_and_the_check_asks(world):
    # in Longmatan the 行政审批局 issues 9-codes as well (003 附件2 #18): guessing 市场监管 would be a
    # false failure, so the office is unknown until it is recorded
    world.county_a.policy_profile = "sichuan-luzhou-longmatan"
    world.county_a.save()
    world.inst_a.refresh_from_db()
    facts = institution_facts(world.inst_a, ON)
    assert facts["registered_with"] is None
    finding = _authority(facts, "sichuan-luzhou-longmatan")
    assert finding.status == "unknown" and "登记机关未填报" in finding.message
    # before Longmatan's document the national table applies, and the code is unambiguous again
    assert institution_facts(world.inst_a, dt.date(2023, 2, 22))["registered_with"] == "market_regulation"
