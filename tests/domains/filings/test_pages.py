import datetime as dt
import io

from django.urls import reverse
from pypdf import PdfReader

from tests.domains.filings.conftest import scan
from tuoyu import clock
from tuoyu.domains.filings import services
from tuoyu.kernel.accounts.actor import Actor


def test_regulator_queue_shows_both_clocks(world, login, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(
        actor=actor, filing=filing, expected_version=filing.version, on=clock.today() - dt.timedelta(days=14)
    )
    page = login(world.user("regulator_a")).get(reverse("filings:queue")).content.decode()
    assert "甲新托育园" in page
    assert "已逾期" in page  # 14 calendar days ago is past the 5-working-day receipt clock
    other = login(world.user("regulator_b")).get(reverse("filings:queue")).content.decode()
    assert "甲新托育园" not in other


def test_manager_uploads_through_the_page_and_a_wrong_type_is_refused_with_a_message(login, applicant):
    inst, user = applicant
    client = login(user)
    client.post(reverse("filings:start", args=[inst.pk]), {"kind": "initial"})
    filing = inst.filings.get()
    bad = client.post(
        reverse("filings:upload", args=[filing.pk]),
        {"kind": "licence", "file": scan("x.pdf", b"plain text")},
        follow=True,
    )
    assert "只能上传 PDF、JPG 或 PNG" in bad.content.decode()
    good = client.post(
        reverse("filings:upload", args=[filing.pk]), {"kind": "licence", "file": scan()}, follow=True
    )
    assert "材料已上传" in good.content.decode()
    material = filing.materials.get()
    assert client.get(reverse("filings:material", args=[material.pk])).status_code == 200


def test_materials_are_not_served_to_another_institution_or_the_public(world, login, client, ready_filing):
    filing, _ = ready_filing
    material = filing.materials.first()
    assert (
        login(world.user("manager_b")).get(reverse("filings:material", args=[material.pk])).status_code == 404
    )
    client.logout()
    assert client.get(reverse("filings:material", args=[material.pk])).status_code == 302


def test_receipt_pdf_carries_the_number_and_chinese_text(world, login, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    services.filing_accept(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        override_reason="已核实",
    )
    filing.refresh_from_db()
    response = login(actor.user).get(reverse("filings:receipt", args=[filing.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "托育机构备案回执" in text and filing.receipt_number in text and "甲新托育园" in text
    fonts = {str(font) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts, "the font is embedded in the PDF"
