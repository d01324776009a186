"""The class check page: a phone-sized list of the class's children, everyone 正常 unless tapped;
the health day page shows what was recorded; keepers are chosen on the class's edit page."""

from django.urls import reverse

from tests import factories as f
from tuoyu import clock
from tuoyu.domains.health.models import ChildCheck, ClassCheck
from tuoyu.kernel.audit.models import AuditEvent


def _page(client, care_class, sitting="morning"):
    url = reverse("health:check", args=[care_class.pk])
    return client.get(url, {"date": clock.today().isoformat(), "sitting": sitting})


def test_a_keeper_records_the_class_with_one_exception(world, login):
    world.class_a.keepers.add(world.user("caregiver_a"))
    other = f.ChildFactory(institution=world.inst_a, care_class=world.class_a, name="李小二")
    client = login(world.user("caregiver_a"))
    page = _page(client, world.class_a).content.decode()
    assert world.child_a.name in page and "李小二" in page and 'data-qa="child-row"' in page
    response = client.post(
        reverse("health:check", args=[world.class_a.pk]),
        {
            "date": clock.today().isoformat(),
            "sitting": "morning",
            f"c{other.pk}-temperature": "38.2",
            f"c{other.pk}-symptoms": ["cough"],
            f"c{other.pk}-action": "sent_home",
        },
    )
    assert response.status_code == 302
    row = ChildCheck.objects.get(child=other)
    assert row.symptoms == ["fever", "cough"] and row.action == "sent_home"
    assert ChildCheck.objects.get(child=world.child_a).abnormal is False
    day = client.get(response["Location"]).content.decode()
    assert "已记录" in day and "38.2℃" in day and "离园就医" in day


def test_the_recorded_check_comes_back_on_the_page_and_saves_unchanged(world, login):
    world.class_a.keepers.add(world.user("caregiver_a"))
    client = login(world.user("caregiver_a"))
    url = reverse("health:check", args=[world.class_a.pk])
    today = clock.today().isoformat()
    client.post(url, {"date": today, "sitting": "morning", f"c{world.child_a.pk}-symptoms": ["rash"]})
    page = _page(client, world.class_a).content.decode()
    assert 'value="rash"' in page and "checked" in page and "<details open" in page
    events = AuditEvent.objects.count()
    client.post(
        url,
        {
            "date": today,
            "sitting": "morning",
            f"c{world.child_a.pk}-symptoms": ["rash"],
            f"c{world.child_a.pk}-action": "observe",
        },
    )
    assert AuditEvent.objects.count() == events  # nothing corrected, nothing recorded


def test_a_bad_temperature_is_refused_on_the_page_and_saves_nothing(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("health:check", args=[world.class_a.pk]),
        {"date": clock.today().isoformat(), "sitting": "morning", f"c{world.child_a.pk}-temperature": "73.6"},
    )
    assert response.status_code == 400
    assert "请核对" in response.content.decode()
    assert not ClassCheck.objects.exists()


def test_a_caregiver_who_does_not_keep_the_class_is_refused_the_page(world, login):
    client = login(world.user("caregiver_a"))
    assert _page(client, world.class_a).status_code == 403
    day = client.get(reverse("health:day", args=[world.inst_a.pk])).content.decode()
    assert 'data-qa="record-morning"' not in day


def test_another_institutions_manager_cannot_reach_the_class(world, login):
    client = login(world.user("manager_b"))
    assert _page(client, world.class_a).status_code == 404
    response = client.post(
        reverse("health:check", args=[world.class_a.pk]),
        {"date": clock.today().isoformat(), "sitting": "morning"},
    )
    assert response.status_code == 404 and not ClassCheck.objects.exists()


def test_the_manager_chooses_the_class_keepers_on_the_edit_page(world, login):
    client = login(world.user("manager_a"))
    url = reverse("operations:class_edit", args=[world.class_a.pk])
    page = client.get(url).content.decode()
    assert 'name="keepers"' in page
    response = client.post(
        url,
        {
            "name": world.class_a.name,
            "class_type": world.class_a.class_type,
            "keepers": [world.user("caregiver_a").pk],
        },
    )
    assert response.status_code == 302
    assert list(world.class_a.keepers.all()) == [world.user("caregiver_a")]
    event = AuditEvent.objects.get(model="operations.careclass", verb="update")
    assert event.changes["keepers"] == [[], [world.user("caregiver_a").pk]]


def test_an_account_of_another_institution_cannot_keep_the_class(world, login):
    client = login(world.user("manager_a"))
    response = client.post(
        reverse("operations:class_edit", args=[world.class_a.pk]),
        {
            "name": world.class_a.name,
            "class_type": world.class_a.class_type,
            "keepers": [world.user("manager_b").pk],
        },
    )
    assert response.status_code == 400
    assert not world.class_a.keepers.exists()


def test_a_guardian_sees_their_own_childs_day_and_no_other(world, login):
    from tuoyu.domains.attendance.services import arrival_record
    from tuoyu.domains.health.services import Result, class_check_record
    from tuoyu.kernel.accounts.actor import Actor

    world.class_a.keepers.add(world.user("caregiver_a"))
    keeper = Actor(world.user("caregiver_a"))
    class_check_record(
        actor=keeper,
        care_class=world.class_a,
        date=clock.today(),
        sitting="morning",
        results={world.child_a.pk: Result(symptoms=frozenset({"cough"}))},
    )
    arrival_record(actor=keeper, child=world.child_a)
    home = login(world.user("guardian_a")).get(reverse("home")).content.decode()
    assert 'data-qa="panel-child-checks"' in home and "咳嗽" in home and "留班观察" in home
    assert 'data-qa="panel-child-door"' in home and "入园，在园" in home
    other = login(world.user("guardian_b")).get(reverse("home")).content.decode()
    assert world.child_a.name not in other and "咳嗽" not in other


def test_an_older_day_is_shown_read_only_and_a_future_one_as_today(world, login):
    import datetime as dt

    client = login(world.user("manager_a"))
    url = reverse("health:day", args=[world.inst_a.pk])
    old = clock.today() - dt.timedelta(days=30)
    page = client.get(url, {"date": old.isoformat()}).content.decode()
    assert (
        f"{old:%Y-%m-%d}" in page and 'data-qa="read-only"' in page and 'data-qa="record-morning"' not in page
    )
    page = client.get(url, {"date": (clock.today() + dt.timedelta(days=3)).isoformat()}).content.decode()
    assert "（今天）" in page and 'data-qa="record-morning"' in page
    assert client.get(url, {"date": "not-a-date"}).status_code == 400


def test_a_department_without_a_health_duty_is_refused_the_day_page(world, login):
    client = login(world.user("police_a"))
    assert client.get(reverse("health:day", args=[world.inst_a.pk])).status_code == 403
