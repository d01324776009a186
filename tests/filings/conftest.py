import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tuoyu.accounts.actor import Actor
from tuoyu.filings import services
from tuoyu.filings.models import Kind
from tuoyu.registry.models import Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def applicant(world):
    """A registered, not yet filed institution in county A, managed by a new manager account."""
    from tuoyu.registry.models import Membership

    inst = f.InstitutionFactory(name="甲新托育园", subdistrict=world.sub_a, status=Status.REGISTERED, filing_number="", filed_on=None,
                                 provides_meals=False, business_scope="托育服务")
    f.CareClassFactory(institution=inst, name="托大1班", class_type="older_toddler")
    user = f.UserFactory(username="applicant_a", role="manager", region=world.sub_a)
    Membership.objects.create(user=user, institution=inst)
    return inst, user


@pytest.fixture
def ready_filing(applicant):
    """A complete draft: commitment signed, every required material attached."""
    inst, user = applicant
    actor = Actor(user=user, ip="10.0.0.7")
    filing = services.filing_start(actor=actor, institution=inst, kind=Kind.INITIAL)
    services.filing_update(actor=actor, filing=filing, signer="许园长")
    for kind in ["licence", "premises", "staff_qualifications", "staff_health", "hygiene_evaluation", "fire_safety"]:
        services.material_add(actor=actor, filing=filing, kind=kind, upload=scan(f"{kind}.pdf"))
    filing.refresh_from_db()
    return filing, actor
