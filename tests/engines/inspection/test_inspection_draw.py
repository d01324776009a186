"""The inspection draw: reproducibility, the constraints on teams, load balance, strata, uniformity, refusals."""

import hashlib
import random
from collections import Counter

import pytest

from tests.engines.inspection.inspection_reference import key
from tuoyu.engines.inspection import (
    Conflict,
    InspectionInputError,
    Inspector,
    Institution,
    Team,
    compare,
    draw,
)
from tuoyu.engines.inspection.csvio import draw_csv

SEED = hashlib.sha256(b"inspection-draw-tests").hexdigest()


def seed(n: int) -> str:
    return hashlib.sha256(f"seed-{n}".encode()).hexdigest()


def institutions(count: int, stratum=None) -> list[Institution]:
    return [Institution(f"JG{k:03d}", stratum(k) if stratum else None) for k in range(count)]


def inspectors(**by_department: int) -> list[Inspector]:
    pool = []
    for department, count in by_department.items():
        pool += [Inspector(f"{department}-{k}", department) for k in range(count)]
    return pool


def loads(result) -> list[int]:
    return list(result.loads.values())


POOL = institutions(30, stratum=lambda k: "high" if k % 3 == 0 else "normal")
STAFF = inspectors(health=6, fire=3, market_regulation=3)
CONFLICTS = [Conflict("health-0", "JG000"), Conflict("fire-1", "JG003"), Conflict("fire-1", "JG004")]


def joint_draw(seed_text=SEED, **overrides):
    args = dict(targets=8, team_size=3, seed=seed_text, joint=("health", "fire"), conflicts=CONFLICTS)
    return draw(POOL, STAFF, **{**args, **overrides})


# --- reproducibility ------------------------------------------------------------------------------


def test_the_same_inputs_and_seed_give_the_same_draw_byte_for_byte():
    assert draw_csv(joint_draw()) == draw_csv(joint_draw())


def test_the_order_of_the_input_rows_does_not_change_the_draw():
    shuffled = random.Random(7)
    pool, staff, conflicts = list(POOL), list(STAFF), list(CONFLICTS)
    for rows in (pool, staff, conflicts):
        shuffled.shuffle(rows)
    reordered = draw(
        pool, staff, targets=8, team_size=3, seed=SEED, joint=("fire", "health"), conflicts=conflicts
    )
    assert draw_csv(reordered) == draw_csv(joint_draw())


def test_another_seed_gives_another_draw():
    assert draw_csv(joint_draw(seed(1))) != draw_csv(joint_draw(seed(2)))


def test_a_seed_in_capitals_is_the_same_seed():
    assert draw_csv(joint_draw(SEED.upper())) == draw_csv(joint_draw())


def test_targets_are_the_smallest_sha256_keys_of_seed_and_id_in_key_order():
    pool = institutions(12)
    result = draw(pool, inspectors(health=3), targets=4, team_size=1, seed=SEED)
    by_key = sorted(pool, key=lambda i: hashlib.sha256(f"{SEED}:{i.id}".encode()).hexdigest())
    assert [t.institution for t in result.teams] == [i.id for i in by_key[:4]]


def test_the_first_team_is_ordered_by_the_keys_of_institution_and_inspector():
    staff = inspectors(health=5)
    result = draw(institutions(6), staff, targets=1, team_size=3, seed=SEED)
    (team,) = result.teams
    by_key = sorted(staff, key=lambda p: key(SEED, f"{team.institution}/{p.id}"))
    assert team.inspectors == tuple(p.id for p in by_key[:3])


# --- what every draw guarantees -------------------------------------------------------------------


@pytest.mark.parametrize("n", range(12))
def test_targets_are_distinct_institutions_of_the_pool(n):
    result = joint_draw(seed(n))
    drawn = [t.institution for t in result.teams]
    assert len(drawn) == 8 and len(set(drawn)) == 8
    assert set(drawn) <= {i.id for i in POOL}


@pytest.mark.parametrize("n", range(12))
def test_no_inspector_is_sent_to_an_institution_they_conflict_with(n):
    # About one pair in eight, spread by a hash so that every department keeps someone free.
    conflicts = [
        Conflict(p.id, i.id)
        for p in STAFF
        for i in POOL
        if hashlib.sha256(f"{p.id}{i.id}".encode()).digest()[0] < 32
    ]
    assert len(conflicts) > 30
    result = draw(
        POOL, STAFF, targets=10, team_size=3, seed=seed(n), joint=("health", "fire"), conflicts=conflicts
    )
    banned = {(c.inspector, c.institution) for c in conflicts}
    assert not any((p, t.institution) in banned for t in result.teams for p in t.inspectors)


@pytest.mark.parametrize("n", range(12))
def test_every_team_has_k_distinct_inspectors_and_one_of_each_joint_department(n):
    department = {p.id: p.department for p in STAFF}
    for team in joint_draw(seed(n)).teams:
        assert len(team.inspectors) == 3 == len(set(team.inspectors))
        assert {"health", "fire"} <= {department[p] for p in team.inspectors}


@pytest.mark.parametrize("n", range(12))
def test_loads_differ_by_at_most_one_on_a_permissive_pool(n):
    result = draw(institutions(40), inspectors(health=7, fire=4), targets=9, team_size=2, seed=seed(n))
    assert max(loads(result)) - min(loads(result)) <= 1
    assert sum(loads(result)) == 18


@pytest.mark.parametrize("n", range(6))
def test_loads_differ_by_at_most_one_when_joint_departments_leave_room(n):
    result = draw(
        institutions(40),
        inspectors(health=4, fire=4),
        targets=8,
        team_size=2,
        seed=seed(n),
        joint=("health", "fire"),
    )
    assert set(loads(result)) == {2}


def test_a_small_joint_department_carries_what_it_must_and_the_others_stay_even():
    staff = inspectors(health=6, fire=2)
    result = draw(institutions(20), staff, targets=8, team_size=2, seed=SEED, joint=("health", "fire"))
    fire = [result.loads[p.id] for p in staff if p.department == "fire"]
    health = [result.loads[p.id] for p in staff if p.department == "health"]
    assert fire == [4, 4]
    assert max(health) - min(health) <= 1 and sum(health) == 8
    assert (result.load_floor, result.load_ceiling) == (1, 4)


def test_an_inspector_conflicted_everywhere_drawn_has_no_team_and_the_rest_share_evenly():
    staff = inspectors(health=5)
    pool = institutions(4)
    conflicts = [Conflict("health-4", i.id) for i in pool]
    result = draw(pool, staff, targets=4, team_size=2, seed=SEED, conflicts=conflicts)
    assert result.loads["health-4"] == 0
    assert [result.loads[f"health-{k}"] for k in range(4)] == [2, 2, 2, 2]


# --- strata ---------------------------------------------------------------------------------------


def test_strata_receive_targets_in_proportion_with_the_largest_remainders_rounded_up():
    pool = institutions(20, stratum=lambda k: "A" if k < 10 else "B" if k < 17 else "C")
    result = draw(pool, inspectors(health=2), targets=6, team_size=1, seed=SEED)
    # 6 · 10/20 = 3, 6 · 7/20 = 2.1, 6 · 3/20 = 0.9: C's remainder 0.9 beats B's 0.1.
    assert [(q.stratum, q.size, q.targets) for q in result.quotas] == [("A", 10, 3), ("B", 7, 2), ("C", 3, 1)]
    stratum = {i.id: i.stratum for i in pool}
    assert Counter(stratum[t.institution] for t in result.teams) == {"A": 3, "B": 2, "C": 1}


def test_equal_remainders_are_ordered_by_the_key_of_the_stratum_name():
    pool = institutions(9, stratum=lambda k: "ABC"[k % 3])
    result = draw(pool, inspectors(health=2), targets=1, team_size=1, seed=SEED)
    winner = min("ABC", key=lambda s: key(SEED, s))
    assert {q.stratum: q.targets for q in result.quotas} == {s: int(s == winner) for s in "ABC"}


def test_institutions_without_a_stratum_form_one_stratum_of_their_own():
    pool = institutions(4, stratum=lambda k: "A" if k < 2 else None)
    result = draw(pool, inspectors(health=2), targets=2, team_size=1, seed=SEED)
    assert {(q.stratum, q.targets) for q in result.quotas} == {("A", 1), (None, 1)}


# --- uniformity -----------------------------------------------------------------------------------


def test_with_a_uniform_pool_every_institution_is_equally_likely_to_be_drawn():
    pool = institutions(20)
    staff = inspectors(health=3, fire=2)
    seeds = 2000
    drawn = Counter()
    for n in range(seeds):
        result = draw(pool, staff, targets=5, team_size=2, seed=seed(n), joint=("fire",))
        drawn.update(t.institution for t in result.teams)
    expected = seeds * 5 / 20
    chi_square = sum((drawn[i.id] - expected) ** 2 / expected for i in pool)
    # 19 degrees of freedom: P(chi² > 60) is about 3e-6. The seeds are fixed, so this never flakes;
    # the bound only has to be far from what a biased draw gives (one favoured institution drawn
    # twice as often as the others adds ~500).
    assert chi_square < 60
    assert sum(drawn.values()) == seeds * 5


# --- refusals: never a partial draw ---------------------------------------------------------------


def refused(**overrides) -> InspectionInputError:
    args = dict(
        institutions=POOL,
        inspectors=STAFF,
        targets=8,
        team_size=3,
        seed=SEED,
        joint=("health", "fire"),
        conflicts=CONFLICTS,
    )
    args.update(overrides)
    with pytest.raises(InspectionInputError) as caught:
        draw(args.pop("institutions"), args.pop("inspectors"), **args)
    return caught.value


def test_more_targets_than_institutions_are_refused():
    error = refused(targets=31)
    assert "超过了机构名单中的机构数（30家）" in error.zh


def test_no_targets_are_refused():
    assert "至少为1家" in refused(targets=0).zh


def test_a_team_smaller_than_the_joint_departments_is_refused():
    error = refused(team_size=1)
    assert "少于须参加联合检查的部门数（2个：卫生健康、消防救援）" in error.zh


def test_a_team_larger_than_the_inspector_pool_is_refused():
    assert "超过了检查人员名单中的人数（12人）" in refused(team_size=13).zh


def test_a_joint_department_without_inspectors_is_refused():
    error = refused(joint=("health", "public_security"))
    assert "没有公安部门的人员" in error.zh


def test_an_unknown_joint_department_is_refused_with_the_codes_to_use():
    error = refused(joint=("health", "firemen"))
    assert "“firemen”不是平台的部门代码" in error.zh and "fire（消防救援）" in error.zh


def test_an_institution_every_fire_inspector_must_avoid_is_refused_whatever_the_seed():
    conflicts = [*CONFLICTS, *(Conflict(f"fire-{k}", "JG029") for k in range(3))]
    for n in range(3):
        error = refused(conflicts=conflicts, seed=seed(n))
        assert error.zh == "机构“JG029”：消防救援部门的检查人员都须回避，无法组成联合检查组"
        assert (error.table, error.row) == ("institutions", 29)


def test_an_institution_with_too_few_inspectors_free_of_conflict_is_refused():
    conflicts = [Conflict(p.id, "JG007") for p in STAFF[:10]]
    error = refused(conflicts=conflicts)
    assert error.zh == "机构“JG007”须回避的检查人员过多：可派的只有2人，少于每组3人"


def test_an_unknown_inspector_in_the_conflicts_is_refused_with_its_row():
    error = refused(conflicts=[*CONFLICTS, Conflict("nobody", "JG001")])
    assert "检查人员“nobody”不在检查人员名单中" in error.zh
    assert (error.table, error.row) == ("conflicts", 3)


def test_an_unknown_institution_in_the_conflicts_is_refused():
    error = refused(conflicts=[Conflict("fire-0", "JG999")])
    assert "机构“JG999”不在机构名单中" in error.zh and error.table == "conflicts"


def test_repeated_ids_are_refused_with_the_row_of_the_repeat():
    error = refused(inspectors=[*STAFF, Inspector("fire-0", "fire")])
    assert "检查人员编号“fire-0”重复出现" in error.zh
    assert (error.table, error.row) == ("inspectors", 12)
    assert "机构编号“JG000”重复出现" in refused(institutions=[*POOL, POOL[0]]).zh


def test_an_unknown_department_is_refused():
    error = refused(inspectors=[*STAFF, Inspector("x", "police")])
    assert "部门“police”不是平台的部门代码" in error.zh and error.table == "inspectors"


def test_an_inspector_id_with_the_member_separator_is_refused():
    assert "不能含有“;”" in refused(inspectors=[*STAFF, Inspector("a;b", "fire")]).zh


@pytest.mark.parametrize("bad", ["", "xyz", "12ab", SEED[:-1], SEED + "0", "g" * 64])
def test_a_seed_that_is_not_64_hex_digits_is_refused(bad):
    assert "种子应为64位十六进制数" in refused(seed=bad).zh


# --- comparing a published draw -------------------------------------------------------------------


def test_a_published_draw_that_reproduces_has_no_discrepancy():
    result = joint_draw()
    assert compare(result, result.teams) == []


def test_a_changed_team_a_missing_and_a_foreign_institution_are_each_named():
    result = joint_draw()
    first, second, *rest = result.teams
    swapped = Team(first.institution, tuple(reversed(first.inspectors)))
    found = compare(result, [swapped, Team("JG999", ("fire-0",)), *rest])
    assert [d.subject for d in found] == [first.institution, "JG999", second.institution]
    assert "检查组不符" in found[0].zh and "不应被抽中" in found[1].zh and "缺少" in found[2].zh


def test_rows_out_of_draw_order_are_a_discrepancy():
    result = joint_draw()
    found = compare(result, list(reversed(result.teams)))
    assert [d.subject for d in found] == ["order"]
