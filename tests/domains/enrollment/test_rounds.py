import datetime as dt
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests import factories as f
from tuoyu.domains.enrollment import services
from tuoyu.domains.enrollment.models import Application, Response, RoundState
from tuoyu.engines import allocation
from tuoyu.engines.allocation import csvio
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.people.models import Guardianship, Relation

TODAY = dt.date(2026, 11, 23)
ADMISSION = dt.date(2027, 3, 1)
SECRET = "notary-secret-0123456789abcdef"


@pytest.fixture
def round_(world):
    regulator = Actor(user=world.user("regulator_a"))
    r = services.round_create(
        actor=regulator,
        region=world.county_a,
        name="春季托班",
        admission_date=ADMISSION,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=10),
        rules={"sibling": 1, "residence": 2},
    )
    second = f.InstitutionFactory(name="甲二园", subdistrict=world.sub_a)
    services.program_add(
        actor=regulator,
        round_=r,
        institution=world.inst_a,
        class_type="older_toddler",
        classes=1,
        staying_on=17,
        on=TODAY,
    )
    services.program_add(
        actor=regulator,
        round_=r,
        institution=second,
        class_type="older_toddler",
        classes=1,
        staying_on=18,
        on=TODAY,
    )
    services.round_open(actor=regulator, round_=r, on=TODAY)
    r.refresh_from_db()
    return r


def _family(world, n: int, *, residence=None):
    user = f.UserFactory(username=f"fam{n}", role="guardian", region=world.sub_a)
    child = f.ChildFactory(
        birth_date=dt.date(2024, 12, 1) + dt.timedelta(days=n), residence=residence or world.sub_b
    )
    Guardianship.objects.create(child=child, user=user, relation=Relation.MOTHER)
    return Actor(user=user), child


def _apply_all(world, round_, count=8):
    programs = list(round_.programs.order_by("pk"))
    families = []
    for n in range(count):
        actor, child = _family(world, n, residence=world.sub_a if n == 0 else None)
        choices = [programs[n % 2].pk, programs[(n + 1) % 2].pk]
        services.application_submit(actor=actor, round_=round_, child=child, choices=choices, on=TODAY)
        families.append(actor)
    return families


AFTER_CLOSE = TODAY + dt.timedelta(days=11)


def _draw(world, round_):
    regulator = Actor(user=world.user("regulator_a"))
    services.round_freeze(actor=regulator, round_=round_, on=AFTER_CLOSE)
    round_.refresh_from_db()
    services.round_commit(
        actor=regulator, round_=round_, secret=SECRET, public_source="2026年第150期开奖号码"
    )
    round_.refresh_from_db()
    services.round_draw(
        actor=regulator,
        round_=round_,
        expected_version=round_.version,
        secret=SECRET,
        live_number="07 23",
        public_result="03 12 17 22 28 31 + 09",
        on=TODAY,
    )
    round_.refresh_from_db()
    return round_


def test_capacity_is_class_limit_times_classes_minus_children_staying_on(round_):
    capacities = sorted(p.capacity for p in round_.programs.all())
    assert capacities == [2, 3]  # national 托大班 limit 20 (设置标准 art. 19): 20 − 18, 20 − 17
    assert all("设置标准" in p.limit_source for p in round_.programs.all())


def test_applications_are_checked_for_guardian_age_and_choices(world, round_):
    actor, child = _family(world, 1)
    programs = [p.pk for p in round_.programs.all()]
    with pytest.raises(DomainError, match="自己监护"):
        services.application_submit(
            actor=Actor(user=world.user("guardian_b")), round_=round_, child=child, choices=programs, on=TODAY
        )
    baby = f.ChildFactory(birth_date=dt.date(2026, 1, 1))
    Guardianship.objects.create(child=baby, user=actor.user, relation=Relation.MOTHER)
    with pytest.raises(DomainError, match="招收月龄"):
        services.application_submit(actor=actor, round_=round_, child=baby, choices=programs, on=TODAY)
    with pytest.raises(DomainError, match="不能重复"):
        services.application_submit(
            actor=actor, round_=round_, child=child, choices=[programs[0], programs[0]], on=TODAY
        )
    services.application_submit(actor=actor, round_=round_, child=child, choices=programs, on=TODAY)
    with pytest.raises(DomainError, match="已在本批次提交过申请"):
        services.application_submit(actor=actor, round_=round_, child=child, choices=programs, on=TODAY)
    with pytest.raises(DomainError, match="申请时间"):
        services.application_submit(
            actor=actor, round_=round_, child=baby, choices=programs, on=TODAY + dt.timedelta(days=30)
        )


def test_twins_of_one_family_share_a_lottery_group(world, round_):
    actor, first = _family(world, 1)
    twin = f.ChildFactory(birth_date=first.birth_date)
    Guardianship.objects.create(child=twin, user=actor.user, relation=Relation.MOTHER)
    programs = [p.pk for p in round_.programs.all()]
    a = services.application_submit(actor=actor, round_=round_, child=first, choices=programs, on=TODAY)
    b = services.application_submit(actor=actor, round_=round_, child=twin, choices=programs, on=TODAY)
    assert a.lottery_group == "" and b.lottery_group == a.number


def test_the_draw_needs_the_committed_secret(world, round_):
    _apply_all(world, round_)
    regulator = Actor(user=world.user("regulator_a"))
    services.round_freeze(actor=regulator, round_=round_, on=AFTER_CLOSE)
    round_.refresh_from_db()
    services.round_commit(actor=regulator, round_=round_, secret=SECRET, public_source="开奖号码")
    round_.refresh_from_db()
    with pytest.raises(DomainError, match="承诺值不符"):
        services.round_draw(
            actor=regulator,
            round_=round_,
            expected_version=round_.version,
            secret="another-secret-000000000000",
            live_number="7",
            public_result="3",
        )
    round_.refresh_from_db()
    assert round_.state == RoundState.COMMITTED and not round_.seed


def test_anyone_recomputes_the_published_draw(world, round_, tmp_path):
    _apply_all(world, round_)
    round_ = _draw(world, round_)
    assert round_.seed == allocation.derive_seed(SECRET, "7.23", "3.12.17.22.28.31.9")
    files = {}
    for name in ("programs", "applicants", "priorities", "result", "cutoffs"):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(getattr(round_, f"{name}_csv"))
    verify = subprocess.run(
        [
            sys.executable,
            "-m",
            "tuoyu",
            "allocate",
            "--verify",
            "--programs",
            str(files["programs"]),
            "--applicants",
            str(files["applicants"]),
            "--priorities",
            str(files["priorities"]),
            "--seed",
            round_.seed,
            "--result",
            str(files["result"]),
            "--cutoffs",
            str(files["cutoffs"]),
            "--admission-date",
            ADMISSION.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert allocation.digest(round_.applicants_csv.encode()) == round_.applicants_sha256
    rows, _ = csvio.read_result(round_.result_csv.encode())
    assert sum(1 for r in rows if r.program) == 5  # 2 + 3 places, 8 applicants


def test_residence_priority_places_the_local_family_first(world, round_):
    _apply_all(world, round_)
    round_ = _draw(world, round_)
    local = Application.objects.get(round=round_, number=f"{round_.pk:03d}-0001")
    assert local.placed is not None and local.placed.pk == local.choices[0]


def test_a_decline_passes_the_place_on_and_nobody_else_is_worse_off(world, round_):
    families = _apply_all(world, round_)
    round_ = _draw(world, round_)
    before = {a.number: a.placed_id for a in Application.objects.filter(round=round_)}
    decliner = Application.objects.filter(round=round_, placed__isnull=False).order_by("number").last()
    services.offer_respond(actor=Actor(user=decliner.guardian), application=decliner, accept=False, on=TODAY)
    moved = services.round_reallocate(actor=Actor(user=world.user("regulator_a")), round_=round_, on=TODAY)
    after = {a.number: a for a in Application.objects.filter(round=round_)}
    assert after[decliner.number].placed_id is None
    assert moved and decliner.number in moved
    for number, app in after.items():
        if number == decliner.number or before[number] is None:
            continue
        assert app.placed_id is not None  # nobody who kept a place lost it
    newly_placed = [n for n in moved if n != decliner.number and before[n] is None]
    assert newly_placed and after[newly_placed[0]].response == Response.PENDING
    assert len(families) == 8


def test_only_the_family_answers_its_offer_and_only_a_regulator_draws(world, round_):
    _apply_all(world, round_, count=3)
    for persona in ("manager_a", "regulator_b", "city_regulator"):  # only the county that runs it
        with pytest.raises(AccessDenied):
            services.round_freeze(actor=Actor(user=world.user(persona)), round_=round_, on=AFTER_CLOSE)
    round_ = _draw(world, round_)
    placed = Application.objects.filter(round=round_, placed__isnull=False).first()
    with pytest.raises(DomainError, match="提交申请的家长"):
        services.offer_respond(actor=Actor(user=world.user("guardian_b")), application=placed, accept=False)


def test_pages_public_record_and_privacy(world, round_, client, login):
    families = _apply_all(world, round_, count=3)
    _draw(world, round_)
    public = client.get(reverse("enrollment:public", args=[round_.pk])).content.decode()
    assert round_.name in public and 'data-qa="seed"' in public
    first = Application.objects.filter(round=round_).order_by("number").first()
    assert first.child.name not in public  # names are published masked, if at all
    mine = login(families[0].user).get(reverse("enrollment:mine")).content.decode()
    assert first.number in mine
    other = login(world.user("guardian_b")).get(reverse("enrollment:mine")).content.decode()
    assert first.number not in other
    assert (
        login(world.user("guardian_b"))
        .post(reverse("enrollment:respond", args=[first.pk]), {"answer": "decline"})
        .status_code
        == 404
    )


def test_finding_care_filters_by_age_and_sorts_by_distance(world, client):
    from tuoyu.kernel.registry.models import Institution

    Institution.objects.filter(pk=world.inst_a.pk).update(lon=105.0, lat=29.0, min_age_months=24)
    Institution.objects.filter(pk=world.inst_b.pk).update(lon=105.2, lat=29.0, min_age_months=6)
    near_first = client.get(reverse("enrollment:find"), {"lon": "105.01", "lat": "29.0"}).content.decode()
    assert near_first.index("甲托育园") < near_first.index("乙托育园")
    infants = client.get(reverse("enrollment:find"), {"age": "10"}).content.decode()
    assert "乙托育园" in infants and "甲托育园" not in infants


def test_the_list_is_frozen_only_after_the_window_and_publishes_no_birth_dates(world, round_):
    _apply_all(world, round_, count=3)
    regulator = Actor(user=world.user("regulator_a"))
    with pytest.raises(DomainError, match="申请截止日"):
        services.round_freeze(actor=regulator, round_=round_, on=round_.closes_on)
    services.round_freeze(actor=regulator, round_=round_, on=AFTER_CLOSE)
    round_.refresh_from_db()
    header = round_.applicants_csv.splitlines()[0]
    assert "birth_date" not in header and header.endswith(",name")
    assert "2024-12" not in round_.applicants_csv


def test_a_secret_the_draw_could_not_use_is_refused_at_commitment(world, round_):
    _apply_all(world, round_, count=2)
    regulator = Actor(user=world.user("regulator_a"))
    services.round_freeze(actor=regulator, round_=round_, on=AFTER_CLOSE)
    round_.refresh_from_db()
    with pytest.raises(DomainError):
        services.round_commit(
            actor=regulator, round_=round_, secret="has/slash-0123456789", public_source="开奖"
        )
    round_.refresh_from_db()
    assert round_.state == RoundState.FROZEN


def test_changes_after_freezing_do_not_change_the_draw(world, round_, tmp_path):
    from tuoyu.kernel.people.models import Child

    _apply_all(world, round_)
    regulator = Actor(user=world.user("regulator_a"))
    services.round_freeze(actor=regulator, round_=round_, on=AFTER_CLOSE)
    Child.objects.update(residence=world.sub_a)  # everyone "moves" after the list was published
    round_.refresh_from_db()
    services.round_commit(actor=regulator, round_=round_, secret=SECRET, public_source="开奖")
    round_.refresh_from_db()
    services.round_draw(
        actor=regulator,
        round_=round_,
        expected_version=round_.version,
        secret=SECRET,
        live_number="7",
        public_result="3",
    )
    round_.refresh_from_db()
    programs, applicants, priorities = services._published(round_)
    assert (
        csvio.result_csv(allocation.allocate(programs, applicants, priorities, seed=round_.seed)).decode()
        == round_.result_csv
    )


def test_twins_share_a_key_when_each_parent_applies_for_one(world, round_):
    mother, first = _family(world, 1)
    father = f.UserFactory(username="father1", role="guardian", region=world.sub_a)
    Guardianship.objects.create(child=first, user=father, relation=Relation.FATHER)
    twin = f.ChildFactory(birth_date=first.birth_date)
    Guardianship.objects.create(child=twin, user=father, relation=Relation.FATHER)
    Guardianship.objects.create(child=twin, user=mother.user, relation=Relation.MOTHER)
    programs = [p.pk for p in round_.programs.all()]
    a = services.application_submit(actor=mother, round_=round_, child=first, choices=programs, on=TODAY)
    b = services.application_submit(
        actor=Actor(user=father), round_=round_, child=twin, choices=programs, on=TODAY
    )
    assert b.lottery_group == a.number


def test_a_family_withdraws_and_applies_again_under_the_same_number(world, round_):
    actor, child = _family(world, 1)
    programs = [p.pk for p in round_.programs.all()]
    first = services.application_submit(actor=actor, round_=round_, child=child, choices=programs, on=TODAY)
    with pytest.raises(DomainError, match="只有提交申请的家长"):
        services.application_withdraw(actor=Actor(user=world.user("regulator_b")), application=first)
    services.application_withdraw(actor=actor, application=first)
    again = services.application_submit(
        actor=actor, round_=round_, child=child, choices=programs[:1], on=TODAY
    )
    assert (
        again.pk == first.pk
        and again.number == first.number
        and not again.withdrawn
        and again.choices == programs[:1]
    )


def test_another_county_cannot_confirm_an_employer(world, round_, login):
    _apply_all(world, round_, count=1)
    application = Application.objects.get(round=round_)
    response = login(world.user("regulator_b")).post(
        reverse("enrollment:confirm_employer", args=[application.pk]), {"confirmed": "1"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert not application.employer_confirmed


def test_verification_holds_after_a_reallocation_with_the_published_lists(world, round_, tmp_path):
    _apply_all(world, round_)
    round_ = _draw(world, round_)
    placed = list(Application.objects.filter(round=round_, placed__isnull=False).order_by("number"))
    services.offer_respond(actor=Actor(user=placed[0].guardian), application=placed[0], accept=True, on=TODAY)
    services.offer_respond(
        actor=Actor(user=placed[-1].guardian), application=placed[-1], accept=False, on=TODAY
    )
    services.round_reallocate(actor=Actor(user=world.user("regulator_a")), round_=round_, on=TODAY)
    round_.refresh_from_db()
    assert round_.lists_csv and round_.reallocations == 1
    files = {}
    for name in ("programs", "lists", "priorities", "result", "cutoffs"):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(getattr(round_, f"{name}_csv"))
    verify = subprocess.run(
        [
            sys.executable,
            "-m",
            "tuoyu",
            "allocate",
            "--verify",
            "--programs",
            str(files["programs"]),
            "--applicants",
            str(files["lists"]),
            "--priorities",
            str(files["priorities"]),
            "--seed",
            round_.seed,
            "--result",
            str(files["result"]),
            "--cutoffs",
            str(files["cutoffs"]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    kept = Application.objects.get(pk=placed[0].pk)
    assert (
        kept.placed_id == placed[0].placed_id and kept.response == Response.ACCEPTED
    )  # an acceptance is final


def test_an_offer_left_unanswered_past_its_deadline_is_released(world, round_):
    _apply_all(world, round_)
    round_ = _draw(world, round_)
    # A family placed at its first choice: with no higher choice left, letting the offer lapse must
    # leave it unplaced. (Which family that is depends on the draw, and the draw on the round's id.)
    silent = [
        a
        for a in Application.objects.filter(round=round_, placed__isnull=False).order_by("number")
        if a.placed_id == a.choices[0]
    ][-1]
    late = silent.respond_by + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="确认期限"):
        services.offer_respond(actor=Actor(user=silent.guardian), application=silent, accept=True, on=late)
    moved = services.round_reallocate(actor=Actor(user=world.user("regulator_a")), round_=round_, on=late)
    silent.refresh_from_db()
    assert silent.number in moved and silent.placed is None and silent.response == Response.DECLINED
