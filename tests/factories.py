"""factory_boy factories for the platform's models; valid identifiers throughout."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from tuoyu.engines.identifiers import make_credit_code, make_id_number
from tuoyu.kernel.accounts.models import Role, User
from tuoyu.kernel.people.models import CareClass, Child, ClassType, StaffMember, StaffRole
from tuoyu.kernel.regions.models import Population, Region
from tuoyu.kernel.registry.models import Institution, LegalForm, Nature, Operator, ProvisionModel, Status

_serial = itertools.count(1)


def _credit_code(n: int) -> str:
    return make_credit_code("9", "1", "510500", f"MA{n:07d}")


def _id_number(n: int, birth: dt.date) -> str:
    return make_id_number("510500", birth, n % 1000)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"51059{n % 10}")
    name = factory.Sequence(lambda n: f"区划{n}")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    region = factory.SubFactory(RegionFactory)
    year = 2026
    total = 50_000
    under_3 = 1_200


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.GUARDIAN
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试托育园{n}")
    credit_code = factory.LazyFunction(lambda: _credit_code(next(_serial)))
    legal_form = LegalForm.ENTERPRISE
    nature = Nature.FOR_PROFIT
    operator = Operator.PRIVATE
    provision_model = ProvisionModel.MARKET
    affordable = True
    service_types = factory.LazyFunction(lambda: ["full_day"])
    subdistrict = factory.SubFactory(RegionFactory)
    address = "测试路1号"
    places = 40
    contact_phone = "13800000001"
    status = Status.FILED
    filing_number = factory.Sequence(lambda n: f"测试备〔2026〕{n:03d}号")
    filed_on = dt.date(2026, 1, 5)


class CareClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareClass

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"班级{n}")
    class_type = ClassType.YOUNG_TODDLER


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"员工{n}")
    id_number = factory.LazyFunction(lambda: _id_number(next(_serial), dt.date(1990, 5, 17)))
    phone = "13900000002"
    role = StaffRole.CAREGIVER
    education = "college"
    certificates = factory.LazyFunction(lambda: ["childcare_worker"])
    hired_on = dt.date(2025, 3, 1)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True  # the hook below writes another table, not the child

    name = factory.Sequence(lambda n: f"孩子{n}")
    birth_date = dt.date(2025, 2, 11)
    id_number = factory.LazyAttribute(lambda o: _id_number(next(_serial), o.birth_date))
    sex = "female"

    @factory.post_generation
    def admitted(child, create, extracted, **kwargs):
        """A child in care has passed the admission health check (N12) unless ``admitted=False``."""
        if create and child.institution_id and extracted is not False:
            from tuoyu.kernel.people.models import AdmissionCheck

            AdmissionCheck.objects.create(
                child=child,
                vaccination_checked_on=child.birth_date,
                health_check_on=child.birth_date,
                hospital="区妇幼保健院",
            )
