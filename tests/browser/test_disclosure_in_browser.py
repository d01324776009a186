"""On a phone the manager publishes the week's menu and sends a class notice; the guardian reads the
notice from the home page and the menu on the institution's page."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_morning_in_browser import sign_in
from tuoyu.domains.disclosure.models import Notice, WeeklyMenu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_menu_and_a_notice_published_on_a_phone_reach_the_guardian(world, phone, phone_screenshot):
    sign_in(phone, world.user("manager_a"))
    phone.click("[data-qa=nav-disclosure]")
    expect(phone.locator("[data-qa=no-menu]")).to_be_visible()
    phone.click("[data-qa=edit-menu]")
    phone.locator("input[name=d0-lunch]").fill("番茄炒蛋、米饭")
    phone.locator("input[name=d1-breakfast]").fill("小米粥")
    phone_screenshot("disclosure-1-manager-publishes-menu")
    phone.click("[data-qa=save-menu]")
    expect(phone.locator(".messages")).to_contain_text("已公布")
    expect(phone.locator("[data-qa=menu]")).to_contain_text("番茄炒蛋")
    assert WeeklyMenu.objects.get().dishes == {"0": {"lunch": "番茄炒蛋、米饭"}, "1": {"breakfast": "小米粥"}}
    form = phone.locator("[data-qa=notice-form]")
    form.locator("select[name=care_class]").select_option(str(world.class_a.pk))
    form.locator("input[name=title]").fill("周五停水")
    form.locator("textarea[name=body]").fill("周五上午停水，请自带饮用水。")
    form.locator("[data-qa=send-notice]").click()
    expect(phone.locator(".messages")).to_contain_text("1位家长")
    assert Notice.objects.get().recipients.count() == 1

    sign_in(phone, world.user("guardian_a"))
    phone.click("[data-qa=family-notice]")
    expect(phone.locator("[data-qa=notice-body]")).to_contain_text("自带饮用水")
    phone_screenshot("disclosure-2-guardian-reads-notice")
    phone.goto("/")
    phone.click("[data-qa=family-disclosure]")
    expect(phone.locator("[data-qa=menu]")).to_contain_text("小米粥")
    expect(phone.locator("[data-qa=notice-form]")).to_have_count(0)
    expect(phone.locator("[data-qa=nav-inbox]")).to_be_visible()  # the page keeps the site's menu
    phone_screenshot("disclosure-3-guardian-reads-menu")
