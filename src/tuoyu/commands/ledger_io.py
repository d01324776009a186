"""`tuoyu import institutions FILE` and `tuoyu export institutions FILE`: the ledger on the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from tuoyu.commands._common import EXIT_BAD_INPUT, ArgumentParser, BadInput, guarded
from tuoyu.commands._django import setup


def region_arg(code: str):
    """The region a --county option names, or BadInput."""
    from tuoyu.engines.identifiers import InvalidIdentifier, validate_division_code
    from tuoyu.kernel.regions.models import Region

    try:
        validate_division_code(code)
    except InvalidIdentifier as error:
        raise BadInput(str(error), f"invalid division code {code!r}") from None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise BadInput(f"区划 {code} 不存在", f"no region with code {code}")
    return region


def run_import(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="导入机构台账（.xlsx/.csv）：有任何错误则不写入 / import the institution ledger",
    )
    parser.add_argument("what", choices=["institutions"], help="导入内容")
    parser.add_argument("file", type=Path, help=".xlsx 或 .csv 文件")
    parser.add_argument("--county", required=True, help="导入到的辖区（区划代码，如 510590）")
    parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    args = parser.parse_args(argv)
    setup()
    return guarded(lambda: _import(args))


def _import(args) -> int:
    from django.core.exceptions import ValidationError

    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.regions.selectors import subdistricts_of
    from tuoyu.kernel.registry import importer

    if not args.file.is_file():
        raise BadInput(f"文件 {args.file} 不存在", f"no such file {args.file}")
    county = region_arg(args.county)
    result = importer.preview(
        name=args.file.name, content=args.file.read_bytes(), subdistricts=list(subdistricts_of(county))
    )
    for problem in result.problems:
        print(f"文件：{problem}", file=sys.stderr)
    for row in result.rows:
        for error in row.errors:
            print(f"第{row.line}行：{error}", file=sys.stderr)
        for warning in row.warnings:
            print(f"第{row.line}行（提示）：{warning}")
    if not result.clean:
        print(
            f"错误：共 {result.error_count} 处错误，未导入任何数据。 / error: {result.error_count} problems; nothing imported.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.dry_run:
        print(f"检查通过：{len(result.rows)} 行，可以导入（--dry-run 未写入）。")
        return 0
    try:
        created = importer.apply(actor=Actor.system("命令行导入"), result=result)
    except ValidationError as error:
        raise BadInput(
            "未导入任何数据：" + "；".join(error.messages), "nothing imported: a row was refused on writing"
        ) from None
    print(f"已导入 {len(created)} 家机构。")
    return 0


def run_export(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog, description="导出机构台账（.xlsx/.csv） / export the institution ledger"
    )
    parser.add_argument("what", choices=["institutions"], help="导出内容")
    parser.add_argument("file", type=Path, help="输出文件，扩展名 .xlsx 或 .csv")
    parser.add_argument("--county", help="只导出该区划（代码）内的机构")
    args = parser.parse_args(argv)
    setup()
    return guarded(lambda: _export(args))


def _export(args) -> int:
    from django.db.models import Count

    from tuoyu.kernel.regions.selectors import subdistricts_of
    from tuoyu.kernel.registry import ledger
    from tuoyu.kernel.registry.models import Institution
    from tuoyu.kernel.registry.selectors import ledger_records

    suffix = args.file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise BadInput("输出文件扩展名应为 .xlsx 或 .csv", "the output file must end in .xlsx or .csv")
    rows = (
        Institution.objects.select_related("subdistrict")
        .annotate(enrolled=Count("children"))
        .order_by("subdistrict__code", "name")
    )
    if args.county:
        rows = rows.filter(subdistrict__in=subdistricts_of(region_arg(args.county)))
    content = ledger.write_table(ledger.render_rows(ledger_records(rows)), suffix)
    temporary = args.file.with_name(args.file.name + ".part")
    temporary.write_bytes(content)
    temporary.replace(args.file)
    print(f"已导出 {rows.count()} 家机构到 {args.file}。")
    return 0
