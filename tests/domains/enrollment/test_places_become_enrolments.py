"""An accepted place becomes an enrolment on its start date, once (issue: daily operations, item 1)."""

import datetime as dt

from tests import walk
from tuoyu import clock
from tuoyu.domains.enrollment.services import offer_respond, offers_take_up
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage, Topic
from tuoyu.kernel.people.models import CareClass
from tuoyu.kernel.people.services import child_leave


def _accepted(world):
    site = walk.build(world)
    offer = site.rows["offer"]
    offer.refresh_from_db()
    assert offer.placed is not None, "the walk's drawn round gives guardian A a place"
    return offer_respond(actor=Actor(user=world.user("guardian_a")), application=offer, accept=True)


def test_an_accepted_place_becomes_an_enrolment_on_its_start_date(world):
    offer = _accepted(world)
    start = offer.round.admission_date
    older = CareClass.objects.create(institution=world.inst_a, name="托大1班", class_type="older_toddler")
    assert offers_take_up(on=start - dt.timedelta(days=1)) == 0  # not before the start date
    assert offers_take_up(on=start) == 1
    child = offer.child
    child.refresh_from_db()
    assert child.institution == world.inst_a and child.enrolled_on == start
    assert child.care_class == older  # the type offered, with room for a child of that age
    assert child.guardianships.get().user == world.user("guardian_a")  # the guardians come along
    offer.refresh_from_db()
    assert offer.enrolled_on == start
    told = OutboxMessage.objects.filter(topic=Topic.CHILD_ENROLLED)
    assert told.count() == 2  # the family and the institution's managers
    assert AuditEvent.objects.filter(model="operations.child", verb="update", note__contains="录取").exists()


def test_a_place_is_taken_up_once_even_after_the_child_leaves(world):
    offer = _accepted(world)
    start = offer.round.admission_date
    assert offers_take_up(on=start) == 1
    child_leave(
        actor=Actor(user=world.user("manager_a")), child=offer.child, left_on=start + dt.timedelta(days=30)
    )
    assert offers_take_up(on=start + dt.timedelta(days=60)) == 0
    offer.child.refresh_from_db()
    assert offer.child.institution is None


def test_without_a_class_that_has_room_the_manager_places_the_child(world):
    offer = _accepted(world)
    assert offers_take_up(on=max(offer.round.admission_date, clock.today())) == 1
    offer.child.refresh_from_db()
    assert offer.child.institution == world.inst_a and offer.child.care_class is None
    message = OutboxMessage.objects.filter(topic=Topic.CHILD_ENROLLED).first()
    assert "班级由机构安排" in message.body
