import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from tuoyu.devtools.demo_county import DELIBERATE_PROBLEMS, MODEL_MIX, build_demo_county
from tuoyu.domains.enrollment.models import Application, Program, Round
from tuoyu.domains.filings.models import Filing
from tuoyu.engines.identifiers import validate_credit_code, validate_id_number
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.regions.models import Level, Population, Region
from tuoyu.kernel.registry.models import Institution

ON = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    return build_demo_county(on=ON)


def _fingerprint():
    return (
        list(
            Institution.objects.order_by("credit_code").values_list(
                "name", "credit_code", "places", "lon", "lat"
            )
        ),
        list(
            Child.objects.order_by("id_number").values_list(
                "id_number", "name", "birth_date", "care_class__name"
            )
        ),
        list(StaffMember.objects.order_by("id_number").values_list("id_number", "role", "education")),
    )


def test_same_seed_and_date_build_the_same_county(db):
    with transaction.atomic():
        build_demo_county(on=ON)
        first = _fingerprint()
        transaction.set_rollback(True)
    build_demo_county(on=ON)
    assert _fingerprint() == first


def test_county_has_eight_subdistricts_with_population_for_every_year(demo):
    subdistricts = Region.objects.filter(level=Level.SUBDISTRICT)
    assert subdistricts.count() == 8
    assert Population.objects.filter(region__in=subdistricts).count() == 8 * 4
    assert all(p.under_3 < p.total * 0.05 for p in Population.objects.all())
    assert not Region.objects.filter(synthetic=False).exists()


def test_sixty_institutions_across_all_provision_models(demo):
    assert demo.institutions == Institution.objects.count() == 60
    counts = Counter(Institution.objects.values_list("provision_model", flat=True))
    assert counts == dict(MODEL_MIX)


def test_every_identifier_is_valid(demo):
    for code in Institution.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for number in [
        *Child.objects.values_list("id_number", flat=True),
        *StaffMember.objects.values_list("id_number", flat=True),
    ]:
        validate_id_number(number, today=ON)


def test_children_are_of_the_age_their_class_takes(demo):
    limits = {"infant": (6, 12), "young_toddler": (12, 24), "older_toddler": (24, 36), "mixed": (18, 36)}
    for child in Child.objects.filter(care_class__isnull=False).select_related("care_class"):
        low, high = limits[child.care_class.class_type]
        assert low <= child.age_in_months(ON) <= high, child.care_class.class_type


def test_some_institutions_are_deliberately_out_of_standard(demo):
    assert len(demo.problems) == len(DELIBERATE_PROBLEMS)
    big_infant_class = Child.objects.filter(care_class__class_type="infant").values("care_class").annotate()
    assert any(
        Child.objects.filter(care_class_id=row["care_class"]).count() > 10 for row in big_infant_class
    ), "an infant class above 10 children (P07)"
    assert Institution.objects.filter(video_retention_days__lt=90).exists(), "short video retention (P14)"
    assert Institution.objects.filter(places__gt=150).exists(), "above 150 places (P05)"


def test_the_whole_county_is_audited_as_created_by_the_generator(demo):
    from tuoyu.kernel.audit.models import AuditEvent

    assert demo.audit_events <= AuditEvent.objects.filter(verb="create", actor__isnull=True).count()
    for model in (Round, Program, Institution, StaffMember):
        assert (
            AuditEvent.objects.filter(model=model._meta.label_lower, verb="create").count()
            == model.objects.count()
        ), model
    assert AuditEvent.objects.filter(model="operations.child").count() == Child.objects.count()
    assert AuditEvent.objects.filter(model="filings.filing").count() == Filing.objects.count()
    assert AuditEvent.objects.filter(model="enrollment.application").count() == Application.objects.count()
    clear_numbers = set(Child.objects.values_list("id_number", flat=True))
    for changes in AuditEvent.objects.filter(model="operations.child").values_list("changes", flat=True):
        assert changes["id_number"][1] not in clear_numbers and "********" in changes["id_number"][1]


def test_the_demo_s_registrations_are_the_ones_its_longmatan_rules_expect(demo):
    from tuoyu.kernel.people.standards import institution_findings

    by_form = dict(Institution.objects.values_list("legal_form", "registered_with").distinct())
    # 003 附件2: #1 编办 事业单位, #16 市场监管 个体工商户, #18 行政审批局 社会服务机构 and companies
    assert by_form == {
        "public_institution": "staffing_office",
        "social_service_org": "administrative_approval",
        "enterprise": "administrative_approval",
        "individual_business": "market_regulation",
    }
    for inst in Institution.objects.all()[:12]:
        found = [f for f in institution_findings(inst, ON) if f["rule"] == "registration.authority"]
        assert [f["status"] for f in found] == ["pass"], inst.name
