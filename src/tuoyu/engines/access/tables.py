"""CSV files of the ``tuoyu access`` command: demand cells, institutions, costs in; access out.

Formats (UTF-8, optional BOM, header row, any column order, extra columns ignored):
``id,x,y,population`` · ``id,x,y,capacity`` · ``origin,destination,cost`` → ``id,access,covered``.
Every problem is a ``TableError`` naming the file and the line, in Chinese and English.
"""

from __future__ import annotations

import csv
import os
import tempfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np

from tuoyu.engines.access.search import CostTable


class TableError(ValueError):
    """A CSV problem, with a Chinese and an English message that both name the file and the line."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True, eq=False)
class Table:
    """Rows of a CSV: ``ids`` (for tables with an id column), numeric ``columns``, source ``lines``."""

    name: str
    ids: list[str]
    columns: dict[str, np.ndarray]
    lines: np.ndarray


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


def _numbers(name: str, column: str, text: list[str], lines: np.ndarray, *, non_negative: bool) -> np.ndarray:
    try:
        values = np.fromiter(map(float, text), dtype=np.float64, count=len(text))
    except ValueError:
        # Slow path, only to name the line: Python's parser, value by value.
        values = np.empty(len(text))
        for k, value in enumerate(text):
            try:
                values[k] = float(value)
            except ValueError:
                raise TableError(
                    f"{name} 第 {lines[k]} 行：{column} 不是数字（{value.strip()!r}）",
                    f"{name} line {lines[k]}: {column} is not a number ({value.strip()!r})",
                ) from None
    finite = np.isfinite(values)
    if not finite.all():
        k = int(np.flatnonzero(~finite)[0])
        raise TableError(
            f"{name} 第 {lines[k]} 行：{column} 不是有限数值（{text[k].strip()}）",
            f"{name} line {lines[k]}: {column} is not a finite number ({text[k].strip()})",
        )
    if non_negative and (values < 0).any():
        k = int(np.flatnonzero(values < 0)[0])
        raise TableError(
            f"{name} 第 {lines[k]} 行：{column} 为负数（{text[k].strip()}）",
            f"{name} line {lines[k]}: {column} is negative ({text[k].strip()})",
        )
    return values


def _ids(name: str, text: list[str], lines: np.ndarray) -> list[str]:
    ids = [value.strip() for value in text]
    seen: dict[str, int] = {}
    for k, value in enumerate(ids):
        if not value:
            raise TableError(f"{name} 第 {lines[k]} 行：id 为空", f"{name} line {lines[k]}: id is empty")
        first = seen.setdefault(value, k)
        if first != k:
            raise TableError(
                f"{name} 第 {lines[k]} 行：id {value} 与第 {lines[first]} 行重复",
                f"{name} line {lines[k]}: id {value} repeats line {lines[first]}",
            )
    return ids


def read_points(path: str | os.PathLike, amount: str, *, coordinates: bool = True) -> Table:
    """Read ``id[,x,y],<amount>``: unique non-empty ids, finite numbers, ``amount`` >= 0."""
    path = Path(path)
    required = ["id", "x", "y", amount] if coordinates else ["id", amount]
    cells, lines = _rows(path, required)
    ids = _ids(path.name, cells[0], lines)
    columns = {
        column: _numbers(path.name, column, text, lines, non_negative=column == amount)
        for column, text in zip(required[1:], cells[1:], strict=True)
    }
    return Table(path.name, ids, columns, lines)


def read_costs(path: str | os.PathLike, demand: Table, supply: Table) -> CostTable:
    """Read ``origin,destination,cost`` with origins among ``demand``'s ids, destinations ``supply``'s."""
    path = Path(path)
    name = path.name
    (origin_text, destination_text, cost_text), lines = _rows(path, ["origin", "destination", "cost"])
    cost = _numbers(name, "cost", cost_text, lines, non_negative=True)
    origin = _positions(name, "origin", origin_text, lines, demand)
    destination = _positions(name, "destination", destination_text, lines, supply)
    if len(cost):
        key = origin * max(len(supply.ids), 1) + destination
        order = np.argsort(key, kind="stable")
        repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
        if len(repeated):
            k = int(order[repeated[0] + 1])
            first = int(order[repeated[0]])
            pair = f"{origin_text[k].strip()} → {destination_text[k].strip()}"
            raise TableError(
                f"{name} 第 {lines[k]} 行：{pair} 与第 {lines[first]} 行重复",
                f"{name} line {lines[k]}: pair {pair} repeats line {lines[first]}",
            )
    return CostTable(origin, destination, cost)


def _positions(name: str, column: str, text: list[str], lines: np.ndarray, table: Table) -> np.ndarray:
    position = {value: k for k, value in enumerate(table.ids)}
    result = np.empty(len(text), dtype=np.int64)
    for k, value in enumerate(text):
        found = position.get(value.strip())
        if found is None:
            raise TableError(
                f"{name} 第 {lines[k]} 行：{column} {value.strip()!r} 不在 {table.name} 中",
                f"{name} line {lines[k]}: {column} {value.strip()!r} is not an id of {table.name}",
            )
        result[k] = found
    return result


def write_access(
    path: str | os.PathLike, ids: Sequence[str], access: np.ndarray, covered: np.ndarray
) -> None:
    """Write ``id,access,covered``; access empty where not covered, else full precision (repr)."""
    path = Path(path)
    joined = "".join(ids)
    if any(c in joined for c in ',"\n\r'):
        ids = [_csv_field(identifier) for identifier in ids]
    text = ["id,access,covered\n"]
    text += [
        f"{identifier},{value!r},1\n" if flag else f"{identifier},,0\n"
        for identifier, value, flag in zip(ids, access.tolist(), covered.tolist(), strict=True)
    ]
    # Written next to the target and renamed, so a failure never leaves half a file behind.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write("".join(text))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the result is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value
