"""tuoyu outbreak — outbreak alerts from morning and midday check rows, by a policy profile's thresholds.

    tuoyu outbreak --checks checks.csv [--profile SLUG] [--on YYYY-MM-DD] --out alerts.csv

The profile is ``national`` unless ``--profile`` names another; ``--on`` counts only rows dated up to
that day (without it, every window in the file is judged). Exit 0 when no alert is found, 1 when
alerts are written, 2 for bad input. Formats and rules: ``docs/outbreak.md``. No Django is loaded.
"""

from __future__ import annotations

from pathlib import Path

from tuoyu.commands._common import (
    EXIT_FOUND,
    EXIT_OK,
    ArgumentParser,
    BadInput,
    guarded,
    output_path,
    read_input,
    write_atomically,
)

# File written, summary printed: the process may end without unloading its modules (cli.py).
EXIT_AT_ONCE = True

DEFAULT_PROFILE = "national"


def _parser(prog: str) -> ArgumentParser:
    parser = ArgumentParser(
        prog=prog,
        description="按政策配置的聚集性疫情判定标准扫描晨午检记录，输出预警 / outbreak alerts from check rows",
    )
    parser.add_argument(
        "--checks",
        metavar="CSV",
        required=True,
        help="晨午检记录 / check rows: institution,class,child,date,symptoms,diagnosis",
    )
    parser.add_argument(
        "--profile",
        metavar="SLUG",
        default=DEFAULT_PROFILE,
        help=f"政策配置名称（tuoyu policy list；默认 {DEFAULT_PROFILE}） / the policy profile",
    )
    parser.add_argument(
        "--on", metavar="YYYY-MM-DD", help="只计入该日及以前的记录 / count only rows up to this day"
    )
    parser.add_argument(
        "--out",
        metavar="CSV",
        required=True,
        help="预警 / alerts: institution,class,rule,first_date,last_date,cases,report_by",
    )
    return parser


def run(argv: list[str], prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    return guarded(lambda: _scan(args))


def _large(path: Path):
    """A large file's checks read column by column, or None: the csv module reads it, naming lines."""
    from tuoyu.engines.outbreak._columnar import COLUMNAR_FROM_BYTES, read_checks_columnar

    try:
        if path.stat().st_size < COLUMNAR_FROM_BYTES:
            return None
    except OSError:
        return None
    return read_checks_columnar(path)


def _scan(args) -> int:
    from tuoyu.engines.outbreak import OutbreakInputError, scan
    from tuoyu.engines.outbreak.csvio import alerts_csv, read_checks
    from tuoyu.engines.policy import PolicyError, load_profile
    from tuoyu.engines.policy.dates import parse_date

    until = None
    if args.on is not None:
        try:
            until = parse_date(args.on)
        except ValueError:
            raise BadInput(
                f"--on 日期无效：{args.on!r}（应为 YYYY-MM-DD）",
                f"--on: invalid date {args.on!r} (expected YYYY-MM-DD)",
            ) from None
    try:
        profile = load_profile(args.profile)
    except PolicyError as error:
        raise BadInput(error.zh, error.en) from None
    target = output_path(args.out, [args.checks])
    checks = _large(Path(args.checks))
    try:
        if checks is None:
            checks, _ = read_checks(read_input(args.checks, "晨午检记录", "checks"))
    except OutbreakInputError as error:
        where_zh = f"第{error.line}行：" if error.line else ""
        where_en = f" line {error.line}" if error.line else ""
        raise BadInput(
            f"{args.checks} {where_zh}{error.zh}", f"{args.checks}{where_en}: {error.en}"
        ) from None
    try:
        alerts = scan(checks, profile, until=until)
    except OutbreakInputError as error:
        raise BadInput(error.zh, error.en) from None
    write_atomically([(target, alerts_csv(alerts))])

    cut = f"，只计入 {until.isoformat()} 及以前的记录" if until else ""
    cut_en = f", rows up to {until.isoformat()}" if until else ""
    print(
        f"读取 {len(checks)} 条晨午检记录，按 {profile.title}（{profile.name}）的判定标准{cut}，"
        f"发现 {len(alerts)} 条聚集性疫情预警，已写入 {target} / read {len(checks)} check rows; "
        f"{len(alerts)} alert(s) under profile {profile.name}{cut_en}, written to {target}"
    )
    return EXIT_FOUND if alerts else EXIT_OK
