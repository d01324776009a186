"""On a phone the manager registers a class's camera, reports the entrance camera offline and sets
the parents' live view; the county sees the institution on its overview; the guardian opens the
live view from the home page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.test_morning_in_browser import sign_in
from tuoyu import clock
from tuoyu.domains.cameras.models import Camera, CameraDay, Status
from tuoyu.kernel.registry.models import Institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_keeps_the_register_on_a_phone_and_the_county_and_guardian_see_it(
    world, phone, phone_screenshot
):
    Institution.objects.filter(pk=world.inst_a.pk).update(outdoor_area_m2=None)
    sign_in(phone, world.user("manager_a"))
    phone.click("[data-qa=nav-cameras]")
    expect(phone.locator("[data-qa=no-register]")).to_be_visible()
    for name, area, care_class in (("托小1班活动室", "activity", world.class_a.pk), ("大门", "entrance", "")):
        phone.click("[data-qa=camera-new]")
        form = phone.locator("[data-qa=camera-form]")
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=area]").select_option(area)
        form.locator("select[name=care_class]").select_option(str(care_class))
        form.locator("input[name=installed_on]").fill((clock.today() - dt.timedelta(days=2)).isoformat())
        form.locator("[data-qa=save-camera]").click()
        expect(phone.locator(".messages")).to_contain_text("已保存")
    # Nothing was reported for yesterday: both cameras are flagged with the clause.
    expect(phone.locator("[data-qa=silent]")).to_have_count(2)
    expect(phone.locator("[data-qa=camera-findings]")).to_contain_text("依据")
    gate = Camera.objects.get(name="大门")
    phone.locator(f"select[name='c{gate.pk}-status']").select_option("offline")
    phone.locator(f"input[name='c{gate.pk}-note']").fill("网络中断")
    phone_screenshot("cameras-1-manager-confirms-the-day")
    phone.click("[data-qa=save-day]")
    expect(phone.locator(".messages")).to_contain_text("已保存")
    assert CameraDay.objects.get(camera=gate).status == Status.OFFLINE
    assert CameraDay.objects.filter(status=Status.NORMAL).count() == 1
    live = phone.locator("[data-qa=live-view-form]")
    live.locator("input[name=live_view_url]").fill("javascript:alert(1)")
    live.locator("[data-qa=save-live-view]").click()
    expect(phone.locator("[data-qa=live-view-form] .errorlist")).to_be_visible()
    live.locator("input[name=live_view_url]").fill("https://video.example.cn/live")
    live.locator("[data-qa=save-live-view]").click()
    expect(phone.locator("[data-qa=live-view]")).to_contain_text("https://video.example.cn/live")

    sign_in(phone, world.user("regulator_a"))
    phone.click("[data-qa=nav-cameras]")
    row = phone.locator("[data-qa=overview-row]", has_text=world.inst_a.name)
    expect(row).to_contain_text("2")
    phone_screenshot("cameras-2-county-overview")

    sign_in(phone, world.user("guardian_a"))
    link = phone.locator("[data-qa=live-view-link]")
    expect(link).to_have_attribute("href", "https://video.example.cn/live")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    phone_screenshot("cameras-3-guardian-live-view")
