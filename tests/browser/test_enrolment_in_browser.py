"""Round → commitment → draw → results → accept/decline → re-allocation, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import LoginPage
from tuoyu.devtools.demo_county import DEMO_PASSWORD, build_demo_county
from tuoyu.domains.enrollment.models import Application
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "notary-kept-secret-2026-winter-round"


@pytest.fixture
def demo_county():
    from django.core.cache import cache

    cache.clear()
    return build_demo_county()


def sign_in(page, username, password=DEMO_PASSWORD):
    page.goto("/")
    if page.locator("[data-qa=logout]").count():
        page.click("[data-qa=logout]")
    LoginPage(page).open().sign_in(username, password)
    expect(page.locator("[data-qa=current-user]")).to_be_visible()


def test_a_family_applies_the_draw_is_public_and_a_declined_place_passes_on(demo_county, page, screenshot):
    # A family finds care and applies online.
    sign_in(page, "parent2")
    page.click("[data-qa=nav-find]")
    expect(page.locator("[data-qa=care-row]").first).to_be_visible()
    page.click("[data-qa=apply-link]")
    toddler = Child.objects.get(name="冯小禾")
    page.select_option("[data-qa=apply-child]", value=str(toddler.pk))
    page.select_option("[data-qa=apply-choice-1]", index=1)
    page.click("[data-qa=apply-submit]")
    expect(page.locator("[data-qa=my-application]")).to_contain_text("待摇号")
    screenshot("enrolment-1-applied")

    # The regulator freezes the list, commits to a secret, and draws in public.
    sign_in(page, "regulator")
    page.click("[data-qa=nav-rounds]")
    page.locator("[data-qa=round-list] a", has_text="补充招收").click()  # its application window has closed
    page.click("[data-qa=round-freeze]")
    expect(page.locator("[data-qa=round-state]")).to_have_text("申请名单已冻结并公示")
    page.fill("[data-qa=commit-secret]", SECRET)
    page.fill("[data-qa=commit-source]", "2026年12月1日全国福利彩票开奖号码")
    page.click("[data-qa=round-commit]")
    page.fill("[data-qa=draw-secret]", SECRET)
    page.fill("[data-qa=draw-live]", "17 05")
    page.fill("[data-qa=draw-public]", "03 12 17 22 28 31 + 09")
    page.click("[data-qa=round-draw]")
    expect(page.locator("[data-qa=round-state]")).to_have_text("已摇号，结果已公布")
    page.click("[data-qa=public-link]")
    expect(page.locator("[data-qa=seed]")).to_be_visible()
    expect(page.locator("[data-qa=result-row]")).to_have_count(45)
    screenshot("enrolment-2-public-result")

    # A placed family sees its offer and declines it.
    decliner = (
        Application.objects.filter(placed__isnull=False, round__name__contains="补充")
        .order_by("number")
        .first()
    )
    user = User.objects.get(pk=decliner.guardian_id)
    user.set_password("family-password-1")
    user.save()
    sign_in(page, user.username, "family-password-1")
    page.click("[data-qa=nav-applications]")
    page.click("[data-qa=decline-offer]")
    expect(page.locator("[data-qa=my-result]")).to_contain_text("已放弃")

    # The regulator passes the place on with the same seed.
    sign_in(page, "regulator")
    page.goto(f"/enrolment/rounds/{decliner.round_id}/manage/")
    page.click("[data-qa=round-reallocate]")
    expect(page.locator(".messages")).to_contain_text("已按原种子递补")
    page.goto(f"/enrolment/rounds/{decliner.round_id}/")
    expect(page.locator("[data-qa=draw-record]")).to_contain_text("已递补 1 轮")
    decliner.refresh_from_db()
    assert decliner.placed is None
    screenshot("enrolment-3-reallocated")
