from __future__ import annotations

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import migrate, setup


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(prog=prog, description="升级数据库结构 / apply database migrations")
    parser.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
    args = parser.parse_args(argv)
    setup()
    migrate(verbosity=0 if args.quiet else 1)
    return 0
