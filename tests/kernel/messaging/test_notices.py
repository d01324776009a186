"""People are told when something concerns them: institutions of every filing decision and deadline,
families of their application, their draw result, their offer's deadline and their place on the
waiting list. Each notice links to the page it concerns, in the inbox and through the channels."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from tests.domains.enrollment.test_rounds import TODAY, _apply_all, _draw
from tests.domains.enrollment.test_rounds import (
    round_ as round_,  # fixtures shared with the enrolment and filing tests
)
from tuoyu import clock
from tuoyu.domains.enrollment import services as rounds
from tuoyu.domains.enrollment.models import Application, Response
from tuoyu.domains.filings import services as filings
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.messaging.models import Notification, OutboxMessage, Topic
from tuoyu.kernel.messaging.services import deliver_pending


def _inbox(user) -> list[Notification]:
    deliver_pending()
    return list(
        Notification.objects.filter(user=user).select_related("message").order_by("message__created_at", "id")
    )


def _submitted(world, ready_filing):
    filing, actor = ready_filing
    filings.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    filing.refresh_from_db()
    return filing, actor


def test_a_submitted_filing_reaches_the_county_regulators_only(world, ready_filing):
    filing, _ = _submitted(world, ready_filing)
    notices = _inbox(world.user("regulator_a"))
    assert [n.message.topic for n in notices] == [Topic.FILING_SUBMITTED]
    assert notices[0].message.link == reverse("filings:detail", args=[filing.pk])
    assert "待审核" in notices[0].message.title
    assert not Notification.objects.filter(user=world.user("regulator_b")).exists()


def test_the_institution_hears_a_return_with_its_reasons_and_deadline(world, ready_filing):
    filing, actor = _submitted(world, ready_filing)
    rectify_by = clock.today() + dt.timedelta(days=20)
    filings.filing_return(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        reasons="室外场地不足",
        rectify_by=rectify_by,
    )
    notice = _inbox(actor.user)[-1].message
    assert notice.topic == Topic.FILING_DECIDED
    assert rectify_by.strftime("%Y-%m-%d") in notice.title and "室外场地不足" in notice.body
    assert notice.link == reverse("filings:detail", args=[filing.pk])


def test_the_institution_hears_its_acceptance_with_the_receipt_number(world, ready_filing):
    filing, actor = _submitted(world, ready_filing)
    accepted = filings.filing_accept(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        override_reason="已核实",
    )
    notice = _inbox(actor.user)[-1].message
    assert accepted.receipt_number in notice.title


def test_a_rectification_deadline_is_reminded_once_however_often_the_job_runs(world, ready_filing):
    filing, actor = _submitted(world, ready_filing)
    today = clock.today()
    filings.filing_return(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        reasons="补充消防材料",
        rectify_by=today + dt.timedelta(days=10),
    )
    assert filings.remind_filing_deadlines(on=today) == 0  # ten days away: not yet
    assert filings.remind_filing_deadlines(on=today + dt.timedelta(days=8)) == 1
    assert filings.remind_filing_deadlines(on=today + dt.timedelta(days=8)) == 0
    reminders = [n for n in _inbox(actor.user) if n.message.topic == Topic.FILING_DEADLINE]
    assert len(reminders) == 1 and "整改期限提醒" in reminders[0].message.title


def test_a_receipt_falling_due_is_reminded_to_the_regulators(world, ready_filing):
    filing, _ = _submitted(world, ready_filing)
    assert filings.remind_filing_deadlines(on=filing.receipt_due) == 1
    titles = [n.message.title for n in _inbox(world.user("regulator_a"))]
    assert any("回执期限提醒" in t for t in titles)


def test_a_family_hears_its_application_was_received(world, round_):
    families = _apply_all(world, round_, count=2)
    notice = _inbox(families[0].user)[0].message
    assert notice.topic == Topic.APPLICATION_RECEIVED and round_.name in notice.title
    assert notice.link == reverse("enrollment:mine")


def test_each_family_hears_its_draw_result_an_offer_with_its_deadline_or_its_waiting_place(world, round_):
    families = _apply_all(world, round_, count=8)
    drawn = _draw(world, round_)
    for actor in families:
        application = Application.objects.get(guardian=actor.user, round=drawn)
        result = [n.message for n in _inbox(actor.user) if n.message.topic == Topic.DRAW_RESULT]
        assert len(result) == 1
        if application.placed_id:
            assert (
                "录取通知" in result[0].title
                and application.respond_by.strftime("%Y-%m-%d") in result[0].title
            )
        else:
            assert "未录取" in result[0].title and "候补" in result[0].body


def test_a_reallocation_tells_the_family_that_moves_up(world, round_):
    _apply_all(world, round_, count=8)
    drawn = _draw(world, round_)
    regulator = Actor(user=world.user("regulator_a"))
    placed = Application.objects.filter(round=drawn, placed__isnull=False).first()
    rounds.offer_respond(actor=Actor(user=placed.guardian), application=placed, accept=False, on=TODAY)
    moved = rounds.round_reallocate(actor=regulator, round_=drawn, on=TODAY)
    offered = [
        a
        for a in Application.objects.filter(round=drawn, number__in=moved)
        if a.placed_id and a.response == Response.PENDING
    ]
    assert offered, "the declined place went to nobody: the test would prove nothing"
    for application in offered:
        titles = [n.message.title for n in _inbox(application.guardian)]
        assert any("递补录取通知" in t for t in titles)


def test_an_unanswered_offer_is_reminded_before_its_deadline(world, round_):
    _apply_all(world, round_, count=3)
    drawn = _draw(world, round_)
    offer = Application.objects.filter(round=drawn, placed__isnull=False).first()
    assert rounds.remind_offer_deadlines(on=offer.respond_by - dt.timedelta(days=1)) >= 1
    assert rounds.remind_offer_deadlines(on=offer.respond_by - dt.timedelta(days=1)) == 0
    assert any(n.message.topic == Topic.OFFER_DEADLINE for n in _inbox(offer.guardian))


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(world, login, ready_filing):
    filing, _ = _submitted(world, ready_filing)
    notice = _inbox(world.user("regulator_a"))[0]
    response = login(world.user("regulator_a")).get(reverse("messaging:open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == reverse("filings:detail", args=[filing.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notice_cannot_be_opened(world, login, ready_filing):
    _submitted(world, ready_filing)
    notice = _inbox(world.user("regulator_a"))[0]
    assert (
        login(world.user("regulator_b")).get(reverse("messaging:open", args=[notice.pk])).status_code == 404
    )


def test_the_log_channel_records_each_notice_with_the_phone_masked(world, ready_filing, caplog, settings):
    settings.TUOYU_NOTIFY_CHANNELS = ["log"]
    user = world.user("regulator_a")
    user.phone = "13812345678"
    user.save(update_fields=["phone"])
    _submitted(world, ready_filing)
    with caplog.at_level(logging.INFO, logger="tuoyu.notify"):
        deliver_pending()
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


class _Gateway(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Gateway.received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    _Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()


def test_the_sms_gateway_adapter_posts_a_signed_message_with_the_link(world, ready_filing, gateway, settings):
    settings.TUOYU_NOTIFY_CHANNELS = ["sms"]
    settings.TUOYU_SMS_GATEWAY_URL = gateway
    settings.TUOYU_SMS_GATEWAY_SECRET = "shared-secret"
    settings.TUOYU_PUBLIC_URL = "https://tuoyu.example.gov.cn"
    user = world.user("regulator_a")
    user.phone = "13812345678"
    user.save(update_fields=["phone"])
    filing, _ = _submitted(world, ready_filing)
    deliver_pending()
    headers, body = _Gateway.received[0]
    payload = json.loads(body)
    assert payload["mobile"] == "13812345678"
    assert f"https://tuoyu.example.gov.cn{reverse('filings:detail', args=[filing.pk])}" in payload["text"]
    expected = hmac.new(
        b"shared-secret", headers["X-Tuoyu-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Tuoyu-Signature"] == expected


def test_a_failing_gateway_keeps_the_inbox_notice_and_reports_the_error(world, ready_filing, settings):
    settings.TUOYU_NOTIFY_CHANNELS = ["sms"]
    settings.TUOYU_SMS_GATEWAY_URL = "http://127.0.0.1:9/closed"
    user = world.user("regulator_a")
    user.phone = "13812345678"
    user.save(update_fields=["phone"])
    _submitted(world, ready_filing)
    deliver_pending()
    message = OutboxMessage.objects.get(topic=Topic.FILING_SUBMITTED)
    assert message.delivered_at is not None and "sms" in message.last_error
    assert Notification.objects.filter(user=user, message=message).exists()


def test_the_inbox_shows_an_unread_count_in_the_menu(world, login, ready_filing):
    _submitted(world, ready_filing)
    deliver_pending()
    page = login(world.user("regulator_a")).get(reverse("home")).content.decode()
    assert 'data-qa="unread-count">1<' in page


def test_reminders_do_not_reach_a_disabled_account(world, ready_filing):
    filing, actor = _submitted(world, ready_filing)
    actor.user.is_active = False
    actor.user.save(update_fields=["is_active"])
    filings.filing_return(
        actor=Actor(user=world.user("regulator_a")),
        filing=filing,
        expected_version=filing.version,
        reasons="补充材料",
        rectify_by=clock.today() + dt.timedelta(days=2),
    )
    assert _inbox(actor.user) == []


def test_an_overdue_receipt_is_flagged_to_the_regulators_once(world, ready_filing):
    filing, _ = _submitted(world, ready_filing)
    late = filing.receipt_due + dt.timedelta(days=2)
    assert filings.remind_filing_deadlines(on=late) == 1
    assert filings.remind_filing_deadlines(on=late + dt.timedelta(days=1)) == 0
    assert any("已逾期" in n.message.title for n in _inbox(world.user("regulator_a")))
