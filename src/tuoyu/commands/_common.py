"""What every sub-command shares: argument parsing and the bad-input convention.

Bad input never shows a traceback: the command prints one line, Chinese then English, on stderr
and exits with 2, having written nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the command cannot use. Carries a Chinese and an English message."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors in the project's one-line bilingual form."""

    def error(self, message: str):  # type: ignore[override]
        print(
            f"错误：命令参数有误（{message}）。 / error: {message}. See `{self.prog} --help`.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_BAD_INPUT)


def report_bad_input(error: BadInput) -> int:
    print(f"错误：{error.zh} / error: {error.en}", file=sys.stderr)
    return EXIT_BAD_INPUT


def guarded(body: Callable[[], int]) -> int:
    """Run a command body, turning BadInput into the exit-2 convention."""
    try:
        return body()
    except BadInput as error:
        return report_bad_input(error)
