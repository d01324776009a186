"""Shared pytest configuration: fast password hashing and the persona set.

Personas (DESIGN.md): two counties' regulators, two institutions' managers, two families — plus
the other posts — each in county A or county B of one city, so every test can ask whether one
persona reaches another's records.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

# The same examples on every run: CI stays reproducible, and a machine shared with other work
# never fails a test for being slow. Set HYPOTHESIS_PROFILE=explore to search afresh.
hypothesis_settings.register_profile("default", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return  # engine tests run without Django: `pytest -p no:django tests/engines`
    from django.conf import settings

    # Hashing with the production hasher costs ~0.3 s a user; tests only need it to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The date the shared demo county is built on: tests that pin its figures read them on this date.
DEMO_ON = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def shared_demo_county(django_db_setup, django_db_blocker):
    """The demo county, built once for a module's tests: it goes through every service, which
    takes seconds. Each test still runs in its own savepoint (ask for ``db`` as well), so what one
    test writes is gone for the next; the county itself is rolled back when the module ends."""
    from django.db import transaction

    from tuoyu.devtools.demo_county import build_demo_county

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_county(on=DEMO_ON)
        transaction.set_rollback(True)


@dataclass
class World:
    """Two counties of one city, each with an institution, a class, staff and a family."""

    city: object
    county_a: object
    county_b: object
    sub_a: object
    sub_b: object
    inst_a: object
    inst_b: object
    class_a: object
    class_b: object
    staff_a: object
    staff_b: object
    child_a: object
    child_b: object
    users: dict

    def user(self, name: str):
        return self.users[name]


PASSWORD = "correct-horse-battery"


@pytest.fixture
def world(db) -> World:
    from tests import factories as f
    from tuoyu.kernel.accounts.models import Department, Role
    from tuoyu.kernel.people.models import Guardianship, Relation
    from tuoyu.kernel.registry.models import Membership

    province = f.RegionFactory(code="510000", name="四川省")
    city = f.RegionFactory(code="510500", name="泸州市", parent=province)
    county_a = f.RegionFactory(code="510591", name="甲区", parent=city)
    county_b = f.RegionFactory(code="510592", name="乙区", parent=city)
    sub_a = f.RegionFactory(code="510591001", name="甲街道", parent=county_a)
    sub_b = f.RegionFactory(code="510592001", name="乙街道", parent=county_b)
    f.PopulationFactory(region=sub_a, year=2026, total=50_000, under_3=1_200)
    f.PopulationFactory(region=sub_b, year=2026, total=40_000, under_3=900)
    inst_a = f.InstitutionFactory(name="甲托育园", subdistrict=sub_a, places=40)
    inst_b = f.InstitutionFactory(name="乙托育园", subdistrict=sub_b, places=30)
    class_a = f.CareClassFactory(institution=inst_a, name="托小1班")
    class_b = f.CareClassFactory(institution=inst_b, name="托小1班")
    staff_a = f.StaffFactory(institution=inst_a, care_class=class_a)
    staff_b = f.StaffFactory(institution=inst_b, care_class=class_b)
    child_a = f.ChildFactory(institution=inst_a, care_class=class_a, residence=sub_a)
    child_b = f.ChildFactory(institution=inst_b, care_class=class_b, residence=sub_b)

    def user(username, role, region=None, department=""):
        return f.UserFactory(
            username=username, role=role, region=region, department=department, password=PASSWORD
        )

    users = {
        "regulator_a": user("regulator_a", Role.REGULATOR, county_a, Department.HEALTH),
        "regulator_b": user("regulator_b", Role.REGULATOR, county_b, Department.HEALTH),
        "colleague_a": user("colleague_a", Role.REGULATOR, county_a, Department.HEALTH),
        "city_regulator": user("city_regulator", Role.REGULATOR, city, Department.HEALTH),
        "police_a": user("police_a", Role.DEPARTMENT, county_a, Department.PUBLIC_SECURITY),
        "inspector_a": user("inspector_a", Role.INSPECTOR, county_a, Department.HEALTH),
        "expert_a": user("expert_a", Role.EXPERT, county_a),
        "manager_a": user("manager_a", Role.MANAGER, sub_a),
        "manager_b": user("manager_b", Role.MANAGER, sub_b),
        "caregiver_a": user("caregiver_a", Role.CAREGIVER, sub_a),
        "guardian_a": user("guardian_a", Role.GUARDIAN, sub_a),
        "guardian_b": user("guardian_b", Role.GUARDIAN, sub_b),
    }
    Membership.objects.create(user=users["manager_a"], institution=inst_a)
    Membership.objects.create(user=users["manager_b"], institution=inst_b)
    Membership.objects.create(user=users["caregiver_a"], institution=inst_a)
    Guardianship.objects.create(child=child_a, user=users["guardian_a"], relation=Relation.MOTHER)
    Guardianship.objects.create(child=child_b, user=users["guardian_b"], relation=Relation.FATHER)
    return World(
        city,
        county_a,
        county_b,
        sub_a,
        sub_b,
        inst_a,
        inst_b,
        class_a,
        class_b,
        staff_a,
        staff_b,
        child_a,
        child_b,
        users,
    )


@pytest.fixture
def login(client):
    """Log the test client in as a persona: ``login(world.user("manager_a"))``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- fixtures several test packages share ---------------------------------------------------------------


@pytest.fixture
def applicant(world):
    """A registered, not yet filed institution in county A, managed by a new manager account."""
    from tests import factories as f
    from tuoyu.kernel.registry.models import Membership, Status

    inst = f.InstitutionFactory(
        name="甲新托育园",
        subdistrict=world.sub_a,
        status=Status.REGISTERED,
        filing_number="",
        filed_on=None,
        provides_meals=False,
        business_scope="托育服务",
    )
    f.CareClassFactory(institution=inst, name="托大1班", class_type="older_toddler")
    user = f.UserFactory(username="applicant_a", role="manager", region=world.sub_a)
    Membership.objects.create(user=user, institution=inst)
    return inst, user


@pytest.fixture
def ready_filing(applicant):
    """A complete draft: commitment signed, every required material attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tuoyu.domains.filings import services
    from tuoyu.domains.filings.models import Kind
    from tuoyu.kernel.accounts.actor import Actor

    inst, user = applicant
    actor = Actor(user=user, ip="10.0.0.7")
    filing = services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    services.filing_update(actor=actor, filing=filing, signer="许园长")
    for kind in [
        "licence",
        "premises",
        "staff_qualifications",
        "staff_health",
        "hygiene_evaluation",
        "fire_safety",
    ]:
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, content_type="application/pdf")
        services.material_add(actor=actor, filing=filing, kind=kind, upload=upload)
    filing.refresh_from_db()
    return filing, actor


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
