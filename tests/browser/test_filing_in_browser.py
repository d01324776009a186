"""The whole filing path in a real browser (issue: registry and filing workflow)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import LoginPage
from tuoyu.devtools.demo_county import DEMO_PASSWORD, build_demo_county
from tuoyu.domains.filings.rules import required_materials
from tuoyu.kernel.registry.models import Institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo_county():
    from django.core.cache import cache

    cache.clear()
    return build_demo_county()


def sign_in(page, username):
    page.goto("/")
    if page.locator("[data-qa=logout]").count():
        page.click("[data-qa=logout]")
    LoginPage(page).open().sign_in(username, DEMO_PASSWORD)
    expect(page.locator("[data-qa=current-user]")).to_be_visible()


def test_institution_files_regulator_returns_then_issues_the_receipt(demo_county, page, screenshot, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)

    # The institution drafts and sees a failing finding.
    sign_in(page, "applicant")
    page.goto("/filings/")
    page.click("[data-qa=start-initial]")
    filing_url = page.url
    video = page.locator("[data-qa=finding][data-rule='video.surveillance']")
    expect(video.first).to_have_attribute("data-status", "fail")
    screenshot("filing-1-draft-with-failing-finding")

    # It fixes the fact behind the finding; the live check now passes it.
    page.click("[data-qa=edit-facts]")
    page.fill("[data-qa=field-video_retention_days]", "90")
    page.click("[data-qa=save]")
    page.goto(filing_url)
    expect(page.locator("[data-qa=finding][data-rule='video.surveillance'][data-status=fail]")).to_have_count(
        0
    )

    # Materials and the 承诺书, then submission.
    for uploaded, kind in enumerate(required_materials("initial", provides_meals=True), start=1):
        page.select_option("[data-qa=material-kind]", kind)
        page.set_input_files("[data-qa=material-file]", str(scan))
        page.click("[data-qa=upload]")
        # The row itself, not the message: the previous upload's message is still on the old page.
        expect(page.locator("[data-qa=material-row]")).to_have_count(uploaded)
    page.check("[data-qa=commit-agree]")
    page.fill("[data-qa=commit-signer]", "许园长")
    page.click("[data-qa=commit]")
    screenshot("filing-2-ready-to-submit")
    page.click("[data-qa=submit]")
    expect(page.locator("[data-qa=filing-state]")).to_have_text("已提交，待审核")

    # The regulator returns it with reasons and a deadline.
    sign_in(page, "regulator")
    page.goto("/filings/queue/")
    row = page.locator("[data-qa=queue-row]", has_text="社区托育园").filter(has_text="剩余 5 个工作日")
    expect(row).to_have_count(1)
    screenshot("filing-3-regulator-queue")
    row.locator("a").click()
    page.fill("[data-qa=return-reasons]", "消防安全证明材料不清晰，请重新上传。")
    page.click("[data-qa=return]")
    expect(page.locator("[data-qa=filing-state]")).to_have_text("退回整改")
    screenshot("filing-4-returned")

    # The institution sees the reasons and resubmits.
    sign_in(page, "applicant")
    page.goto(filing_url)
    expect(page.locator("[data-qa=return-notice]")).to_contain_text("消防安全证明材料不清晰")
    page.select_option("[data-qa=material-kind]", "fire_safety")
    page.set_input_files("[data-qa=material-file]", str(scan))
    page.click("[data-qa=upload]")
    page.click("[data-qa=submit]")
    expect(page.locator("[data-qa=filing-state]")).to_have_text("已提交，待审核")

    # The regulator issues the receipt.
    sign_in(page, "regulator")
    page.goto(filing_url)
    override = page.locator("[data-qa=accept-override]")
    if override.count():
        override.fill("现场核查已确认整改到位。")
    page.click("[data-qa=accept]")
    expect(page.locator("[data-qa=filing-state]")).to_have_text("已通过")
    number = page.locator("[data-qa=receipt-number]").inner_text()
    assert "卫健托备〔" in number
    with page.expect_download() as download:
        page.click("[data-qa=receipt-pdf]")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    screenshot("filing-5-receipt-issued")

    # The institution is now published.
    name = Institution.objects.get(memberships__user__username="applicant").name
    page.goto("/public/")
    page.fill("[data-qa=public-search]", name)
    expect(page.locator("[data-qa=public-row]")).to_have_count(1)
    expect(page.locator("[data-qa=public-row]")).to_contain_text(number)
    screenshot("filing-6-public-list")
