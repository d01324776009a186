"""A morning on a phone: the caregiver records the class with two sick children, a third case at
midday raises the outbreak alert, a stranger is refused a child at the door, the county sees the
alert with its 24-hour clock, and the guardian reads the sent-home notice (P18, P19; 2012规范: 3
cases in a class on one day → CDC within 24 h)."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tuoyu.domains.health.models import OutbreakAlert
from tuoyu.kernel.messaging.services import deliver_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/")
    if page.locator("[data-qa=logout]").count():
        page.click("[data-qa=logout]")
    LoginPage(page).open().sign_in(user.username, PASSWORD)
    expect(page.locator("[data-qa=current-user]")).to_be_visible()


def _child_row(page, child):
    return page.locator(f"[data-qa=child-row][data-child='{child.pk}']")


def _fever(page, child, temperature, *, sent_home=False):
    row = _child_row(page, child)
    row.locator("[data-qa=open-child]").click()
    row.locator(f"input[name='c{child.pk}-temperature']").fill(temperature)
    if sent_home:
        row.locator(f"select[name='c{child.pk}-action']").select_option("sent_home")


def test_a_morning_on_a_phone_raises_the_alert_the_county_follows(world, phone, phone_screenshot):
    world.class_a.keepers.add(world.user("caregiver_a"))
    second = f.ChildFactory(institution=world.inst_a, care_class=world.class_a, name="王小明")
    third = f.ChildFactory(institution=world.inst_a, care_class=world.class_a, name="李小红")

    # The caregiver opens today's checks on her phone and records the morning: two with fever.
    sign_in(phone, world.user("caregiver_a"))
    phone.click("[data-qa=nav-checks]")
    phone.click("[data-qa=record-morning]")
    expect(phone.locator("[data-qa=child-row]")).to_have_count(3)
    _fever(phone, world.child_a, "38.2", sent_home=True)
    _fever(phone, second, "37.9")
    phone_screenshot("morning-1-caregiver-records-class")
    phone.click("[data-qa=save]")
    expect(phone.locator(".messages")).to_contain_text("异常 2 人")
    assert not OutbreakAlert.objects.exists()

    # At midday a third child has fever: the class reaches the threshold.
    phone.click("[data-qa=record-midday]")
    _child_row(phone, world.child_a).locator("input[name$=absent]").check()  # went home in the morning
    _fever(phone, third, "38.5")
    phone.click("[data-qa=save]")
    expect(phone.locator("[data-qa=open-alerts]")).to_contain_text("剩余 24 小时")
    phone_screenshot("morning-2-institution-sees-alert")
    alert = OutbreakAlert.objects.get()
    assert alert.cases == 3 and alert.care_class == world.class_a

    # A stranger comes for 王小明 in the afternoon: not on his list, so he is not handed over.
    phone.click("[data-qa=nav-attendance]")
    phone.click("[data-qa=open-class]")
    row = phone.locator(f"[data-qa=attendance-row][data-child='{second.pk}']")
    row.locator("[data-qa=arrive]").click()
    row = phone.locator(f"[data-qa=attendance-row][data-child='{second.pk}']")
    row.locator("select[name$=collector]").select_option("stranger")
    row.locator("summary", has_text="名单外人员").click()
    row.locator("input[name$=-name]").fill("陌生人")
    row.locator("[data-qa=depart]").click()
    expect(phone.locator(".messages")).to_contain_text("已拒绝交接")
    expect(phone.locator("[data-qa=refused-pickups]")).to_contain_text("陌生人")
    phone_screenshot("morning-3-stranger-refused")

    # The county health department sees the alert with its clock on its home page and records the report.
    deliver_pending()
    sign_in(phone, world.user("regulator_a"))
    expect(phone.locator("[data-qa=panel-alerts]")).to_contain_text("甲托育园")
    expect(phone.locator("[data-qa=panel-alerts] [data-qa=alert-clock]")).to_contain_text("剩余 24 小时")
    phone.click("[data-qa=open-alerts-page]")
    phone.fill("[data-qa=report-form] input[name=note]", "已电话报告区疾控中心传染病科")
    phone.click("[data-qa=report]")
    expect(phone.locator("[data-qa=no-open-alerts]")).to_be_visible()
    phone_screenshot("morning-4-county-records-report")

    # The next county's department sees nothing of it.
    sign_in(phone, world.user("regulator_b"))
    expect(phone.locator("[data-qa=panel-alerts]")).to_have_count(0)

    # The guardian reads, on her phone, that her child was sent home.
    sign_in(phone, world.user("guardian_a"))
    expect(phone.locator("[data-qa=panel-child-checks]")).to_contain_text("离园就医")
    phone_screenshot("morning-5-guardian-sees-the-day")
    phone.click("[data-qa=nav-inbox]")
    expect(phone.locator("body")).to_contain_text(f"请尽快接{world.child_a.name}离园就医")
    phone_screenshot("morning-6-guardian-reads-notice")
