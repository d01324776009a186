"""The demo county is the same, row for row, for the same seed and date."""

import datetime as dt

from django.db import transaction

from tuoyu.devtools.demo_county import build_demo_county
from tuoyu.kernel.people.models import Child, StaffMember
from tuoyu.kernel.registry.models import Institution

ON = dt.date(2026, 11, 23)


def _fingerprint():
    return (
        list(
            Institution.objects.order_by("credit_code").values_list(
                "name", "credit_code", "places", "lon", "lat"
            )
        ),
        list(
            Child.objects.order_by("id_number").values_list(
                "id_number", "name", "birth_date", "care_class__name"
            )
        ),
        list(StaffMember.objects.order_by("id_number").values_list("id_number", "role", "education")),
    )


def test_same_seed_and_date_build_the_same_county(db):
    with transaction.atomic():
        build_demo_county(on=ON)
        first = _fingerprint()
        transaction.set_rollback(True)
    build_demo_county(on=ON)
    assert _fingerprint() == first
