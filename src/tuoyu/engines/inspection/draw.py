"""The random inspection draw (双随机一公开, P26): which institutions, and which inspectors go to each.

The draw is verifiable the same way as the lotteries (``tuoyu.engines.allocation.lottery``): the
regulator commits to a secret before the draw, the seed is derived from it and from numbers drawn in
public afterwards, the inputs and the result are published with their SHA-256, and anyone can
recompute the result from them. Everything below is defined by the inputs and the seed alone, so a
re-implementation that follows it reproduces a published draw byte for byte.

**Inputs.** Institutions (id, optional stratum), inspectors (id, department code of
``vocabulary.DEPARTMENTS``), the number of targets N, the team size K, the seed (64 hex digits,
read in lower case), the joint departments J (each team must include an inspector of each) and the
conflicts (inspector, institution): that inspector never inspects that institution.

**Keys.** ``key(x)`` = hex SHA-256 of the UTF-8 string ``"{seed}:{x}"`` (``lottery_key``); keys are
compared as strings, smaller first.

**1. The pool must allow a draw whatever the seed.** 1 <= N <= number of institutions,
|J| <= K <= number of inspectors, every joint department has an inspector, and *every* institution
in the pool — drawn or not — has at least K inspectors free of conflict with it, one of each joint
department among them. Otherwise the draw is refused (``InspectionInputError``); it never returns a
partial draw, and whether it succeeds does not depend on the seed.

**2. Targets.** Institutions without a stratum form one stratum together (named "" below). Stratum
s of n_s institutions out of n gets floor(N · n_s / n) targets; the R targets left over go one each
to the R strata with the largest remainders N · n_s mod n, equal remainders ordered by
(key(s), s). Within each stratum the institutions with the smallest (key(id), id) are drawn, as many
as its quota. The drawn institutions, ordered by (key(id), id), are the targets in draw order. With
one stratum this takes the N smallest of independent uniform keys: every N-subset of the pool is
equally likely, so every institution is drawn with probability N/n.

**3. Load bounds.** A valid assignment gives each target a team of K distinct inspectors, none in
conflict with it, at least one of each joint department. An inspector's load is the number of teams
they are on. The ceiling H is the smallest h such that some valid assignment has every load <= h;
the floor L is the largest l such that some valid assignment has every load in [l, H]. When a valid
assignment whose loads differ by at most one exists, H - L <= 1.

**4. Teams.** For each target t in draw order, the K places of its team are filled one at a time.
The candidates for a place are the inspectors free of conflict with t and not yet on t's team,
ordered by (load so far, key("{t}/{inspector id}"), inspector id); the first candidate is taken for
whom some valid assignment with every load in [L, H] exists that keeps every choice made so far,
this one included (one always does). The team lists its inspectors in the order they were chosen.
Any method of deciding "some valid assignment exists" gives the same draw; ``teams`` uses a flow
network.

**Result file.** ``institution,inspectors``: one row per target in draw order, the inspectors joined
by ";" (csvio.draw_csv).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tuoyu.engines.inspection.model import (
    Conflict,
    Discrepancy,
    Draw,
    InspectionInputError,
    Inspector,
    Institution,
    Team,
)
from tuoyu.engines.inspection.selection import select_targets
from tuoyu.engines.inspection.teams import assign_teams
from tuoyu.engines.policy.vocabulary import DEPARTMENTS

_SEED = re.compile(r"[0-9a-fA-F]{64}", re.ASCII)
# Inspectors are joined by ";" in the result file.
MEMBER_SEPARATOR = ";"


def _departments_known() -> str:
    return "、".join(f"{code}（{name}）" for code, name in DEPARTMENTS.items())


def check_seed(seed: str) -> str:
    """The seed in lower case; ``InspectionInputError`` unless it is 64 hex digits."""
    if not isinstance(seed, str) or not _SEED.fullmatch(seed.strip()):
        raise InspectionInputError(
            "种子应为64位十六进制数（由事先承诺的秘密值和公开号码推导，与公开摇号相同）",
            "the seed must be 64 hexadecimal digits",
        )
    return seed.strip().lower()


def check_joint(joint: Iterable[str]) -> tuple[str, ...]:
    """The joint departments as codes, each once; ``InspectionInputError`` for an unknown or repeated one."""
    codes: list[str] = []
    for code in joint:
        if code not in DEPARTMENTS:
            raise InspectionInputError(
                f"联合检查部门“{code}”不是平台的部门代码，可用：{_departments_known()}",
                f"joint department {code!r} is not a department code",
            )
        if code in codes:
            raise InspectionInputError(
                f"联合检查部门“{DEPARTMENTS[code]}”重复", f"joint department {code!r} is given twice"
            )
        codes.append(code)
    return tuple(codes)


def _check_ids(ids: Sequence[str], table: str, zh: str, en: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for row, ident in enumerate(ids):
        if not ident:
            raise InspectionInputError(
                f"{zh}编号不能为空", f"the {en} id must not be empty", table=table, row=row
            )
        if ident in seen:
            raise InspectionInputError(
                f"{zh}编号“{ident}”重复出现", f"{en} id {ident!r} appears twice", table=table, row=row
            )
        seen[ident] = row
    return seen


def _check_pool(
    institutions: Sequence[Institution],
    inspectors: Sequence[Inspector],
    targets: int,
    team_size: int,
    joint: Sequence[str],
    conflicts: Sequence[Conflict],
) -> list[set[int]]:
    """Step 1 of the module docstring; returns each institution's conflicted inspectors (positions)."""
    institution_row = _check_ids([i.id for i in institutions], "institutions", "机构", "institution")
    inspector_row = _check_ids([p.id for p in inspectors], "inspectors", "检查人员", "inspector")
    for row, inspector in enumerate(inspectors):
        if MEMBER_SEPARATOR in inspector.id:
            raise InspectionInputError(
                f"检查人员编号“{inspector.id}”不能含有“;”（结果文件用它分隔组员）",
                f"inspector id {inspector.id!r} must not contain ';'",
                table="inspectors",
                row=row,
            )
        if inspector.department not in DEPARTMENTS:
            raise InspectionInputError(
                f"检查人员“{inspector.id}”的部门“{inspector.department}”不是平台的部门代码，"
                f"可用：{_departments_known()}",
                f"inspector {inspector.id!r}: {inspector.department!r} is not a department code",
                table="inspectors",
                row=row,
            )
    conflicted: list[set[int]] = [set() for _ in institutions]
    for row, conflict in enumerate(conflicts):
        p = inspector_row.get(conflict.inspector)
        if p is None:
            raise InspectionInputError(
                f"回避名单中的检查人员“{conflict.inspector}”不在检查人员名单中",
                f"conflicts: inspector {conflict.inspector!r} is not in the inspector list",
                table="conflicts",
                row=row,
            )
        i = institution_row.get(conflict.institution)
        if i is None:
            raise InspectionInputError(
                f"回避名单中的机构“{conflict.institution}”不在机构名单中",
                f"conflicts: institution {conflict.institution!r} is not in the institution list",
                table="conflicts",
                row=row,
            )
        conflicted[i].add(p)

    pool, staff = len(institutions), len(inspectors)
    if targets < 1:
        raise InspectionInputError("抽取的机构数至少为1家", "at least one institution must be drawn")
    if targets > pool:
        raise InspectionInputError(
            f"抽取的机构数（{targets}家）超过了机构名单中的机构数（{pool}家）",
            f"{targets} targets but only {pool} institutions in the pool",
        )
    if team_size < 1:
        raise InspectionInputError("每个检查组至少1人", "the team size must be at least 1")
    if team_size < len(joint):
        names = "、".join(DEPARTMENTS[d] for d in joint)
        raise InspectionInputError(
            f"每组人数（{team_size}人）少于须参加联合检查的部门数（{len(joint)}个：{names}）",
            f"team size {team_size} is smaller than the {len(joint)} joint departments",
        )
    if team_size > staff:
        raise InspectionInputError(
            f"每组人数（{team_size}人）超过了检查人员名单中的人数（{staff}人）",
            f"team size {team_size} exceeds the {staff} inspectors",
        )
    members = {d: {p for p, inspector in enumerate(inspectors) if inspector.department == d} for d in joint}
    for d in joint:
        if not members[d]:
            raise InspectionInputError(
                f"检查人员名单中没有{DEPARTMENTS[d]}部门的人员，无法组成联合检查组",
                f"no inspector of the joint department {d!r}",
            )
    for i, institution in enumerate(institutions):
        free = staff - len(conflicted[i])
        if free < team_size:
            raise InspectionInputError(
                f"机构“{institution.id}”须回避的检查人员过多：可派的只有{free}人，少于每组{team_size}人",
                f"institution {institution.id!r}: only {free} inspectors free of conflict, "
                f"fewer than the team size {team_size}",
                table="institutions",
                row=i,
            )
        for d in joint:
            if members[d] <= conflicted[i]:
                raise InspectionInputError(
                    f"机构“{institution.id}”：{DEPARTMENTS[d]}部门的检查人员都须回避，无法组成联合检查组",
                    f"institution {institution.id!r}: every inspector of {d!r} has a conflict",
                    table="institutions",
                    row=i,
                )
    return conflicted


def draw(
    institutions: Sequence[Institution],
    inspectors: Sequence[Inspector],
    *,
    targets: int,
    team_size: int,
    seed: str,
    joint: Iterable[str] = (),
    conflicts: Sequence[Conflict] = (),
) -> Draw:
    """Draw ``targets`` institutions and a team of ``team_size`` inspectors for each (module docstring).

    Same inputs and seed, same draw. Raises ``InspectionInputError`` (with ``table`` and ``row`` where
    one item is at fault) when the inputs do not allow a complete draw.
    """
    seed = check_seed(seed)
    joint = check_joint(joint)
    conflicted = _check_pool(institutions, inspectors, targets, team_size, joint, conflicts)
    drawn, quotas = select_targets(institutions, targets, seed)
    department_number = {code: k for k, code in enumerate(DEPARTMENTS)}
    everyone = range(len(inspectors))
    teams, loads, floor, ceiling = assign_teams(
        [institutions[i].id for i in drawn],
        [[p for p in everyone if p not in conflicted[i]] for i in drawn],
        [p.id for p in inspectors],
        [department_number[p.department] for p in inspectors],
        [department_number[d] for d in joint],
        team_size,
        seed,
    )
    return Draw(
        seed=seed,
        teams=tuple(
            Team(institutions[i].id, tuple(inspectors[p].id for p in team))
            for i, team in zip(drawn, teams, strict=True)
        ),
        quotas=tuple(quotas),
        loads={p.id: load for p, load in zip(inspectors, loads, strict=True)},
        load_floor=floor,
        load_ceiling=ceiling,
    )


def compare(result: Draw, published: Sequence[Team]) -> list[Discrepancy]:
    """Every way the published teams differ from the recomputed draw (empty: the draw reproduces)."""
    found: list[Discrepancy] = []
    expected = {team.institution: team.inspectors for team in result.teams}
    seen: set[str] = set()
    for team in published:
        if team.institution in seen:
            found.append(
                Discrepancy(
                    team.institution,
                    f"机构“{team.institution}”在公布的结果中出现了不止一次",
                    f"institution {team.institution!r} appears twice",
                )
            )
            continue
        seen.add(team.institution)
        members = expected.get(team.institution)
        if members is None:
            found.append(
                Discrepancy(
                    team.institution,
                    f"机构“{team.institution}”不应被抽中",
                    f"institution {team.institution!r} was not drawn",
                )
            )
        elif team.inspectors != members:
            found.append(
                Discrepancy(
                    team.institution,
                    f"机构“{team.institution}”的检查组不符：公布“{MEMBER_SEPARATOR.join(team.inspectors)}”，"
                    f"应为“{MEMBER_SEPARATOR.join(members)}”",
                    f"institution {team.institution!r}: team {list(team.inspectors)} published, "
                    f"{list(members)} recomputed",
                )
            )
    for team in result.teams:
        if team.institution not in seen:
            found.append(
                Discrepancy(
                    team.institution,
                    f"公布的结果缺少被抽中的机构“{team.institution}”",
                    f"the result lacks the drawn institution {team.institution!r}",
                )
            )
    if not found and [t.institution for t in published] != [t.institution for t in result.teams]:
        found.append(Discrepancy("order", "结果各行的顺序与抽取顺序不符", "the rows are not in draw order"))
    return found
