"""tuoyu allocate — run, commit to, derive the seed of, or verify a public lottery draw.

    tuoyu allocate --programs programs.csv --applicants applicants.csv [--priorities priorities.csv]
                   --seed SEED --out result.csv [--cutoffs cutoffs.csv] [--choices choices.csv]
                   [--admission-date YYYY-MM-DD]
    tuoyu allocate --commit --seed SECRET
    tuoyu allocate --derive-seed --secret S --live N --public P [--commitment C]
    tuoyu allocate --verify --programs … --applicants … [--priorities …] --seed SEED
                   --result result.csv [--cutoffs cutoffs.csv] [--applicants-sha256 HEX]

Instead of ``--seed`` the allocation and the verification accept ``--secret --live --public``
(``--commitment`` to check the secret). Formats: ``docs/allocation.md``. No Django is loaded.
"""

from __future__ import annotations

import datetime as dt
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
from tuoyu.engines.allocation import csvio
from tuoyu.engines.allocation.lottery import (
    check_seed,
    commitment,
    derive_seed,
    digest,
    verify,
    verify_commitment,
)
from tuoyu.engines.allocation.model import AllocationInputError

# Files written, summary printed: the process may end without unloading its modules (cli.py).
EXIT_AT_ONCE = True

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_SHOWN_DISCREPANCIES = 20


def _parser(prog: str) -> ArgumentParser:
    parser = ArgumentParser(
        prog=prog,
        description="公开摇号分配托位（延迟接受算法），及其承诺值、种子推导与复核 / "
        "allocate places by verifiable lottery and deferred acceptance",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--commit",
        action="store_true",
        help="打印秘密值（--seed 或 --secret）的承诺值 / print the commitment",
    )
    mode.add_argument(
        "--derive-seed", action="store_true", help="由 --secret --live --public 推导种子 / derive the seed"
    )
    mode.add_argument("--verify", action="store_true", help="复核已公布的结果 / verify a published result")
    parser.add_argument(
        "--programs", metavar="CSV", help="托班 / programs: id,capacity[,min_age_months,max_age_months]"
    )
    parser.add_argument(
        "--applicants", metavar="CSV", help="申请 / applicants: id,choices[,birth_date,lottery_group]"
    )
    parser.add_argument("--priorities", metavar="CSV", help="优先级 / priorities: program,applicant,priority")
    parser.add_argument("--seed", help="摇号种子 / the seed")
    parser.add_argument("--secret", help="秘密值 / the revealed secret")
    parser.add_argument("--live", help="现场摇出的号码 / the number drawn live")
    parser.add_argument("--public", help="事先指定的公开开奖结果 / the public result fixed in advance")
    parser.add_argument("--commitment", help="事先公布的承诺值 / the published commitment")
    parser.add_argument(
        "--admission-date", metavar="YYYY-MM-DD", help="入托日期，按此日计算月龄 / admission date"
    )
    parser.add_argument("--out", metavar="CSV", help="结果 / result: applicant,program,lottery")
    parser.add_argument("--cutoffs", metavar="CSV", help="各托班录取线（复核时为输入） / per-program cutoffs")
    parser.add_argument("--choices", metavar="CSV", help="每个志愿的状态与候补名次 / each choice's status")
    parser.add_argument("--result", metavar="CSV", help="复核：已公布的结果 / verify: the published result")
    parser.add_argument(
        "--applicants-sha256",
        metavar="HEX",
        help="复核：已公布的申请名单SHA-256 / verify: the frozen list's hash",
    )
    return parser


def run(argv: list[str], prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    if args.commit:
        return guarded(lambda: _commit(args))
    if args.derive_seed:
        return guarded(lambda: _derive(args))
    if args.verify:
        return guarded(lambda: _verify(args))
    return guarded(lambda: _allocate(args))


# --- helpers ------------------------------------------------------------------------------------------


def _engine(call, *args, **kwargs):
    """Call the engine, turning its input errors into the command's bad-input convention."""
    try:
        return call(*args, **kwargs)
    except AllocationInputError as error:
        raise BadInput(error.zh, error.en) from None


def _require(args, *names: str, mode_zh: str, mode_en: str) -> None:
    missing = [n for n in names if getattr(args, n.replace("-", "_")) is None]
    if missing:
        flags = " ".join(f"--{n}" for n in missing)
        raise BadInput(f"{mode_zh}需要参数 {flags}", f"{mode_en} needs {flags}")


def _reject(args, *names: str, mode_zh: str, mode_en: str) -> None:
    extra = [n for n in names if getattr(args, n.replace("-", "_")) is not None]
    if extra:
        flags = " ".join(f"--{n}" for n in extra)
        raise BadInput(f"{mode_zh}不使用参数 {flags}", f"{mode_en} does not take {flags}")


def _seed(args, *, mode_zh: str, mode_en: str) -> str:
    """The seed from --seed, or derived from --secret --live --public (checked against --commitment)."""
    parts = [args.secret, args.live, args.public]
    if args.seed is not None:
        if any(p is not None for p in parts) or args.commitment is not None:
            raise BadInput(
                f"{mode_zh}请只给 --seed，或只给 --secret --live --public",
                f"{mode_en}: give either --seed or --secret --live --public, not both",
            )
        _engine(check_seed, args.seed)
        return args.seed
    if all(p is None for p in parts):
        raise BadInput(f"{mode_zh}需要 --seed（或 --secret --live --public）", f"{mode_en} needs --seed")
    _require(args, "secret", "live", "public", mode_zh=mode_zh, mode_en=mode_en)
    if args.commitment is not None:
        _check_hex("--commitment", args.commitment)
        if not verify_commitment(args.secret, args.commitment):
            raise BadInput(
                "秘密值与事先公布的承诺值不符，不能用于摇号",
                "the secret does not match the published commitment",
            )
    return _engine(derive_seed, args.secret, args.live, args.public)


def _check_hex(flag: str, value: str) -> None:
    if not _HEX64.fullmatch(value.strip()):
        raise BadInput(f"{flag} 应为64位十六进制数", f"{flag} must be 64 hexadecimal digits")


def _admission_date(args) -> dt.date | None:
    if args.admission_date is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", args.admission_date):
            raise ValueError
        return dt.date.fromisoformat(args.admission_date)
    except ValueError:
        raise BadInput(
            f"入托日期“{args.admission_date}”应为YYYY-MM-DD格式的有效日期",
            f"--admission-date {args.admission_date!r} is not a valid YYYY-MM-DD date",
        ) from None


class _Inputs:
    """The three input files, read, parsed, with their line numbers for error messages."""

    def __init__(self, args):
        self.paths = {"programs": args.programs, "applicants": args.applicants, "priorities": args.priorities}
        self.bytes = {t: read_input(p, *_WHAT[t]) for t, p in self.paths.items() if p is not None}
        self.lines: dict[str, list[int]] = {}
        self.programs, self.lines["programs"] = self._parse(csvio.read_programs, "programs")
        self.applicants, self.lines["applicants"] = self._parse(csvio.read_applicants, "applicants")
        if "priorities" in self.bytes:
            self.priorities, self.lines["priorities"] = self._parse(csvio.read_priorities, "priorities")
        else:
            self.priorities = []

    def _parse(self, reader, table: str):
        try:
            return reader(self.bytes[table])
        except AllocationInputError as error:
            raise self.bad(error) from None

    def parse_file(self, path: str, reader, table: str):
        """Read and parse a further file (a published result or cutoffs) with the same error form."""
        self.paths[table] = path
        self.bytes[table] = read_input(path, *_WHAT[table])
        parsed, self.lines[table] = self._parse(reader, table)
        return parsed

    def bad(self, error: AllocationInputError) -> BadInput:
        return located(error, self.paths, self.lines)

    def digests(self) -> list[str]:
        return [f"{self.paths[t]} sha256 {digest(self.bytes[t])}" for t in _WHAT if t in self.bytes]


_WHAT = {
    "programs": ("托班", "programs"),
    "applicants": ("申请名单", "applicants"),
    "priorities": ("优先级", "priorities"),
    "result": ("结果", "result"),
    "cutoffs": ("录取线", "cutoffs"),
}


# --- the modes ----------------------------------------------------------------------------------------


def _commit(args) -> int:
    _reject(
        args,
        "programs",
        "applicants",
        "priorities",
        "out",
        "live",
        "public",
        "commitment",
        "result",
        mode_zh="--commit ",
        mode_en="--commit",
    )
    if (args.seed is None) == (args.secret is None):
        raise BadInput(
            "--commit 需要 --seed 或 --secret（二选一）", "--commit needs one of --seed or --secret"
        )
    secret = args.seed if args.seed is not None else args.secret
    print(_engine(commitment, secret))
    return EXIT_OK


def _derive(args) -> int:
    _reject(
        args,
        "programs",
        "applicants",
        "priorities",
        "out",
        "seed",
        "result",
        mode_zh="--derive-seed ",
        mode_en="--derive-seed",
    )
    _require(args, "secret", "live", "public", mode_zh="--derive-seed ", mode_en="--derive-seed")
    if args.commitment is not None:
        _check_hex("--commitment", args.commitment)
    seed = _engine(derive_seed, args.secret, args.live, args.public)
    if args.commitment is not None and not verify_commitment(args.secret, args.commitment):
        print("不一致：秘密值与事先公布的承诺值不符 / MISMATCH: the secret does not match the commitment")
        return EXIT_FOUND
    print(seed)
    return EXIT_OK


def _allocate(args) -> int:
    mode_zh, mode_en = "分配", "allocation"
    _require(args, "programs", "applicants", "out", mode_zh=mode_zh, mode_en=mode_en)
    _reject(args, "result", "applicants-sha256", mode_zh=mode_zh, mode_en=mode_en)
    seed = _seed(args, mode_zh=mode_zh, mode_en=mode_en)
    admission_date = _admission_date(args)
    sources = [args.programs, args.applicants, args.priorities]
    targets = [
        (flag, path)
        for flag, path in (("out", args.out), ("cutoffs", args.cutoffs), ("choices", args.choices))
        if path is not None
    ]
    paths = [output_path(path, sources) for _, path in targets]
    if len({p.resolve() for p in paths}) != len(paths):
        raise BadInput("输出文件不能重名", "the output files must be different files")
    from tuoyu.engines.allocation.mechanism import allocate  # NumPy, needed by this mode only

    inputs = _Inputs(args)
    try:
        result = allocate(
            inputs.programs, inputs.applicants, inputs.priorities, seed=seed, admission_date=admission_date
        )
    except AllocationInputError as error:
        raise inputs.bad(error) from None
    writers = {"out": csvio.result_csv, "cutoffs": csvio.cutoffs_csv, "choices": csvio.choices_csv}
    files = [(path, writers[flag](result)) for (flag, _), path in zip(targets, paths, strict=True)]
    write_atomically(files)

    full = sum(1 for c in result.cutoffs if not c.has_seats_left)
    skipped = result.ineligible_count
    print(f"摇号种子 / seed: {seed}")
    for line in inputs.digests():
        print(line)
    print(
        f"录取 {result.placed_count}/{len(result.applicant_ids)} 名，{full}/{len(result.program_ids)} 个托班已满，"
        f"跳过不符合年龄范围的志愿 {skipped} 个 / placed {result.placed_count} of {len(result.applicant_ids)} "
        f"applicants; {full} of {len(result.program_ids)} programs full; {skipped} ineligible choices skipped"
    )
    for path, data in files:
        print(f"{path} sha256 {digest(data)}")
    return EXIT_OK


def _verify(args) -> int:
    mode_zh, mode_en = "复核", "verification"
    _require(args, "programs", "applicants", mode_zh=mode_zh, mode_en=mode_en)
    if args.result is not None and args.out is not None:
        raise BadInput(
            "复核时请只用 --result 给出已公布的结果",
            "--verify: give the published result once, with --result",
        )
    published_path = args.result or args.out
    if published_path is None:
        raise BadInput("复核需要已公布的结果 --result", "--verify needs the published result (--result)")
    _reject(args, "choices", mode_zh=mode_zh, mode_en=mode_en)
    if args.applicants_sha256 is not None:
        _check_hex("--applicants-sha256", args.applicants_sha256)
    if args.commitment is not None:
        _check_hex("--commitment", args.commitment)
    if args.seed is None and args.secret is None:
        raise BadInput("复核需要 --seed（或 --secret --live --public）", "--verify needs --seed")
    if args.secret is not None:
        _require(args, "live", "public", mode_zh=mode_zh, mode_en=mode_en)
    admission_date = _admission_date(args)
    inputs = _Inputs(args)
    published = inputs.parse_file(published_path, csvio.read_result, "result")
    published_cutoffs = None
    if args.cutoffs is not None:
        published_cutoffs = inputs.parse_file(args.cutoffs, csvio.read_cutoffs, "cutoffs")
    try:
        verification = verify(
            inputs.programs,
            inputs.applicants,
            inputs.priorities,
            published=published,
            seed=args.seed,
            secret=args.secret,
            live=args.live,
            public=args.public,
            published_commitment=args.commitment,
            published_cutoffs=published_cutoffs,
            admission_date=admission_date,
        )
    except AllocationInputError as error:
        raise inputs.bad(error) from None
    problems = [(d.zh, d.en) for d in verification.discrepancies]
    applicants_digest = digest(inputs.bytes["applicants"])
    if args.applicants_sha256 is not None and args.applicants_sha256.strip().lower() != applicants_digest:
        problems.insert(
            0,
            (
                f"申请名单的SHA-256为 {applicants_digest}，与公布的 {args.applicants_sha256} 不符",
                f"the applicant list hashes to {applicants_digest}, "
                f"not the published {args.applicants_sha256}",
            ),
        )
    print(f"摇号种子 / seed: {verification.seed}")
    for line in inputs.digests():
        print(line)
    if not problems:
        print(
            f"一致：{len(published)} 条结果全部可由公布的数据重新算出 / MATCH: all {len(published)} rows "
            "are reproduced from the published inputs and seed"
        )
        return EXIT_OK
    print(f"不一致：发现 {len(problems)} 处差异 / MISMATCH: {len(problems)} discrepancies")
    for zh, en in problems[:_SHOWN_DISCREPANCIES]:
        print(f"  {zh} / {en}")
    if len(problems) > _SHOWN_DISCREPANCIES:
        print(
            f"  …… 另有 {len(problems) - _SHOWN_DISCREPANCIES} 处 / "
            f"… and {len(problems) - _SHOWN_DISCREPANCIES} more"
        )
    return EXIT_FOUND
