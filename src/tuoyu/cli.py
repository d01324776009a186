"""The one `tuoyu` command line.

Each sub-command lives in its own module under ``tuoyu.commands`` and is imported only when it is
invoked, so the engine commands (check, access, allocate …) start without loading Django.
A command module exposes ``run(argv: list[str], prog: str) -> int``.

Exit codes, for every command: 0 success, 1 the command ran and found a problem it reports
(for example a failing standards check), 2 bad input — with a one-line Chinese + English message
on stderr and no traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

from tuoyu import __version__

# name -> (module, one-line help). Keep alphabetical within each group.
COMMANDS: dict[str, tuple[str, str]] = {
    # the platform
    "demo": (
        "tuoyu.commands.demo",
        "迁移数据库、生成示例区县（如无）、打印演示账号并启动服务 / run the demo",
    ),
    "serve": ("tuoyu.commands.serve", "启动网页服务 / serve the web application"),
    "migrate": ("tuoyu.commands.migrate", "升级数据库结构 / apply database migrations"),
    "createadmin": ("tuoyu.commands.createadmin", "创建平台管理员账号 / create a platform administrator"),
    "worker": ("tuoyu.commands.worker", "后台任务：推送待发送消息 / run the background worker"),
    "import": ("tuoyu.commands.import_", "导入机构台账（.xlsx/.csv） / import the institution ledger"),
    "export": ("tuoyu.commands.export", "导出机构台账（.xlsx/.csv） / export the institution ledger"),
    "regions": (
        "tuoyu.commands.regions",
        "导入街道（镇）和社区（村）（.xlsx/.csv） / import subdistricts and communities",
    ),
    "population": (
        "tuoyu.commands.population",
        "导入常住人口和3岁以下婴幼儿数（.xlsx/.csv） / import population figures",
    ),
    "calendar": (
        "tuoyu.commands.calendar",
        "节假日与调休（备案时限按工作日计） / holidays and adjusted working days",
    ),
    # the engines: no database, no Django
    "check": (
        "tuoyu.commands.check",
        "按政策配置检查机构设置标准，引用条款 / check an institution's standards",
    ),
    "subsidy": ("tuoyu.commands.subsidy", "按政策配置计算补助与扣除 / subsidies and tax deductions"),
    "policy": ("tuoyu.commands.policy", "政策配置：列出、查看、比较、校验 / browse policy profiles"),
    "access": (
        "tuoyu.commands.access",
        "托育服务可及性（2SFCA 系列）与15分钟覆盖 / accessibility and coverage",
    ),
    "allocate": (
        "tuoyu.commands.allocate",
        "公开摇号与延迟接受分配托位，承诺值、种子与复核 / verifiable lottery allocation",
    ),
    "inspect": (
        "tuoyu.commands.inspection",
        "双随机一公开：抽取检查对象与检查组，可复核 / verifiable random inspection draw",
    ),
    "outbreak": (
        "tuoyu.commands.outbreak",
        "按聚集性疫情判定标准扫描晨午检记录，输出预警 / outbreak alerts from morning checks",
    ),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        f"tuoyu {__version__} — 托育服务体系管理平台",
        "",
        "用法 / usage: tuoyu <command> [options]    (tuoyu <command> --help for details)",
        "",
    ]
    lines += [f"  {name.ljust(width)}  {help_text}" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    whole_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    if argv[0] in {"-V", "--version"}:
        print(__version__)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(
            f"错误：未知命令 {name!r}。 / error: unknown command {name!r}; see `tuoyu --help`.",
            file=sys.stderr,
        )
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    code = int(module.run(rest, prog=f"tuoyu {name}") or 0)
    if whole_process and getattr(module, "EXIT_AT_ONCE", False):
        _exit_at_once(code)
    return code


def _exit_at_once(code: int) -> None:
    """End the process without tearing the interpreter down.

    After an engine command has written its files and printed its summary nothing is left to do,
    yet unloading numba, LLVM and pyarrow module by module takes ~0.1 s. Only for a whole process
    (``main()`` without arguments, as the ``tuoyu`` script calls it), never inside a caller's.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = 120  # what Python itself exits with when it cannot flush standard output
    os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
