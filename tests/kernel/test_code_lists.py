"""Each code list is written once, in the engines' vocabulary; the Django choices are built from it.

Every model field with choices in the kernel and the domains is either one of the vocabulary's lists
(same codes, same order, same Chinese labels) or named below as the platform's own list, with the
reason no engine, facts file or profile uses it. A new field with choices fails until it is one or
the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from tuoyu.engines import identifiers
from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.people import facts as people_facts
from tuoyu.kernel.people.models import Certificate
from tuoyu.kernel.registry import rules
from tuoyu.kernel.registry.models import ServiceType

SRC = Path(__file__).resolve().parents[2] / "src" / "tuoyu"

FROM_VOCABULARY = {
    "accounts.User.department": vocabulary.DEPARTMENTS,
    "regions.Region.area_type": vocabulary.AREA_TYPES,
    "registry.Institution.legal_form": vocabulary.LEGAL_FORMS,
    "registry.Institution.registered_with": vocabulary.REGISTRATION_AUTHORITIES,
    "registry.Institution.nature": vocabulary.NATURES,
    "registry.Institution.operator": vocabulary.OPERATORS,
    "registry.Institution.provision_model": vocabulary.PROVISION_MODELS,
    "registry.Institution.tenure": vocabulary.TENURES,
    "registry.Institution.status": vocabulary.INSTITUTION_STATUSES,
    "operations.CareClass.class_type": vocabulary.CLASS_TYPES,
    "operations.Child.sex": vocabulary.SEXES,
    "operations.Guardianship.relation": vocabulary.RELATIONS,
    "operations.GuardianInvitation.relation": vocabulary.RELATIONS,
    "operations.StaffMember.role": vocabulary.ROLES,
    "operations.StaffMember.education": vocabulary.EDUCATION,
    "operations.StaffCheck.kind": vocabulary.STAFF_CHECKS,
    "operations.StaffCertificate.certificate": vocabulary.CERTIFICATES,
    "operations.StaffTraining.stage": vocabulary.TRAINING_STAGES,
    "health.ClassCheck.sitting": vocabulary.CHECK_SITTINGS,
    "health.ChildCheck.action": vocabulary.CHECK_ACTIONS,
    "health.ChildCheck.diagnosis": vocabulary.DIAGNOSES,
    "health.ReturnCertificate.diagnosis": vocabulary.DIAGNOSES,
    "attendance.Attendance.absence": vocabulary.ABSENCE_REASONS,
    "attendance.PickupPerson.relation": vocabulary.PICKUP_RELATIONS,
}

# Lists of codes kept in JSON fields; the forms offer these choices.
IN_JSON_FIELDS = [(ServiceType, vocabulary.SERVICE_TYPES), (Certificate, vocabulary.CERTIFICATES)]

PLATFORM_OWN = {
    "regions.Region.level": "administrative levels; the codes are engines.identifiers.DivisionLevel (checked below)",
    "accounts.User.role": "who may do what on the platform (kernel/accounts/access.py)",
    "audit.AuditEvent.verb": "what the audit trail records",
    "messaging.OutboxMessage.topic": "the events the outbox carries",
    "filings.Filing.kind": "the filing workflow",
    "filings.Filing.state": "the filing workflow",
    "filings.Material.kind": "the documents a filing attaches",
    "filings.Event.from_state": "the filing workflow",
    "filings.Event.to_state": "the filing workflow",
    "filings.Placement.person": "whom a closure places elsewhere",
    "enrollment.Round.state": "the enrolment round's workflow",
    "enrollment.PriorityRule.kind": "priority cases a round's organiser chooses",
    "enrollment.Application.response": "a family's answer to an offer",
    "cameras.Camera.area": "where a camera looks; cameras.models.CHILD_AREAS says which are children's areas",
    "cameras.CameraDay.status": "how a camera ran on a day",
    "cameras.CameraDay.source": "who reported a camera's day",
    "disclosure.FeeItem.unit": "how a published fee is charged",
}


def _fields_with_choices() -> dict[str, object]:
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith(("tuoyu.kernel.", "tuoyu.domains.")):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None):
                found[f"{model._meta.label}.{field.name}"] = field
    return found


def test_every_field_with_choices_is_a_vocabulary_list_or_the_platforms_own():
    fields = set(_fields_with_choices())
    assert not FROM_VOCABULARY.keys() & PLATFORM_OWN.keys()
    assert sorted(fields - FROM_VOCABULARY.keys() - PLATFORM_OWN.keys()) == [], (
        "add to FROM_VOCABULARY or PLATFORM_OWN"
    )
    assert sorted((FROM_VOCABULARY.keys() | PLATFORM_OWN.keys()) - fields) == [], "no such field any more"


@pytest.mark.parametrize("name", sorted(FROM_VOCABULARY))
def test_the_fields_choices_are_the_vocabulary_list(name):
    field = _fields_with_choices()[name]
    assert list(field.choices) == FROM_VOCABULARY[name].choices


@pytest.mark.parametrize(("choices", "codes"), IN_JSON_FIELDS, ids=lambda x: getattr(x, "__name__", ""))
def test_choices_for_json_lists_are_the_vocabulary_list(choices, codes):
    assert choices.choices == codes.choices


def test_the_levels_are_the_identifier_engines_levels():
    field = _fields_with_choices()["regions.Region.level"]
    assert [code for code, _ in field.choices] == [level.value for level in identifiers.DivisionLevel]


def test_a_label_is_the_name_and_its_note():
    assert vocabulary.CLASS_TYPES["infant"] == "乳儿班"  # as sentences use it: 乳儿班班额
    assert vocabulary.CLASS_TYPES.label("infant") == "乳儿班（6–12个月）"  # as a form offers it
    assert vocabulary.CLASS_TYPES.label("mixed") == "混龄班"
    assert vocabulary.LEGAL_FORMS.label("social_service_org") == "社会服务机构（民办非企业单位）"


def test_the_facts_documentation_names_certificates_as_the_vocabulary_does():
    table = (SRC.parents[1] / "docs" / "facts.md").read_text(encoding="utf-8")
    for code, name in vocabulary.CERTIFICATES.items():
        assert f"| `{code}` | {name} |" in table


def test_every_certificate_name_is_accepted_in_facts():
    for code, name in vocabulary.CERTIFICATES.items():
        assert vocabulary.certificate_code(name) == code
        assert vocabulary.certificate_code(vocabulary.CERTIFICATES.label(code)) == code


# --- the registering office a credit code implies ---------------------------------------------------


def test_the_registrar_mapping_is_one_object_used_everywhere():
    mapping = vocabulary.REGISTRAR_BY_CREDIT_CODE
    assert people_facts.REGISTRAR_BY_CREDIT_CODE is mapping
    assert rules.REGISTRAR_BY_CREDIT_CODE is mapping
    assert set(mapping.values()) <= set(vocabulary.REGISTRATION_AUTHORITIES)
    # GB 32100 names the same offices the vocabulary does.
    for character, office in mapping.items():
        department = identifiers.RegistrationDepartment(character)
        assert (
            identifiers.REGISTRATION_DEPARTMENT_LABELS[department]
            == vocabulary.REGISTRATION_AUTHORITIES[office]
        )


def test_the_legal_forms_office_agrees_with_the_credit_code():
    assert rules.registration_authority("public_institution") == "staffing_office"
    assert rules.registration_problems(
        legal_form="public_institution", nature="non_profit", credit_code="9", business_scope=""
    ) == ["统一社会信用代码第1位为“9”，与法人类型应由机构编制部门登记（代码应以“1”开头）不一致"]
    for form in vocabulary.LEGAL_FORMS:
        office = rules.registration_authority(form)
        assert office in vocabulary.REGISTRAR_BY_CREDIT_CODE.values()


def _token(node: ast.expr | None) -> object:
    """A string constant as it is, an enum member (``Authority.STAFFING``) by its name in lower case."""
    if isinstance(node, ast.Constant):
        return node.value
    return node.attr.lower() if isinstance(node, ast.Attribute) else None


def _office_tables(tree: ast.AST):
    """Dict literals pairing a credit code's first character with an office, either way round."""
    characters = set(vocabulary.REGISTRAR_BY_CREDIT_CODE)
    offices = set(vocabulary.REGISTRATION_AUTHORITIES) | {"staffing"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            pairs = [{_token(k), _token(v)} for k, v in zip(node.keys, node.values, strict=True)]
            if any(pair & characters and pair & offices for pair in pairs):
                yield node.lineno


def test_no_other_module_maps_credit_codes_to_offices():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        found += [
            f"{path.relative_to(SRC)}:{line}"
            for line in _office_tables(ast.parse(path.read_text(encoding="utf-8")))
        ]
    assert found == []


def test_the_scan_sees_a_table_of_offices():
    assert list(_office_tables(ast.parse('A = {"1": "staffing", "9": "market_regulation"}'))) == [1]
    assert list(_office_tables(ast.parse('\nB = {Authority.STAFFING: "1"}'))) == [2]
    assert list(_office_tables(ast.parse('C = {LegalForm.ENTERPRISE: ("9", "1")}'))) == []
