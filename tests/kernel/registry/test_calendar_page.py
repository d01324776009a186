"""Holidays and adjusted working days are kept by the platform's administrators in the web; the
filing clocks count with them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests import factories as f
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.regions.models import CalendarDay


def _admin(world):
    return f.UserFactory(username="admin_a", role=Role.ADMIN, region=world.city)


def test_an_administrator_adds_a_holiday_in_the_web_and_it_is_audited(world, login):
    client = login(_admin(world))
    response = client.post(
        reverse("registry:calendar"), {"date": "2026-10-01", "working": "0", "name": "国庆节"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 1))
    assert day.working is False and day.name == "国庆节"
    assert AuditEvent.objects.filter(model="regions.calendarday", verb="create").exists()
    assert "国庆节" in client.get(reverse("registry:calendar")).content.decode()


def test_a_holiday_moves_the_receipt_deadline(world, ready_filing, login):
    from tuoyu.domains.filings import services

    filing, actor = ready_filing
    client = login(_admin(world))
    submitted_on = dt.date(2026, 9, 28)  # a Monday
    client.post(reverse("registry:calendar"), {"date": "2026-10-01", "working": "0", "name": "国庆节"})
    client.post(reverse("registry:calendar"), {"date": "2026-10-02", "working": "0", "name": "国庆节"})
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version, on=submitted_on)
    filing.refresh_from_db()
    # 5 working days after Monday 28 September: 29, 30 September, then (1–2 October off, the weekend)
    # 5, 6 and 7 October. Without the holidays it would be Monday 5 October.
    assert filing.receipt_due == dt.date(2026, 10, 7)


def test_only_administrators_keep_the_calendar(world, login):
    for persona in ("regulator_a", "manager_a", "guardian_a"):
        client = login(world.user(persona))
        assert client.get(reverse("registry:calendar")).status_code == 403
        assert (
            client.post(
                reverse("registry:calendar"), {"date": "2026-10-01", "working": "0", "name": "国庆节"}
            ).status_code
            == 403
        )
    assert not CalendarDay.objects.exists()


def test_a_calendar_name_with_control_characters_is_refused(world, login):
    response = login(_admin(world)).post(
        reverse("registry:calendar"), {"date": "2026-10-01", "working": "0", "name": "国庆\u202e节"}
    )
    assert response.status_code == 400 and not CalendarDay.objects.exists()
