"""Bad input is a 400, never a 500, and changes nothing.

Every GET parameter a page reads (found by watching the request while the walk opens each page),
every field of every form, and every field of the JSON API get hostile values: huge and negative
numbers, non-ASCII digits, control and direction-override characters, broken encodings, lone
surrogates (JSON), wrong JSON types, deep nesting, empty and oversized bodies. A deterministic sweep
covers each value once; Hypothesis then searches further.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import walk

HOSTILE = [
    "99999999999999999999999",
    "-1",
    "²",
    "٣",
    "1e400",
    "NaN",
    "\u202e甲",
    "\x1b",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    "x" * 5000,
    "2026-02-30",
    "0001-01-01",
]
# The form sweep tries the values that broke or fooled the platform before (each form field once).
FORM_HOSTILE = ["99999999999999999999999", "٣", "\u202e甲", "\x1b"]
# Refused by every field there is: text that would read differently from what is stored. The other
# values are only required not to break anything (a name may well be "99999999").
NEVER_STORED = ["\u202e甲", "\x1b"]
# Bytes a browser would never send but a script can: invalid UTF-8, an encoded surrogate half.
RAW_QUERY = ["%ED%A0%80", "%FF%FE", "%00"]


@pytest.fixture
def site(world):
    return walk.build(world)


class _Reads:
    """Which GET keys a view asked for."""

    def __init__(self, monkeypatch):
        self.keys: set[str] = set()
        original_get, original_getitem, original_getlist = (
            QueryDict.get,
            QueryDict.__getitem__,
            QueryDict.getlist,
        )
        reads = self.keys

        def get(self, key, default=None):
            reads.add(key)
            return original_get(self, key, default)

        def getitem(self, key):
            reads.add(key)
            return original_getitem(self, key)

        def getlist(self, key, default=None):
            reads.add(key)
            return original_getlist(self, key, default)

        monkeypatch.setattr(QueryDict, "get", get)
        monkeypatch.setattr(QueryDict, "__getitem__", getitem)
        monkeypatch.setattr(QueryDict, "getlist", getlist)


def _parameters(client, site, persona, monkeypatch) -> list[tuple[str, str]]:
    """(path, key) for every GET parameter every page reads for this persona."""
    if persona != "anonymous":
        client.force_login(site.user(persona))
    found = []
    for _, path in walk.urls(site):
        reads = _Reads(monkeypatch)
        client.get(path)
        monkeypatch.undo()
        found.extend((path, key) for key in sorted(reads.keys) if key not in ("next",))
    return found


PERSONAS = ("anonymous", "regulator_a", "manager_a", "guardian_a", "admin_city", "inspector_a")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_query_parameter_refuses_hostile_values_without_a_server_error(
    client, site, persona, monkeypatch
):
    parameters = _parameters(client, site, persona, monkeypatch)
    assert parameters, "the walk read no query parameter: the recorder is broken"
    failures = []
    for path, key in parameters:
        for value in HOSTILE:
            response = client.get(path, {key: value})
            if response.status_code >= 500:
                failures.append((path, key, value[:20], response.status_code))
        for raw in RAW_QUERY:
            response = client.get(f"{path}?{quote(key)}={raw}")
            if response.status_code >= 500:
                failures.append((path, key, raw, response.status_code))
    assert not failures


@pytest.mark.parametrize("persona", ["regulator_a", "guardian_a"])
@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(data=st.data())
def test_query_parameters_survive_whatever_hypothesis_sends(client, site, persona, monkeypatch, data):
    if not hasattr(site, "_parameters"):
        site._parameters = _parameters(client, site, persona, monkeypatch)
    path, key = data.draw(st.sampled_from(site._parameters))
    value = data.draw(
        st.one_of(
            st.text(max_size=40), st.integers().map(str), st.floats().map(str), st.sampled_from(HOSTILE)
        )
    )
    assert client.get(path, {key: value}).status_code < 500


def _forms(client, site, persona):
    for _, path in walk.urls(site):
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for form in walk.forms_in(response.content.decode()):
                if form.method == "post" and form.submittable:
                    yield path, form


@pytest.mark.parametrize("persona", ["regulator_a", "manager_a", "guardian_a", "admin_city", "manager_b"])
def test_every_form_field_refuses_hostile_values_and_changes_nothing(client, site, persona):
    client.force_login(site.user(persona))
    seen, failures = set(), []
    for path, form in list(_forms(client, site, persona)):
        target = urlsplit(form.action).path or path
        route = resolve(target).view_name
        if route in ("accounts:logout",):
            continue
        data = form.data()
        for name in [n for n in data if n != "csrfmiddlewaretoken"]:
            if (route, name) in seen:
                continue
            seen.add((route, name))
            for value in FORM_HOSTILE:
                watched = value in NEVER_STORED
                before, audit = (walk.database_state(), walk.audit_count()) if watched else (None, None)
                response = client.post(target, {**data, name: [value]})
                if response.status_code >= 500:
                    failures.append((target, name, value[:20], response.status_code))
                elif watched and (walk.database_state() != before or walk.audit_count() != audit):
                    failures.append((target, name, repr(value), "stored"))
    assert seen, "the walk found no form to try"
    assert not failures


def _patch(client, pk, body: bytes | str):
    return client.generic(
        "PATCH", reverse("registry:api_institution", args=[pk]), body, content_type="application/json"
    )


def _nested(depth: int) -> str:
    return "{" + '"a":{' * depth + "}" * depth + "}"


BODIES = [
    b"",
    b"   ",
    b"null",
    b"[]",
    b'"text"',
    b"{oops",
    b"\xff\xfe",
    _nested(5000).encode(),
    b'{"contact_name": "' + b"x" * (300 * 1024) + b'"}',
    b'{"contact_name": NaN}',
]


def test_the_api_answers_400_to_every_hostile_body_and_changes_nothing(world, login):
    client = login(world.user("manager_a"))
    before = walk.database_state()
    for body in BODIES:
        response = _patch(client, world.inst_a.pk, body)
        assert response.status_code == 400, (body[:30], response.status_code)
        assert "message" in response.json()
    assert walk.database_state() == before


API_VALUES = [
    10**30,
    -(10**30),
    -1,
    1.5e308,
    True,
    None,
    [],
    {},
    [[[[["deep"]]]]],
    "\ud800",
    "²",
    "٣",
    "\u202e",
    "x" * 5000,
    {"health": {"daily_checks": "\udfff"}},
]


@pytest.mark.parametrize(
    "field",
    sorted(
        {
            "name",
            "address",
            "places",
            "monthly_fee",
            "lease_start",
            "lease_end",
            "lon",
            "lat",
            "service_types",
            "declarations",
            "parents_committee",
            "contact_phone",
            "contact_name",
            "window_area_ratio",
            "floor_of_child_rooms",
            "indoor_area_m2",
            "tenure",
            "no_such_field",
        }
    ),
)
def test_every_api_field_refuses_hostile_values_without_a_server_error(world, login, field):
    client = login(world.user("manager_a"))
    for value in API_VALUES:
        before = walk.database_state()
        response = _patch(client, world.inst_a.pk, json.dumps({field: value}))
        assert response.status_code in (200, 400), (field, repr(value)[:30], response.status_code)
        if response.status_code == 400 or value in NEVER_STORED or value == "\ud800":
            assert response.status_code == 400 and walk.database_state() == before, (field, repr(value)[:30])


def test_a_lone_surrogate_in_json_is_refused_before_it_reaches_the_database(world, login):
    response = _patch(login(world.user("manager_a")), world.inst_a.pk, '{"contact_name": "\\ud800"}')
    assert response.status_code == 400 and "contact_name" in response.json()["fields"]
