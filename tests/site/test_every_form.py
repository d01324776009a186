"""Every form of the platform, found by walking every page as every persona.

An edit form saved untouched must change nothing: not the row, not the audit trail (a yes/no answer
read back as "未填报" once flipped findings on an official receipt). Every form found must be listed
below as an edit form, a create form or an action, so a new form is covered the day it is added.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from tests import walk

# Forms that show stored values and save them back: submitted untouched, nothing may change.
EDIT = {
    "registry:edit",
    "operations:staff_edit",
    "operations:child_edit",
    "operations:class_edit",
    "filings:commit",
    "filings:changes",
    "filings:placements",
    "filings:review",
    "health:check",
    "growth:class",
    "cameras:day",
    "cameras:edit",
    "cameras:live_view",
    "disclosure:fee_edit",
    "disclosure:menu",
}
# Forms that create something new, or sign in: each has its own tests.
CREATE = {
    "accounts:login",
    "accounts:password",
    "registry:accounts",
    "registry:import",
    "operations:staff_create",
    "operations:classes",
    "operations:child_enrol",
    "operations:child_invite",
    "operations:link_child",
    "filings:upload",
    "enrollment:rounds",
    "enrollment:add_program",
    "enrollment:apply",
    "registry:calendar",
    "registry:import_regions",
    "registry:import_population",
    "attendance:pickups",
    "operations:child_admission",
    "operations:staff_check_new",
    "operations:staff_certificate_new",
    "operations:staff_training_new",
    "cameras:new",
    "disclosure:fee_new",
    "disclosure:account_new",
    "disclosure:notice_new",
}
# Buttons that take one step of a workflow.
ACTION = {
    "accounts:logout",
    "registry:account_action",
    "operations:staff_leave",
    "operations:class_close",
    "operations:child_leave",
    "messaging:read",
    "messaging:read_all",
    "filings:start",
    "filings:submit",
    "filings:withdraw",
    "filings:return",
    "filings:accept",
    "filings:remove_material",
    "enrollment:respond",
    "enrollment:withdraw",
    "enrollment:confirm_employer",
    "enrollment:act",
    "registry:calendar_remove",
    "health:alert_report",
    "health:certificate",
    "attendance:arrive",
    "attendance:absent",
    "attendance:follow_up",
    "attendance:depart",
    "attendance:pickup_revoke",
    "cameras:retire",
    "cameras:key",
    "disclosure:fee_withdraw",
}


@pytest.fixture
def site(world):
    return walk.build(world)


def _pages(client, site, persona):
    if persona != "anonymous":
        client.force_login(site.user(persona))
    for name, path in walk.urls(site):
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            yield name, path, response.content.decode()


def _action_route(form: walk.HtmlForm, page_path: str) -> str:
    path = urlsplit(form.action).path or page_path
    return resolve(path).view_name


def test_every_url_can_be_walked():
    missing = [route.name for route in walk.routes() if route.has_args and route.name not in walk.ARGS]
    assert not missing, f"add these routes to tests/walk.py ARGS so the walk reaches them: {missing}"


@pytest.mark.parametrize("persona", walk.PERSONAS)
def test_every_post_form_is_an_edit_a_create_or_an_action(client, site, persona):
    unknown = set()
    for _, path, html in _pages(client, site, persona):
        for form in walk.forms_in(html):
            if form.method == "post":
                route = _action_route(form, path)
                if route not in EDIT | CREATE | ACTION:
                    unknown.add(route)
    assert not unknown, f"classify these forms in tests/site/test_every_form.py: {sorted(unknown)}"


@pytest.mark.parametrize("persona", walk.PERSONAS)
def test_every_edit_form_saved_untouched_changes_nothing(client, site, persona):
    tried, changed = [], []
    for _, path, html in list(_pages(client, site, persona)):
        for form in walk.forms_in(html):
            if form.method != "post" or not form.submittable or _action_route(form, path) not in EDIT:
                continue
            target = urlsplit(form.action).path or path
            before, audit = walk.database_state(), walk.audit_count()
            response = client.post(target, form.data())
            tried.append(target)
            assert response.status_code in (200, 302), (target, response.status_code)
            after = walk.database_state()
            diff = {label: "changed" for label in before if before[label] != after[label]}
            if diff or walk.audit_count() != audit:
                changed.append((target, sorted(diff), walk.audit_count() - audit))
    assert not changed, f"saving an untouched form changed data: {changed}"
    if persona in ("manager_a", "regulator_a"):
        assert tried, "the walk found no edit form for a persona that has several"


def test_every_form_class_derives_from_the_platforms_base():
    """The base normalises input and keeps stored values round-tripping; a form outside it would not."""
    import importlib
    import pkgutil

    from django import forms as django_forms

    import tuoyu
    from tuoyu.kernel.forms import NormalisedInput

    for module in pkgutil.walk_packages(tuoyu.__path__, "tuoyu."):
        if (
            ".engines" in module.name
            or ".migrations" in module.name
            or module.name.startswith(("tuoyu.commands", "tuoyu.__main__"))
        ):
            continue
        importlib.import_module(module.name)
    ours, outside = [], []
    pending = [django_forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tuoyu.") and cls.__module__ != "tuoyu.kernel.forms":
            ours.append(cls)
            if not issubclass(cls, NormalisedInput):
                outside.append(f"{cls.__module__}.{cls.__qualname__}")
    assert len(ours) >= 10, "the search found too few of the platform's forms to mean anything"
    assert not outside
