from __future__ import annotations

import contextlib
import sys

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import setup


def add_server_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--threads", type=int, default=8, help="每个进程的工作线程数（默认 8）")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="服务进程数（默认 1；多核服务器可设为核数） / server processes",
    )


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


def serve(host: str, port: int, threads: int, processes: int = 1) -> int:
    """Serve the platform with waitress; static assets come from the platform itself.

    Python runs one thread at a time in a process, so a server with several cores serves more
    people with several processes: the socket is opened once and each forked process accepts on
    it. Only the first process runs the outbox worker."""
    import os
    import signal
    import socket

    import waitress
    from django.db import connections

    from tuoyu.site.wsgi import application

    try:
        listener = socket.create_server((host, port))
    except OSError as error:
        print(
            f"错误：无法在 {host}:{port} 启动服务（{error.strerror}）。 / error: cannot listen on {host}:{port}.",
            file=sys.stderr,
        )
        return 2
    children = []
    if processes > 1:
        connections.close_all()  # each process opens its own database connections
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                waitress.serve(application, sockets=[listener], threads=threads, ident="tuoyu")
                os._exit(0)
            children.append(pid)

        def stop(signum, frame) -> None:
            for pid in children:
                os.kill(pid, signal.SIGTERM)
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
    _start_worker()
    print(f"托育服务管理平台已启动： http://{host}:{port}/   （Ctrl+C 停止）", flush=True)
    try:
        waitress.serve(application, sockets=[listener], threads=threads, ident="tuoyu")
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
    return 0


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(prog=prog, description="启动网页服务 / serve the web application")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    setup()
    return serve(args.host, args.port, args.threads, args.processes)
