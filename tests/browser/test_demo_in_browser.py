import re

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from tests.browser.pages import Ledger, LoginPage, RegionalHome
from tuoyu.devtools.demo_county import DEMO_PASSWORD, build_demo_county
from tuoyu.kernel.registry.models import Institution, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_county():
    from django.core.cache import cache

    cache.clear()
    return build_demo_county()


def test_regulator_logs_in_to_the_demo_and_sees_the_countys_figures(demo_county, page, screenshot):
    LoginPage(page).open().sign_in("regulator", DEMO_PASSWORD)
    home = RegionalHome(page)
    expect(page.locator("[data-qa=home-title]")).to_contain_text("云溪区")
    expect(page.locator("[data-qa=synthetic-banner]")).to_be_visible()
    assert home.subdistrict_rows() == 8
    operating = Institution.objects.exclude(status=Status.CLOSED)
    assert home.figure("total-places") == str(operating.aggregate(n=Sum("places"))["n"])
    assert home.figure("total-institutions") == str(operating.count())
    assert re.fullmatch(r"\d+\.\d\d", home.figure("total-per-1000"))
    screenshot("regulator-home")


def test_ledger_filters_as_the_regulator_types(demo_county, page, screenshot):
    LoginPage(page).open().sign_in("regulator", DEMO_PASSWORD)
    ledger = Ledger(page).open()
    assert ledger.count() == demo_county.institutions
    ledger.search("家庭托育点")
    expect(page.locator("[data-qa=ledger-count]")).to_have_text("6")
    expect(page).to_have_url(re.compile(r"q=%E5%AE%B6"))  # the filter is in the address, so it can be shared
    screenshot("ledger-filtered")


def test_manager_registering_staff_sees_a_chinese_error_then_succeeds(demo_county, page, screenshot):
    LoginPage(page).open().sign_in("manager", DEMO_PASSWORD)
    page.click("[data-qa=add-staff]")
    page.fill("[data-qa=field-name]", "新来的老师")
    page.fill("[data-qa=field-id_number]", "110105194912310021")
    page.select_option("[data-qa=field-role]", "caregiver")
    page.fill("[data-qa=field-hired_on]", "2026-09-01")
    page.click("[data-qa=save]")
    expect(page.locator("[data-qa=staff-form]")).to_contain_text("身份证号校验位不正确")
    screenshot("staff-form-error")
    page.fill("[data-qa=field-id_number]", "11010519491231002X")
    page.click("[data-qa=save]")
    expect(page.locator("[data-qa=staff-table]")).to_contain_text("新来的老师")
    expect(page.locator("[data-qa=staff-table]")).to_contain_text("110105********002X")
    expect(page.locator("[data-qa=staff-table]")).not_to_contain_text("11010519491231002X")


def test_public_page_lists_filed_institutions_without_login(demo_county, page, screenshot):
    page.goto("/public/")
    expect(page.locator("[data-qa=public-count]")).to_have_text(
        str(Institution.objects.filter(status__in=["filed", "suspended"]).count())
    )
    screenshot("public-list")


def test_planner_sees_gaps_coverage_and_siting_on_the_map(demo_county, page, screenshot):
    LoginPage(page).open().sign_in("regulator", DEMO_PASSWORD)
    page.click("[data-qa=nav-planning]")
    expect(page.locator("[data-qa=planning-row]")).to_have_count(8)
    expect(page.locator("[data-qa=planning-map] .leaflet-interactive").first).to_be_visible()
    page.fill("[data-qa=siting-budget]", "180")
    page.click("[data-qa=siting-run]")
    expect(page.locator("[data-qa=siting-row]")).to_have_count(3)
    screenshot("planning")


def test_policy_profiles_are_browsable_and_comparable_without_login(db, page, screenshot):
    page.goto("/policy/")
    page.click("text=四川省泸州市龙马潭区")  # a profile is named by its Chinese title
    expect(page.locator("[data-qa=param-row]").first).to_be_visible()
    screenshot("policy-profile")
    page.goto("/policy/")
    page.click("[data-qa=diff-form] button")
    expect(page.locator("[data-qa=diff-table]")).to_be_visible()
