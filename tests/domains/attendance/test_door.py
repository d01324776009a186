"""At the door (P19, 000 §三(八)2): arrivals, absences with their reason and the same-day follow-up
of a sick absence, and departures only to a guardian or an adult a guardian authorised; anyone else
is refused, and the manager and the guardians are told."""

import pytest
from django.urls import reverse

from tuoyu import clock
from tuoyu.domains.attendance.models import Attendance, PickupPerson, RefusedPickup
from tuoyu.domains.attendance.services import (
    absence_record,
    arrival_record,
    collectors,
    departure_record,
    follow_up_record,
    pickup_person_add,
    pickup_person_revoke,
    pickup_refuse,
)
from tuoyu.domains.health.services import Result, certificate_receive, class_check_record
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.models import AttendanceHold


@pytest.fixture
def door(world):
    world.class_a.keepers.add(world.user("caregiver_a"))
    return Actor(world.user("caregiver_a"))


def test_a_child_arrives_and_leaves_with_a_guardian(world, door):
    arrival_record(actor=door, child=world.child_a)
    mother = f"guardian:{world.user('guardian_a').pk}"
    assert [value for value, _ in collectors(world.child_a)] == [mother]
    row = departure_record(actor=door, child=world.child_a, collector=mother)
    assert row.arrived_at and row.departed_at and row.collected_by_guardian == world.user("guardian_a")
    assert row.collector == f"{world.user('guardian_a')}（家长）"


def test_an_adult_the_guardian_authorised_may_collect_until_revoked(world, door):
    guardian = Actor(world.user("guardian_a"))
    grandma = pickup_person_add(
        actor=guardian, child=world.child_a, name="王奶奶", relation="grandparent", phone="13800138000"
    )
    told = OutboxMessage.objects.get(topic=Topic.PICKUP_CHANGED)
    assert set(told.recipients) == {world.user("caregiver_a").pk, world.user("manager_a").pk}
    arrival_record(actor=door, child=world.child_a)
    assert f"person:{grandma.pk}" in dict(collectors(world.child_a))
    pickup_person_revoke(actor=guardian, person=grandma)
    with pytest.raises(DomainError, match="不在该婴幼儿的接送名单"):
        departure_record(actor=door, child=world.child_a, collector=f"person:{grandma.pk}")
    assert Attendance.objects.get().departed_at is None


def test_someone_not_on_the_list_is_refused_and_reported(world, door):
    arrival_record(actor=door, child=world.child_a)
    with pytest.raises(DomainError, match="不在该婴幼儿的接送名单"):
        departure_record(actor=door, child=world.child_a, collector="person:999999")
    pickup_refuse(actor=door, child=world.child_a, name="陌生人", phone="13900000000", claimed="舅舅")
    assert RefusedPickup.objects.get().name == "陌生人"
    notice = OutboxMessage.objects.get(topic=Topic.PICKUP_REFUSED)
    assert set(notice.recipients) == {world.user("guardian_a").pk, world.user("manager_a").pk}
    assert "已拒绝交接" in notice.body and "孩子仍在园" in notice.body
    assert Attendance.objects.get().departed_at is None


def test_only_a_guardian_of_the_child_authorises_pickup(world):
    with pytest.raises(AccessDenied):
        pickup_person_add(
            actor=Actor(world.user("guardian_b")),
            child=world.child_a,
            name="张三",
            relation="other",
            phone="13800138000",
        )
    with pytest.raises(AccessDenied):
        pickup_person_add(
            actor=Actor(world.user("manager_a")),
            child=world.child_a,
            name="张三",
            relation="other",
            phone="13800138000",
        )
    assert not PickupPerson.objects.exists()


def test_a_sick_absence_needs_its_follow_up(world, door):
    absence_record(actor=door, child=world.child_a, reason="sick", note="家长电话请假")
    with pytest.raises(DomainError, match="随访情况"):
        follow_up_record(actor=door, child=world.child_a, note=" ")
    follow_up_record(actor=door, child=world.child_a, note="发热38.5℃，已到社区医院就诊")
    row = Attendance.objects.get()
    assert row.absence == "sick" and row.follow_up.startswith("发热")
    arrival_record(actor=door, child=world.child_a)  # came after all: the absence is gone
    row.refresh_from_db()
    assert row.absence == "" and row.arrived_at is not None
    with pytest.raises(DomainError, match="已入园"):
        absence_record(actor=door, child=world.child_a, reason="other")


def test_a_child_awaiting_a_return_certificate_cannot_arrive(world, door):
    class_check_record(
        actor=door,
        care_class=world.class_a,
        date=clock.today(),
        sitting="morning",
        results={
            world.child_a.pk: Result(symptoms=frozenset({"rash"}), diagnosis="varicella", action="sent_home")
        },
    )
    hold = AttendanceHold.objects.get(child=world.child_a, lifted_on__isnull=True)
    assert "水痘" in hold.reason
    with pytest.raises(DomainError, match="复课证明"):
        arrival_record(actor=door, child=world.child_a)
    certificate_receive(
        actor=door,
        certificate=world.child_a.return_certificates.get(),
        received_on=clock.today(),
        issued_by="区人民医院",
    )
    hold.refresh_from_db()
    assert hold.lifted_on == clock.today()
    arrival_record(actor=door, child=world.child_a)


@pytest.mark.parametrize("who", ["caregiver_a", "manager_b", "regulator_a", "guardian_a"])
def test_only_the_classes_keepers_keep_its_door(world, who):
    # caregiver_a works at the institution but does not keep class A here
    with pytest.raises(AccessDenied):
        arrival_record(actor=Actor(world.user(who)), child=world.child_a)
    assert not Attendance.objects.exists()


def test_the_class_page_hands_a_child_over_and_refuses_a_stranger(world, door, login):
    client = login(world.user("caregiver_a"))
    client.post(reverse("attendance:arrive", args=[world.child_a.pk]))
    page = client.get(reverse("attendance:class_day", args=[world.class_a.pk])).content.decode()
    assert "在园" in page and 'data-qa="departure-form"' in page
    client.post(
        reverse("attendance:depart", args=[world.child_a.pk]),
        {f"d{world.child_a.pk}-collector": "stranger", f"d{world.child_a.pk}-name": "李四"},
    )
    assert RefusedPickup.objects.get().name == "李四"
    page = client.get(reverse("attendance:class_day", args=[world.class_a.pk])).content.decode()
    assert 'data-qa="refused-pickups"' in page and "李四" in page
    mother = f"guardian:{world.user('guardian_a').pk}"
    client.post(
        reverse("attendance:depart", args=[world.child_a.pk]), {f"d{world.child_a.pk}-collector": mother}
    )
    assert Attendance.objects.get().departed_at is not None


def test_a_guardian_keeps_the_list_on_their_phone_page(world, login):
    client = login(world.user("guardian_a"))
    response = client.post(
        reverse("attendance:pickups"),
        {"child": world.child_a.pk, "name": "王奶奶", "relation": "grandparent", "phone": "13800138000"},
    )
    assert response.status_code == 302
    page = client.get(reverse("attendance:pickups")).content.decode()
    assert "王奶奶" in page and "13800138000" not in page  # the phone is masked
    other = login(world.user("guardian_b"))
    assert "王奶奶" not in other.get(reverse("attendance:pickups")).content.decode()


def test_a_refusal_cites_the_profiles_clause_where_it_sets_one(world, door):
    from tuoyu.kernel.regions.models import Region

    Region.objects.filter(pk=world.county_a.pk).update(policy_profile="jiangsu-lianyungang")
    arrival_record(actor=door, child=world.child_a)
    with pytest.raises(DomainError, match=r"连政办发〔2020〕53号 三\(八\)2"):
        departure_record(actor=door, child=world.child_a, collector="person:999999")
