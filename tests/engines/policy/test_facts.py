"""The facts loader: typed dataclasses from JSON, aliases, and precise refusals of bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tuoyu.engines.policy import PolicyInputError, load_facts, read_facts_file
from tuoyu.engines.policy.vocabulary import (
    CERTIFICATE_ALIASES,
    CERTIFICATES,
    CLASS_TYPES,
    EDUCATION,
    LEGAL_FORMS,
    NATURES,
    OPERATORS,
    REGISTRATION_AUTHORITIES,
    ROLES,
)

DOCS = Path(__file__).resolve().parents[3] / "docs"
SCHEMA = json.loads((DOCS / "facts.schema.json").read_text(encoding="utf-8"))


def test_an_empty_object_is_valid_facts_with_everything_unknown():
    facts = load_facts({})
    assert facts.places is None and facts.classes is None and facts.staff is None
    assert facts.service_centre is False and facts.home_childcare_point is False


def test_certificates_accept_chinese_names_and_keep_one_code_each():
    facts = load_facts(
        {
            "staff": [
                {"role": "caregiver", "certificates": ["保育员", "childcare_worker", "育婴员证", "保安员证"]}
            ]
        }
    )
    assert facts.staff[0].certificates == ("childcare_worker", "infant_carer", "security_guard_licence")


def test_every_alias_names_a_known_certificate():
    assert set(CERTIFICATE_ALIASES.values()) <= set(CERTIFICATES)
    assert {"childcare_worker", "infant_carer", "manager_training", "health_care_training", "security_guard_licence",
            "teacher", "nurse", "doctor"} <= set(CERTIFICATES)  # fmt: skip


def test_areas_and_years_become_decimals():
    facts = load_facts(
        {"premises": {"indoor_area_m2": 499.99}, "staff": [{"role": "manager", "management_years": 2.5}]}
    )
    assert facts.premises.indoor_area_m2 == Decimal("499.99")
    assert facts.staff[0].management_years == Decimal("2.5")


def test_children_total_uses_enrolled_or_the_classes():
    assert load_facts({"enrolled": 7, "classes": [{"type": "infant", "children": 3}]}).children_total() == 7
    assert (
        load_facts(
            {"classes": [{"type": "infant", "children": 3}, {"type": "mixed", "children": 4}]}
        ).children_total()
        == 7
    )
    assert (
        load_facts({"classes": [{"type": "infant", "children": 3}, {"type": "mixed"}]}).children_total()
        is None
    )


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ({"places": "ten"}, "places", "must be an integer"),
        ({"places": -1}, "places", "must be 0–100000"),
        ({"places": 10.5}, "places", "must be an integer"),
        ({"affordable": "yes"}, "affordable", "true or false"),
        ({"nature": "charity"}, "nature", "must be one of"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"premises": {"lease_end": "2025-02-30"}}, "premises.lease_end", "YYYY-MM-DD"),
        ({"premises": {"indoor_area_m2": 12.345}}, "premises.indoor_area_m2", "at most 2 decimal places"),
        ({"premises": {"window_area_ratio": 1.5}}, "premises.window_area_ratio", "0–1"),
        (
            {"classes": [{"type": "infant"}, {"type": "infant"}, {"type": "infant", "children": -3}]},
            "classes[2].children",
            "must be 0–10000",
        ),
        ({"classes": [{"children": 3}]}, "classes[0].type", "required"),
        ({"classes": {"type": "infant"}}, "classes", "must be an array"),
        (
            {"staff": [{"role": "caregiver", "certificates": ["驾驶证"]}]},
            "staff[0].certificates[0]",
            "unknown certificate",
        ),
        ({"staff": [{"role": "chef"}]}, "staff[0].role", "must be one of"),
        ({"household": {"share_percent": 30}}, "household.share_percent", "100"),
        ([1, 2], "（根）", "JSON object"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(data, path, fragment):
    with pytest.raises(PolicyInputError) as error:
        load_facts(data)
    assert error.value.en.startswith(path) or error.value.zh.startswith(path), error.value.en
    assert fragment in error.value.en or fragment in error.value.zh


def test_a_file_that_is_not_json_is_refused_with_its_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"places": 10,\n', encoding="utf-8")
    with pytest.raises(PolicyInputError) as error:
        read_facts_file(path)
    assert "line 2" in error.value.en


def test_the_schema_lists_the_same_codes_as_the_engine():
    props = SCHEMA["properties"]
    assert props["nature"]["enum"][:-1] == list(NATURES)
    assert props["legal_form"]["enum"][:-1] == list(LEGAL_FORMS)
    assert props["registered_with"]["enum"][:-1] == list(REGISTRATION_AUTHORITIES)
    assert props["operator"]["enum"][:-1] == list(OPERATORS)
    assert props["classes"]["items"]["properties"]["type"]["enum"] == list(CLASS_TYPES)
    staff = props["staff"]["items"]["properties"]
    assert staff["role"]["enum"] == list(ROLES)
    assert staff["education"]["enum"][:-1] == list(EDUCATION)
    assert set(staff["certificates"]["items"]["enum"]) == set(CERTIFICATES) | set(CERTIFICATE_ALIASES)


def test_the_schema_and_the_loader_know_the_same_fields():
    from tuoyu.engines.policy.facts import Facts, Premises, StaffMember

    props = SCHEMA["properties"]
    assert set(props) == set(Facts.__dataclass_fields__)
    assert set(props["premises"]["properties"]) == set(Premises.__dataclass_fields__)
    assert set(props["staff"]["items"]["properties"]) == set(StaffMember.__dataclass_fields__)


def test_the_issue_field_names_are_all_there():
    props = SCHEMA["properties"]
    for name in ("name", "nature", "operator", "affordable", "service_centre", "home_childcare_point", "premises",
                 "places", "classes", "staff", "video", "prepaid_fee_months", "business_scope", "parents_committee",
                 "project"):  # fmt: skip
        assert name in props
    assert {"tenure", "lease_start", "lease_end", "indoor_area_m2", "outdoor_area_m2", "building_area_m2",
            "floor_of_child_rooms"} <= set(props["premises"]["properties"])  # fmt: skip
    assert {"covers_child_areas", "armed_24h", "retention_days", "parent_live_view"} <= set(
        props["video"]["properties"]
    )
    assert {"new_places", "classes", "cost", "provincial_place_subsidy", "central_funding"} <= set(
        props["project"]["properties"]
    )


@pytest.mark.parametrize("path", sorted((DOCS / "examples").glob("*.json")), ids=lambda p: p.name)
def test_the_documented_examples_load(path):
    assert read_facts_file(path).name
