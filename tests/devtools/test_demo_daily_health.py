"""The demo county's last mornings: its institution's checks end in an open outbreak alert that the
county follows, and the demo parent is told about their child."""

from tuoyu.domains.health.models import ClassCheck, OutbreakAlert
from tuoyu.domains.health.selectors import alerts_for
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.messaging.models import OutboxMessage, Topic


def test_the_demo_morning_ends_in_an_open_alert_the_county_sees(shared_demo_county, db):
    alert = OutbreakAlert.objects.get()
    assert alert.is_open and alert.cases == 3
    assert list(alerts_for(User.objects.get(username="regulator"))) == [alert]
    assert not alerts_for(User.objects.get(username="police")).exists()
    caregiver = User.objects.get(username="caregiver")
    assert ClassCheck.objects.filter(care_class=alert.care_class, recorded_by=caregiver).exists()


def test_the_demo_parent_is_told_about_their_child(shared_demo_county, db):
    parent = User.objects.get(username="parent")
    notices = [
        m for m in OutboxMessage.objects.filter(topic=Topic.CHECK_FINDING) if parent.pk in m.recipients
    ]
    assert notices and "发热" in notices[0].body
