"""What every sub-command shares: argument parsing, the bad-input convention, reading and writing files.

Bad input never shows a traceback: the command prints one line, Chinese then English, on stderr
and exits with 2, having written nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def located(error: Any, paths: dict[str, str], lines: dict[str, list[int]]) -> BadInput:
    """An engine's input error (``zh``, ``en``, and where known its ``table`` and ``line`` or data
    ``row``), told with the file it is in and the line people see in their editor."""
    path = paths.get(error.table or "")
    line = error.line
    if line is None and error.row is not None and error.table in lines:
        line = lines[error.table][error.row]
    if path is None:
        return BadInput(error.zh, error.en)
    if not line:
        return BadInput(f"{path}：{error.zh}", f"{path}: {error.en}")
    return BadInput(f"{path} 第{line}行：{error.zh}", f"{path} line {line}: {error.en}")


def report_bad_input(error: BadInput) -> int:
    print(f"错误：{error.zh} / error: {error.en}", file=sys.stderr)
    return EXIT_BAD_INPUT


def guarded(body: Callable[[], int]) -> int:
    """Run a command body, turning BadInput into the exit-2 convention."""
    try:
        return body()
    except BadInput as error:
        return report_bad_input(error)


# --- files: read, and written only when complete ------------------------------------------------


def read_input(path: str, what_zh: str, what_en: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise BadInput(
            f"无法读取{what_zh}文件 {path}（{error.strerror}）",
            f"cannot read the {what_en} file {path} ({error.strerror})",
        ) from None


def output_path(path: str, inputs: list[str | None]) -> Path:
    target = Path(path)
    if not target.parent.is_dir():
        raise BadInput(
            f"输出目录 {target.parent} 不存在", f"the output directory {target.parent} does not exist"
        )
    if target.is_dir():
        raise BadInput(f"输出路径 {path} 是一个目录", f"the output path {path} is a directory")
    for other in inputs:
        if other is not None and Path(other).exists() and target.exists() and target.samefile(other):
            raise BadInput(f"输出文件 {path} 不能覆盖输入文件", f"the output {path} would overwrite an input")
    return target


def _mkstemp(**kwargs) -> tuple[int, str]:
    import tempfile  # ~3 ms of imports, needed only once the result is ready

    return tempfile.mkstemp(**kwargs)


def write_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary sibling first and rename only when all are written."""
    umask = os.umask(0)
    os.umask(umask)
    written: list[tuple[str, Path]] = []
    try:
        for target, data in files:
            fd, temporary = _mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            written.append((temporary, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, 0o666 & ~umask)
        for temporary, target in written:
            os.replace(temporary, target)
    except OSError as error:
        for temporary, _ in written:
            Path(temporary).unlink(missing_ok=True)
        raise BadInput(
            f"无法写入输出文件（{error.strerror}）", f"cannot write the output ({error.strerror})"
        ) from None
