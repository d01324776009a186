"""Identifiers are stored in one form whatever was typed: a lowercase x once gave one person two posts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from tuoyu.engines.identifiers import make_id_number
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.people.models import StaffMember
from tuoyu.kernel.people.services import staff_create
from tuoyu.kernel.registry.models import Institution


def _id_ending_in_x() -> str:
    import datetime as dt

    for sequence in range(1000):
        number = make_id_number("510500", dt.date(1988, 3, 3), sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no number with check character X")


def test_a_lowercase_x_is_the_same_person_and_cannot_hold_a_second_post(world):
    number = _id_ending_in_x()
    data = {"name": "王老师", "role": "caregiver", "hired_on": "2025-03-01"}
    staff_create(
        actor=Actor(user=world.user("manager_a")),
        institution=world.inst_a,
        data={**data, "id_number": number},
    )
    with pytest.raises(ValidationError, match="已在其他机构在岗"):
        staff_create(
            actor=Actor(user=world.user("manager_b")),
            institution=world.inst_b,
            data={**data, "id_number": number.lower()},
        )
    assert StaffMember.objects.filter(id_number__iexact=number).count() == 1


def test_identity_numbers_and_credit_codes_are_stored_upper_case_without_blanks(world):
    number = _id_ending_in_x()
    staff = f.StaffFactory(institution=world.inst_a, id_number=" " + number.lower() + " ")
    assert StaffMember.objects.get(pk=staff.pk).id_number == number
    inst = f.InstitutionFactory(subdistrict=world.sub_a, credit_code="91510500ma0000999x")
    assert Institution.objects.get(pk=inst.pk).credit_code == "91510500MA0000999X"


def test_a_lookup_with_a_lowercase_x_finds_the_stored_number(world):
    number = _id_ending_in_x()
    f.StaffFactory(institution=world.inst_a, id_number=number)
    assert StaffMember.objects.filter(id_number=number.lower()).exists()


def test_registering_someone_twice_in_the_same_institution_says_so(world):
    from tuoyu.errors import DomainError

    with pytest.raises(DomainError, match="已在本机构在岗登记"):
        staff_create(
            actor=Actor(user=world.user("manager_a")),
            institution=world.inst_a,
            data={
                "name": "再登记",
                "role": "caregiver",
                "hired_on": "2025-03-01",
                "id_number": world.staff_a.id_number.lower(),
            },
        )
