from __future__ import annotations

import time

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import setup


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(prog=prog, description="后台任务：推送待发送消息 / deliver the outbox (background worker)")
    parser.add_argument("--once", action="store_true", help="处理一次后退出")
    parser.add_argument("--interval", type=int, default=10, help="轮询间隔秒数（默认 10）")
    args = parser.parse_args(argv)
    setup()
    from tuoyu.messaging.services import deliver_pending

    while True:
        delivered = deliver_pending()
        if args.once:
            print(f"已推送 {delivered} 条消息。")
            return 0
        time.sleep(args.interval)
