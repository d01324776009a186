"""Personal numbers stay masked in page source: not only in what a page shows, but in every input
value, data attribute, JSON block, export and API answer of every page every persona can reach."""

from __future__ import annotations

import re

import pytest

from tests import walk
from tuoyu.engines.identifiers import InvalidIdentifier, validate_id_number
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.registry.models import Institution

# Not inside a longer word of letters and digits: a lottery key's 64 hex digits hold runs of 11
# decimal digits by chance, and which runs depends on the rows' ids.
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE_LIKE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


@pytest.fixture
def site(world):
    site = walk.build(world)
    # Numbers that appear as they are typed, so a leak of any of them is found by its exact value too.
    for user in User.objects.all():
        user.phone = f"139{user.pk:08d}"
        user.save(update_fields=["phone"])
    return site


def _known_numbers() -> set[str]:
    numbers = set(StaffMember.objects.values_list("id_number", flat=True)) | set(
        Child.objects.exclude(id_number="").values_list("id_number", flat=True)
    )
    numbers |= set(StaffMember.objects.exclude(phone="").values_list("phone", flat=True))
    numbers |= set(Institution.objects.exclude(contact_phone="").values_list("contact_phone", flat=True))
    numbers |= set(User.objects.exclude(phone="").values_list("phone", flat=True))
    return {n for n in numbers if n}


def _valid_id_numbers(text: str) -> list[str]:
    found = []
    for candidate in ID_LIKE.findall(text):
        try:
            validate_id_number(candidate)
        except InvalidIdentifier:
            continue
        found.append(candidate)
    return found


@pytest.mark.parametrize("persona", walk.PERSONAS)
def test_no_page_a_persona_reaches_carries_a_full_identity_or_mobile_number(client, site, persona):
    if persona != "anonymous":
        client.force_login(site.user(persona))
    known = _known_numbers()
    assert known, "the walk has no personal numbers to look for"
    leaks = []
    for name, path in walk.urls(site):
        response = client.get(path)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith(("text/", "application/json")):
            continue  # PDFs are checked by the receipt tests; redirects carry no page
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        leaks += [(name, path, n[:6] + "…") for n in known if n in text]
        leaks += [(name, path, n[:6] + "…") for n in _valid_id_numbers(text)]
        leaks += [(name, path, n[:3] + "…") for n in MOBILE_LIKE.findall(text)]
    assert not leaks, leaks


def test_edit_forms_carry_no_full_number_and_blank_keeps_the_stored_one(site, login):
    from django.urls import reverse

    world = site.world
    client = login(world.user("manager_a"))
    page = client.get(reverse("operations:staff_edit", args=[world.staff_a.pk])).content.decode()
    assert world.staff_a.id_number not in page and world.staff_a.phone not in page
    assert world.staff_a.id_number[:6] + "********" in page  # the placeholder shows it masked
    form = next(f for f in walk.forms_in(page) if f.method == "post" and not f.action)
    data = form.data()
    assert data["id_number"] == [""] and data["phone"] == [""]
    data["name"] = ["新名字"]
    assert client.post(reverse("operations:staff_edit", args=[world.staff_a.pk]), data).status_code == 302
    staff = StaffMember.objects.get(pk=world.staff_a.pk)
    assert (
        staff.name == "新名字"
        and staff.id_number == world.staff_a.id_number
        and staff.phone == world.staff_a.phone
    )


def test_signed_in_pages_are_never_cached(site, login):
    from django.urls import reverse

    response = login(site.world.user("manager_a")).get(
        reverse("operations:staff_edit", args=[site.world.staff_a.pk])
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_number_patterns_find_numbers_in_text_but_not_inside_hex_keys():
    assert MOBILE_LIKE.findall("联系电话13912345678。") == ["13912345678"]
    assert MOBILE_LIKE.findall("key,a15412345678b90f") == []
    assert ID_LIKE.findall("身份证110101201501010011，") == ["110101201501010011"]
