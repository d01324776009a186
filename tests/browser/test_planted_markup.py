"""No script injection, anywhere: markup planted in every user-editable text a page shows stays text.

The planted text is stored directly (as a compromised import or an old row might hold it), then every
public, regulator, institution and family page is opened in Chromium, map markers are hovered so
their tooltips open, and the page must show the markup as text: no element made from it, no
handler run. The Content-Security-Policy is a second wall; this test checks the first.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANT = "<img src=x onerror=window.__planted=1><b class=planted>"


def _plant(site) -> None:
    from tuoyu.domains.enrollment.models import Round
    from tuoyu.domains.filings import services as filings
    from tuoyu.domains.filings.models import Placement
    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.accounts.models import User
    from tuoyu.kernel.messaging.models import OutboxMessage
    from tuoyu.kernel.messaging.services import deliver_pending
    from tuoyu.kernel.people.models import CareClass, Child, StaffMember
    from tuoyu.kernel.regions.models import CalendarDay
    from tuoyu.kernel.registry.models import Institution

    world = site.world
    Institution.objects.filter(pk__in=[world.inst_a.pk, world.inst_b.pk]).update(
        name="甲" + PLANT, address="路" + PLANT, contact_name="联" + PLANT[:30]
    )
    Institution.objects.update(lon=105.44, lat=28.88)
    StaffMember.objects.update(name="师" + PLANT[:35])
    Child.objects.update(name="童" + PLANT[:35], allergies="敏" + PLANT)
    CareClass.objects.update(name="班" + PLANT[:35])
    Round.objects.update(name="批" + PLANT)
    User.objects.update(display_name="人" + PLANT[:35])
    Placement.objects.update(destination="去" + PLANT)
    CalendarDay.objects.update(name="假" + PLANT[:35])
    submitted = site.rows["filing_submitted"]
    submitted.refresh_from_db()
    filings.filing_return(
        actor=Actor(user=world.user("regulator_a")),
        filing=submitted,
        expected_version=submitted.version,
        reasons="理由" + PLANT,
        rectify_by=timezone.localdate() + dt.timedelta(days=20),
    )
    from tuoyu.domains.cameras.models import Camera, CameraDay
    from tuoyu.domains.disclosure.models import FeeItem, MealAccount, Notice, WeeklyMenu

    Camera.objects.update(name="摄" + PLANT[:35], armed_hours="时" + PLANT[:35])
    CameraDay.objects.update(note="障" + PLANT[:80])
    FeeItem.objects.update(name="费" + PLANT[:35], note="注" + PLANT[:80])
    WeeklyMenu.objects.update(dishes={"0": {"lunch": "菜" + PLANT}})
    MealAccount.objects.update(note="账" + PLANT)
    Notice.objects.update(title="通" + PLANT[:55], body="知" + PLANT)
    OutboxMessage.objects.update(title="题" + PLANT, body="文" + PLANT)
    deliver_pending()


@pytest.fixture
def planted(world):
    site = walk.build(world)
    _plant(site)
    return site


def _pages(site, persona) -> list[str]:
    """The HTML pages this persona reaches (status 200), found with the test client first."""
    client = Client()
    if persona != "anonymous":
        client.force_login(site.user(persona))
    out = []
    for _, path in walk.urls(site):
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            out.append(path)
    return out


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("persona", ["anonymous", "regulator_a", "manager_a", "guardian_a", "admin_city"])
def test_planted_markup_stays_text_on_every_page(planted, page, live_server, persona):
    if persona != "anonymous":
        _sign_in(page, live_server, planted.user(persona))
    paths = _pages(planted, persona)
    assert len(paths) >= 5
    shown_somewhere = False
    problems = []
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        for marker in page.locator("path.leaflet-interactive, .leaflet-marker-icon").all()[:12]:
            marker.dispatch_event("mouseover")  # opens the marker's tooltip as a pointer would
        if page.locator("img[src='x'], b.planted").count():
            problems.append((path, "planted markup became an element"))
        if page.evaluate("window.__planted"):
            problems.append((path, "planted handler ran"))
        shown_somewhere = shown_somewhere or "<img src=x" in page.inner_text("body")
    assert not problems, problems
    assert shown_somewhere, "the planted text was never shown: the test would prove nothing"
