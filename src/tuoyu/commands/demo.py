from __future__ import annotations

import json
import os

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import migrate, setup
from tuoyu.commands.serve import add_server_arguments, serve


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="演示：升级数据库、生成示例区县（如尚无）、打印演示账号并启动服务 / run the demo",
    )
    add_server_arguments(parser)
    parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成示例数据")
    parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
    args = parser.parse_args(argv)
    # The demo is reached over plain HTTP on this machine; production runs behind HTTPS.
    os.environ.setdefault("TUOYU_PLAIN_HTTP", "1")
    os.environ.setdefault("TUOYU_PUBLIC_URL", f"http://{args.host}:{args.port}")
    from tuoyu.devtools.demo_logins import DEMO_ACCOUNTS, DEMO_PASSWORD

    # The sign-in page lists the demo's accounts only because this command says so.
    os.environ["TUOYU_DEMO_LOGINS"] = json.dumps(
        {"password": DEMO_PASSWORD, "accounts": [[a.username, a.description] for a in DEMO_ACCOUNTS]},
        ensure_ascii=False,
    )
    setup()

    from django.core.management import call_command

    from tuoyu.devtools.demo_county import build_demo_county, demo_county_exists

    migrate(verbosity=0)
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)
    if demo_county_exists():
        print("示例区县已存在（使用 --reset 重新生成）。")
    else:
        summary = build_demo_county()
        print(
            f"已生成示例区县（示例数据）：{summary.institutions} 家机构、{summary.classes} 个班级、"
            f"{summary.children} 名婴幼儿、{summary.staff} 名工作人员。"
        )
    print(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<10} {account.description}")
    print()
    if args.no_serve:
        return 0
    return serve(args.host, args.port, args.threads, args.processes)
