"""On a phone the caregiver measures the class and a short child is flagged; the guardian opens
the growth chart from the home page; the manager records a staff member's examination and the
lapsed-examination mark leaves the class list."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.test_morning_in_browser import sign_in
from tuoyu import clock
from tuoyu.domains.growth.models import Measurement
from tuoyu.kernel.people.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_class_measured_on_a_phone_flags_a_short_child_the_guardian_sees_charted(
    world, phone, phone_screenshot
):
    world.class_a.keepers.add(world.user("caregiver_a"))
    Child.objects.filter(pk=world.child_a.pk).update(
        birth_date=clock.today() - dt.timedelta(days=730), sex="female"
    )
    sign_in(phone, world.user("caregiver_a"))
    phone.click("[data-qa=nav-growth]")
    phone.click("[data-qa=measure-class]")
    row = phone.locator(f"[data-qa=child-row][data-child='{world.child_a.pk}']")
    expect(row.locator("[data-qa=due]")).to_be_visible()
    row.locator(f"input[name='c{world.child_a.pk}-weight']").fill("10.2")
    row.locator(f"input[name='c{world.child_a.pk}-length']").fill("78.0")
    phone_screenshot("growth-1-caregiver-measures-class")
    phone.click("[data-qa=save]")
    expect(phone.locator(".messages")).to_contain_text("已保存")
    expect(row.locator("[data-qa=flag]")).to_contain_text("生长迟缓")
    assert Measurement.objects.get().length_cm == 78

    sign_in(phone, world.user("guardian_a"))
    phone.click("[data-qa=growth-link]")
    expect(phone.locator("[data-qa=growth-chart]")).to_have_count(2)
    expect(phone.locator("[data-qa=observation]")).to_have_count(2)
    expect(phone.locator("[data-qa=growth-readings]")).to_contain_text("生长迟缓")
    phone_screenshot("growth-2-guardian-sees-chart")


def test_the_manager_records_an_examination_and_the_roster_mark_goes(world, page):
    sign_in(page, world.user("manager_a"))
    page.goto(f"/institutions/{world.inst_a.pk}/classes/")
    expect(page.locator("[data-qa=staff-mark]")).to_have_count(1)
    page.goto("/")
    page.click("[data-qa=staff-records]")
    form = page.locator("[data-qa=staff-check-form]")
    form.locator("select[name=check-kind]").select_option("health_exam")
    form.locator("input[name=check-checked_on]").fill(clock.today().isoformat())
    form.locator("select[name=check-passed]").select_option("1")
    form.locator("input[name=check-issuer]").fill("区妇幼保健院")
    form.locator("[data-qa=save-check]").click()
    expect(page.locator(".messages")).to_contain_text("已登记")
    expect(page.locator("[data-qa=staff-checks]")).to_contain_text("合格")
    page.goto(f"/institutions/{world.inst_a.pk}/classes/")
    expect(page.locator("[data-qa=staff-mark]")).to_have_count(0)
