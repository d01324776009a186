"""`tuoyu regions import FILE` and `tuoyu population import FILE`: what a county knows of itself.

Both check the whole file first and write nothing when any row is wrong (exit 2, every problem on
stderr with its line); importing the same file again changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tuoyu.commands._common import EXIT_BAD_INPUT, ArgumentParser, BadInput, guarded, read_input
from tuoyu.commands._django import setup


def _parser(prog: str, description: str, file_help: str) -> ArgumentParser:
    parser = ArgumentParser(prog=prog, description=description)
    sub = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
    command = sub.add_parser("import", help="导入（有任何错误则不写入）")
    command.add_argument("file", type=Path, help=file_help)
    command.add_argument("--county", help="只允许导入该区划（代码，如 510590）之内的数据")
    command.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    return parser


def run_regions(argv: list[str], prog: str) -> int:
    args = _parser(
        prog,
        "导入街道（镇）和社区（村）：有任何错误则不写入 / import subdistricts and communities",
        ".xlsx 或 .csv 文件，列：code,name,parent_code[,area_type]",
    ).parse_args(argv)
    setup()
    return guarded(lambda: _import(args, regions=True))


def run_population(argv: list[str], prog: str) -> int:
    args = _parser(
        prog,
        "导入各区划的常住人口和3岁以下婴幼儿数：有任何错误则不写入 / import population figures",
        ".xlsx 或 .csv 文件，列：code,year,population,under3",
    ).parse_args(argv)
    setup()
    return guarded(lambda: _import(args, regions=False))


def _import(args, *, regions: bool) -> int:
    from tuoyu.commands.ledger_io import region_arg
    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.registry import region_import as service

    what, unit = ("区划", "个") if regions else ("人口数据", "条")
    content = read_input(str(args.file), what, "input")
    within = region_arg(args.county) if args.county else None
    actor = Actor.system("命令行导入")
    preview = service.regions_preview if regions else service.population_preview
    apply = service.regions_apply if regions else service.population_apply
    result = preview(actor=actor, name=args.file.name, content=content, within=within)
    if not result.clean:
        for message in result.messages():
            print(message, file=sys.stderr)
        print(
            f"错误：共 {result.error_count} 处错误，未导入任何数据。"
            f" / error: {result.error_count} problems; nothing imported.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.dry_run:
        print(f"检查通过：{len(result.rows)} 行，将{result.summary.text(unit)}（--dry-run 未写入）。")
        return 0
    try:
        summary = apply(actor=actor, result=result)
    except service.ImportRefused as error:
        raise BadInput(str(error), "nothing imported: the platform changed while checking") from None
    print(f"{what}导入完成：{summary.text(unit)}。")
    return 0
