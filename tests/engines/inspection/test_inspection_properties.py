"""Properties of the draw on random pools (hypothesis): the documented algorithm, the constraints, balance."""

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.inspection import inspection_reference as reference
from tuoyu.engines.inspection import Conflict, InspectionInputError, Inspector, Institution, draw
from tuoyu.engines.inspection.csvio import draw_csv

FEW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# About half the tiny pools are refused (conflicts leave some institution without a team): more
# examples, so that a hundred or so complete draws are checked against the reference.
MANY = settings(max_examples=240, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEPARTMENTS = ("health", "fire", "market_regulation")


@st.composite
def pools(draw_from, max_institutions=6, max_inspectors=6, max_targets=3, max_team=3, conflict_share=0.06):
    """Pools that mostly allow a draw: more inspectors than a team needs, each joint department at
    least twice; the conflicts may still leave an institution without a team."""
    institutions = [
        Institution(f"JG{k}", draw_from(st.sampled_from([None, None, "A", "B"])))
        for k in range(draw_from(st.integers(1, max_institutions)))
    ]
    joint = tuple(draw_from(st.lists(st.sampled_from(DEPARTMENTS), max_size=2, unique=True)))
    team_size = draw_from(st.integers(max(1, len(joint)), max_team))
    departments = [*joint, *joint, *(draw_from(st.sampled_from(DEPARTMENTS)) for _ in range(max_inspectors))]
    inspectors = [
        Inspector(f"P{k}", departments[k])
        for k in range(draw_from(st.integers(min(team_size + 1, max_inspectors), max_inspectors)))
    ]
    pairs = [(p.id, i.id) for p in inspectors for i in institutions]
    conflicts = [Conflict(*pair) for pair in pairs if draw_from(st.floats(0, 1)) < conflict_share]
    targets = draw_from(st.integers(1, min(max_targets, len(institutions))))
    seed = hashlib.sha256(str(draw_from(st.integers(0, 10**6))).encode()).hexdigest()
    return institutions, inspectors, targets, team_size, seed, joint, conflicts


def run(case):
    institutions, inspectors, targets, team_size, seed, joint, conflicts = case
    return draw(
        institutions,
        inspectors,
        targets=targets,
        team_size=team_size,
        seed=seed,
        joint=joint,
        conflicts=conflicts,
    )


@MANY
@given(pools())
def test_the_draw_is_the_one_the_documented_algorithm_gives_or_both_refuse(case):
    institutions, inspectors, targets, team_size, seed, joint, conflicts = case
    expected = reference.draw(institutions, inspectors, targets, team_size, seed, joint, conflicts)
    try:
        result = run(case)
    except InspectionInputError:
        assert expected is None
        return
    rows, floor, ceiling = expected
    assert [(t.institution, t.inspectors) for t in result.teams] == rows
    assert (result.load_floor, result.load_ceiling) == (floor, ceiling)


@FEW
@given(pools(max_institutions=30, max_inspectors=14, max_targets=12, max_team=4, conflict_share=0.03))
def test_every_draw_meets_every_constraint_within_its_load_bounds(case):
    _, inspectors, targets, team_size, _, joint, conflicts = case
    try:
        result = run(case)
    except InspectionInputError as error:
        assert error.zh  # refused in Chinese, and never with a partial draw
        return
    department = {p.id: p.department for p in inspectors}
    banned = {(c.inspector, c.institution) for c in conflicts}
    drawn = [t.institution for t in result.teams]
    assert len(drawn) == targets == len(set(drawn))
    for team in result.teams:
        assert len(team.inspectors) == team_size == len(set(team.inspectors))
        assert not any((p, team.institution) in banned for p in team.inspectors)
        assert set(joint) <= {department[p] for p in team.inspectors}
    loads = list(result.loads.values())
    assert sum(loads) == targets * team_size
    assert result.load_floor <= min(loads) and max(loads) <= result.load_ceiling
    assert draw_csv(run(case)) == draw_csv(result)


@FEW
@given(pools(max_institutions=30, max_inspectors=14, max_targets=12, max_team=4, conflict_share=0))
def test_without_conflicts_or_joint_departments_loads_differ_by_at_most_one(case):
    institutions, inspectors, targets, team_size, seed, _, _ = case
    result = draw(institutions, inspectors, targets=targets, team_size=team_size, seed=seed)
    loads = list(result.loads.values())
    assert max(loads) - min(loads) <= 1
