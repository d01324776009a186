"""The access tables through Python's csv module: the reference reader and the small-file writer.

It names the line of every problem, handles everything CSV allows (quoted fields spanning lines,
blank lines, padded headers), and starts in milliseconds. ``_columnar`` reads large files faster
and hands back any file it cannot vouch for, so the messages are always this module's.
"""

from __future__ import annotations

import csv
import os
from array import array
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

import numpy as np

from tuoyu.engines.access._table import Table, TableError, place
from tuoyu.engines.access.search import CostTable


def _rows(path: Path, required: Sequence[str]):
    name = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise TableError(f"找不到文件 {path}", f"file not found: {path}") from None
    except OSError as error:
        raise TableError(
            f"无法读取文件 {path}（{error.strerror}）", f"cannot read {path}: {error.strerror}"
        ) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise TableError(f"{name} 是空文件，缺少表头", f"{name} is empty, no header row")
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise TableError(
                    f"{name} 第 1 行（表头）缺少列 {', '.join(missing)}",
                    f"{name} line 1 (header): missing column {', '.join(missing)}",
                )
            positions = [header.index(c) for c in required]
            width = len(header)
            header_end = reader.line_num
            rows = list(reader)
            last_line = reader.line_num
        except UnicodeDecodeError:
            raise TableError(f"{name} 不是 UTF-8 编码", f"{name} is not UTF-8 encoded") from None
        except csv.Error as error:
            raise TableError(
                f"{name} 第 {reader.line_num} 行：CSV 格式错误", f"{name} line {reader.line_num}: {error}"
            ) from None
    # Usually one row per line; when a quoted field spans lines, count them the slow way.
    one_per_line = last_line == header_end + len(rows)
    lines = np.arange(header_end + 1, last_line + 1) if one_per_line else _line_numbers(path, header_end)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    blank = lengths == 0
    for k in np.flatnonzero(lengths == 1):
        blank[k] = not rows[k][0].strip()
    wrong = np.flatnonzero((lengths != width) & ~blank)
    if len(wrong):
        k = int(wrong[0])
        raise TableError(
            f"{name} 第 {lines[k]} 行：有 {lengths[k]} 个字段，表头有 {width} 个",
            f"{name} line {lines[k]}: {lengths[k]} fields, the header has {width}",
        )
    if blank.any():
        rows = [row for row, empty in zip(rows, blank.tolist(), strict=True) if not empty]
        lines = lines[~blank]
    return [list(map(itemgetter(position), rows)) for position in positions], lines


def _line_numbers(path: Path, header_end: int) -> np.ndarray:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        ends = array("q")
        for _ in reader:
            ends.append(reader.line_num)
    # A row's number is the line it starts on: one after the line where the previous row ended.
    ends_array = np.frombuffer(ends, dtype=np.int64) if ends else np.zeros(0, dtype=np.int64)
    return np.concatenate([[header_end], ends_array[:-1]]).astype(np.int64) + 1


def parse_numbers(
    name: str, column: str, text: list[str], lines: np.ndarray, *, non_negative: bool, unit: str = "line"
) -> np.ndarray:
    """``text`` as floats, as Python's ``float`` reads them; finite, and >= 0 if ``non_negative``."""
    try:
        values = np.fromiter(map(float, text), dtype=np.float64, count=len(text))
    except ValueError:
        # Slow path, only to name the line: Python's parser, value by value.
        values = np.empty(len(text))
        for k, value in enumerate(text):
            try:
                values[k] = float(value)
            except ValueError:
                zh, en = place(name, lines[k], unit)
                raise TableError(
                    f"{zh}：{column} 不是数字（{value.strip()!r}）",
                    f"{en}: {column} is not a number ({value.strip()!r})",
                ) from None
    finite = np.isfinite(values)
    if not finite.all():
        k = int(np.flatnonzero(~finite)[0])
        zh, en = place(name, lines[k], unit)
        raise TableError(
            f"{zh}：{column} 不是有限数值（{text[k].strip()}）",
            f"{en}: {column} is not a finite number ({text[k].strip()})",
        )
    if non_negative and (values < 0).any():
        k = int(np.flatnonzero(values < 0)[0])
        zh, en = place(name, lines[k], unit)
        raise TableError(
            f"{zh}：{column} 为负数（{text[k].strip()}）", f"{en}: {column} is negative ({text[k].strip()})"
        )
    return values


def parse_ids(name: str, text: list[str], lines: np.ndarray, unit: str = "line") -> list[str]:
    """Stripped ids, each non-empty and unique."""
    stripped = [value.strip() for value in text]
    seen: dict[str, int] = {}
    for k, value in enumerate(stripped):
        if not value:
            zh, en = place(name, lines[k], unit)
            raise TableError(f"{zh}：id 为空", f"{en}: id is empty")
        first = seen.setdefault(value, k)
        if first != k:
            zh, en = place(name, lines[k], unit)
            raise TableError(
                f"{zh}：id {value} 与第 {lines[first]} 行重复",
                f"{en}: id {value} repeats {unit} {lines[first]}",
            )
    return stripped


def read_points(path: Path, amount: str, *, coordinates: bool) -> Table:
    required = ["id", "x", "y", amount] if coordinates else ["id", amount]
    cells, lines = _rows(path, required)
    columns = {
        column: parse_numbers(path.name, column, text, lines, non_negative=column == amount)
        for column, text in zip(required[1:], cells[1:], strict=True)
    }
    return Table(path.name, parse_ids(path.name, cells[0], lines), columns, lines)


def read_costs(path: Path, demand: Table, supply: Table) -> CostTable:
    (origin_text, destination_text, cost_text), lines = _rows(path, ["origin", "destination", "cost"])
    return cost_table(path.name, origin_text, destination_text, cost_text, lines, demand, supply)


def cost_table(
    name: str,
    origin_text: list[str],
    destination_text: list[str],
    cost_text: list[str],
    lines: np.ndarray,
    demand: Table,
    supply: Table,
    unit: str = "line",
) -> CostTable:
    """Costs from their columns as text, with every check and message of the cost file."""
    cost = parse_numbers(name, "cost", cost_text, lines, non_negative=True, unit=unit)
    origin = _positions(name, "origin", origin_text, lines, demand, unit)
    destination = _positions(name, "destination", destination_text, lines, supply, unit)
    if len(cost):
        key = origin * max(len(supply.ids), 1) + destination
        order = np.argsort(key, kind="stable")
        repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
        if len(repeated):
            k = int(order[repeated[0] + 1])
            first = int(order[repeated[0]])
            pair = f"{origin_text[k].strip()} → {destination_text[k].strip()}"
            zh, en = place(name, lines[k], unit)
            raise TableError(
                f"{zh}：{pair} 与第 {lines[first]} 行重复", f"{en}: pair {pair} repeats {unit} {lines[first]}"
            )
    return CostTable(origin, destination, cost)


def _positions(
    name: str, column: str, text: list[str], lines: np.ndarray, table: Table, unit: str
) -> np.ndarray:
    position = {value: k for k, value in enumerate(table.id_list())}
    result = np.empty(len(text), dtype=np.int64)
    for k, value in enumerate(text):
        found = position.get(value.strip())
        if found is None:
            zh, en = place(name, lines[k], unit)
            raise TableError(
                f"{zh}：{column} {value.strip()!r} 不在 {table.name} 中",
                f"{en}: {column} {value.strip()!r} is not an id of {table.name}",
            )
        result[k] = found
    return result


def access_text(ids: Sequence[str], access: np.ndarray, covered: np.ndarray) -> str:
    """``id,access,covered`` as text: access empty where not covered, else its shortest repr."""
    joined = "".join(ids)
    if any(c in joined for c in ',"\n\r'):
        ids = [_csv_field(identifier) for identifier in ids]
    text = ["id,access,covered\n"]
    text += [
        f"{identifier},{value!r},1\n" if flag else f"{identifier},,0\n"
        for identifier, value, flag in zip(ids, access.tolist(), covered.tolist(), strict=True)
    ]
    return "".join(text)


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_file(path: Path, chunks) -> None:
    """Write byte chunks next to ``path`` and rename, so a failure never leaves half a file behind."""
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the result is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _temporary(path: Path) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
