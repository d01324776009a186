from __future__ import annotations

import sys

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import setup


def add_server_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")


def _start_worker() -> None:
    """Deliver the outbox from a daemon thread, so a single-machine install needs no second process."""
    import logging
    import threading
    import time

    from django.conf import settings
    from django.db import close_old_connections

    interval = settings.TUOYU_WORKER_INTERVAL
    if interval <= 0:
        return

    def loop() -> None:
        from tuoyu.commands.worker import background_round

        while True:
            try:
                close_old_connections()
                background_round()
            except Exception:
                logging.getLogger("tuoyu.worker").exception("outbox delivery round failed")
            time.sleep(interval)

    threading.Thread(target=loop, name="tuoyu-outbox", daemon=True).start()


def serve(host: str, port: int, threads: int) -> int:
    """Serve the platform with waitress; static assets come from the platform itself."""
    import waitress

    from tuoyu.site.wsgi import application

    _start_worker()
    print(f"托育服务管理平台已启动： http://{host}:{port}/   （Ctrl+C 停止）", flush=True)
    try:
        waitress.serve(application, host=host, port=port, threads=threads, ident="tuoyu")
    except OSError as error:
        print(
            f"错误：无法在 {host}:{port} 启动服务（{error.strerror}）。 / error: cannot listen on {host}:{port}.",
            file=sys.stderr,
        )
        return 2
    return 0


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(prog=prog, description="启动网页服务 / serve the web application")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    setup()
    return serve(args.host, args.port, args.threads)
