"""tuoyu inspect — random inspections (双随机一公开): draw institutions and teams, or verify a draw.

    tuoyu inspect draw --institutions I.csv --inspectors P.csv --targets N --team-size K --seed HEX
                       [--joint health,fire] [--conflicts C.csv] --out draw.csv
    tuoyu inspect draw … --verify draw.csv

The seed is committed to and derived as for the lotteries (``tuoyu allocate --commit`` and
``--derive-seed``). Formats and the algorithm: ``docs/inspection.md``. No Django is loaded.
"""

from __future__ import annotations

import re

from tuoyu.commands._common import (
    EXIT_FOUND,
    EXIT_OK,
    ArgumentParser,
    BadInput,
    guarded,
    located,
    output_path,
    read_input,
    write_atomically,
)
from tuoyu.engines.allocation.lottery import digest
from tuoyu.engines.inspection import InspectionInputError, compare, csvio, draw
from tuoyu.engines.inspection.draw import check_joint, check_seed
from tuoyu.engines.policy.vocabulary import DEPARTMENTS

# File written, summary printed: the process may end without unloading its modules (cli.py).
EXIT_AT_ONCE = True

_COUNT = re.compile(r"[0-9]+", re.ASCII)
_JOINT_SEPARATORS = re.compile(r"[,，、]")
_SHOWN_DISCREPANCIES = 20

_WHAT = {
    "institutions": ("机构名单", "institutions"),
    "inspectors": ("检查人员名单", "inspectors"),
    "conflicts": ("回避名单", "conflicts"),
    "draw": ("抽取结果", "draw"),
}
_READERS = {
    "institutions": csvio.read_institutions,
    "inspectors": csvio.read_inspectors,
    "conflicts": csvio.read_conflicts,
    "draw": csvio.read_draw,
}


def _parser(prog: str) -> ArgumentParser:
    parser = ArgumentParser(
        prog=prog,
        description="双随机一公开：随机抽取检查对象与检查组，或复核已公布的抽取结果 / random inspections",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="draw")
    sub = actions.add_parser(
        "draw",
        help="抽取检查对象与检查组，或复核 / draw, or verify a draw",
        description="抽取检查对象与检查组（--out），或复核已公布的结果（--verify） / draw or verify",
    )
    sub.add_argument(
        "--institutions", metavar="CSV", required=True, help="机构名单 / institutions: id[,stratum]"
    )
    sub.add_argument(
        "--inspectors", metavar="CSV", required=True, help="检查人员名单 / inspectors: id,department"
    )
    sub.add_argument("--targets", metavar="N", required=True, help="抽取的机构数 / institutions to draw")
    sub.add_argument("--team-size", metavar="K", required=True, help="每组人数 / inspectors per team")
    sub.add_argument("--seed", metavar="HEX", required=True, help="种子（64位十六进制数） / the seed")
    sub.add_argument(
        "--joint",
        metavar="DEPARTMENTS",
        help="每组须包含的部门代码，逗号分隔，如 health,fire / departments every team includes",
    )
    sub.add_argument("--conflicts", metavar="CSV", help="回避名单 / conflicts: inspector,institution")
    mode = sub.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", metavar="CSV", help="抽取结果 / the draw: institution,inspectors")
    mode.add_argument("--verify", metavar="CSV", help="复核已公布的抽取结果 / verify a published draw")
    return parser


def run(argv: list[str], prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    return guarded(lambda: _draw(args))


def _count(flag: str, text: str, what: str) -> int:
    if not _COUNT.fullmatch(text.strip()):
        raise BadInput(f"{flag} {what}应为正整数（当前为“{text}”）", f"{flag} must be a positive integer")
    return int(text)


def _joint(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    codes = [part.strip() for part in _JOINT_SEPARATORS.split(text)]
    if "" in codes:
        raise BadInput(
            f"--joint 中有空项（“{text}”），应为逗号分隔的部门代码，如 health,fire",
            f"--joint {text!r} has an empty item",
        )
    try:
        return check_joint(codes)
    except InspectionInputError as error:
        raise BadInput(f"--joint {error.zh}", f"--joint: {error.en}") from None


class _Inputs:
    """The files read, parsed, with their line numbers for error messages."""

    def __init__(self):
        self.paths: dict[str, str] = {}
        self.bytes: dict[str, bytes] = {}
        self.lines: dict[str, list[int]] = {}

    def read(self, table: str, path: str):
        self.paths[table] = path
        self.bytes[table] = read_input(path, *_WHAT[table])
        try:
            parsed, self.lines[table] = _READERS[table](self.bytes[table])
        except InspectionInputError as error:
            raise self.bad(error) from None
        return parsed

    def bad(self, error: InspectionInputError) -> BadInput:
        return located(error, self.paths, self.lines)

    def digests(self) -> list[str]:
        return [
            f"{self.paths[t]} sha256 {digest(self.bytes[t])}"
            for t in _WHAT
            if t in self.bytes and t != "draw"
        ]


def _draw(args) -> int:
    targets = _count("--targets", args.targets, "抽取的机构数")
    team_size = _count("--team-size", args.team_size, "每组人数")
    try:
        seed = check_seed(args.seed)
    except InspectionInputError as error:
        raise BadInput(f"--seed {error.zh}", f"--seed: {error.en}") from None
    joint = _joint(args.joint)
    sources = [args.institutions, args.inspectors, args.conflicts]
    target = output_path(args.out, sources) if args.out is not None else None

    inputs = _Inputs()
    institutions = inputs.read("institutions", args.institutions)
    inspectors = inputs.read("inspectors", args.inspectors)
    conflicts = inputs.read("conflicts", args.conflicts) if args.conflicts is not None else []
    published = inputs.read("draw", args.verify) if args.verify is not None else None
    try:
        result = draw(
            institutions,
            inspectors,
            targets=targets,
            team_size=team_size,
            seed=seed,
            joint=joint,
            conflicts=conflicts,
        )
    except InspectionInputError as error:
        raise inputs.bad(error) from None
    data = csvio.draw_csv(result)
    if target is not None:
        write_atomically([(target, data)])

    print(f"种子 / seed: {seed}")
    for line in inputs.digests():
        print(line)
    loads = list(result.loads.values())
    joined = "、".join(DEPARTMENTS[d] for d in joint)
    print(
        f"从 {len(institutions)} 家机构中抽取 {len(result.teams)} 家，每组 {team_size} 人"
        + (f"，须含{joined}" if joint else "")
        + f"；每名检查人员参加 {min(loads)}–{max(loads)} 个检查组 / drew {len(result.teams)} of "
        f"{len(institutions)} institutions, teams of {team_size}; {min(loads)}–{max(loads)} teams per inspector"
    )
    if len(result.quotas) > 1:
        for quota in result.quotas:
            name = quota.stratum if quota.stratum is not None else "未分层"
            print(
                f"  {name}：{quota.size} 家中抽取 {quota.targets} 家 / "
                f"stratum {quota.stratum or '(none)'}: {quota.targets} of {quota.size}"
            )
    if target is not None:
        print(f"{target} sha256 {digest(data)}")
        return EXIT_OK
    return _report(inputs, result, published, data)


def _report(inputs: _Inputs, result, published, data: bytes) -> int:
    path = inputs.paths["draw"]
    print(f"{path} sha256 {digest(inputs.bytes['draw'])}")
    problems = compare(result, published)
    if not problems:
        print(
            f"一致：{len(published)} 个检查组全部可由公布的数据和种子重新算出 / MATCH: all "
            f"{len(published)} teams are reproduced from the published inputs and seed"
        )
        if inputs.bytes["draw"] != data:
            print(
                f"  （文件的字节与重新生成的不同，重新生成的文件 sha256 为 {digest(data)}） / "
                "the file's bytes differ from the regenerated file's"
            )
        return EXIT_OK
    print(f"不一致：发现 {len(problems)} 处差异 / MISMATCH: {len(problems)} discrepancies")
    for problem in problems[:_SHOWN_DISCREPANCIES]:
        print(f"  {problem.zh} / {problem.en}")
    if len(problems) > _SHOWN_DISCREPANCIES:
        print(
            f"  …… 另有 {len(problems) - _SHOWN_DISCREPANCIES} 处 / "
            f"… and {len(problems) - _SHOWN_DISCREPANCIES} more"
        )
    return EXIT_FOUND
