"""Parquet access tables, for analysts whose data is already columnar: same columns, same checks.

A Parquet file has no lines, so messages name the row (1 is the first row of data). Ids may be text
or integers; numbers any numeric type, or text that Python's ``float`` reads. Values that pass the
columnar checks are used as they are; otherwise the rows go through ``_csvtext``'s checks, which
name the first bad row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tuoyu.engines.access import _arrow, _columnar, _csvtext
from tuoyu.engines.access._table import Table, TableError
from tuoyu.engines.access.search import CostTable

_UNIT = "row"


def _read(path: Path, required: list[str]) -> pa.Table:
    name = path.name
    try:
        parquet = pq.ParquetFile(path)
        missing = [c for c in required if c not in parquet.schema_arrow.names]
        if missing:
            raise TableError(
                f"{name} 缺少列 {', '.join(missing)}", f"{name}: missing column {', '.join(missing)}"
            )
        return parquet.read(columns=required)
    except FileNotFoundError:
        raise TableError(f"找不到文件 {path}", f"file not found: {path}") from None
    except (OSError, pa.ArrowException) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise TableError(
            f"无法读取 Parquet 文件 {path}（{reason}）", f"cannot read {path} as Parquet: {reason}"
        ) from None


def _text(name: str, table: pa.Table, column: str) -> pa.Array:
    values = table.column(column).combine_chunks()
    if pa.types.is_integer(values.type):
        values = _arrow.cast(values, pa.string())
    if pa.types.is_large_string(values.type):
        values = _arrow.cast(values, pa.string())
    if not pa.types.is_string(values.type):
        raise TableError(
            f"{name} 的 {column} 列应为文本或整数（实际为 {values.type}）",
            f"{name}: column {column} must be text or integers, not {values.type}",
        )
    return _arrow.trim(values, _columnar.PY_WHITESPACE)


def _numbers(name: str, table: pa.Table, column: str, lines: np.ndarray, *, non_negative: bool) -> np.ndarray:
    values = table.column(column).combine_chunks()
    kind = values.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        if not values.null_count:
            floats = _arrow.numbers(_arrow.cast(values, pa.float64()))
            if np.isfinite(floats).all() and not (non_negative and (floats < 0).any()):
                return floats
    elif not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise TableError(
            f"{name} 的 {column} 列应为数值（实际为 {kind}）",
            f"{name}: column {column} must be numeric, not {kind}",
        )
    # Text, a null or a failed check: the reference checks find the row and word the message.
    text = ["" if v is None else str(v) for v in values.to_pylist()]
    return _csvtext.parse_numbers(name, column, text, lines, non_negative=non_negative, unit=_UNIT)


def read_points(path: Path, amount: str, *, coordinates: bool) -> Table:
    required = ["id", "x", "y", amount] if coordinates else ["id", amount]
    table = _read(path, required)
    name = path.name
    lines = np.arange(1, table.num_rows + 1)
    ids = _text(name, table, "id")
    if not _columnar.usable_ids(ids):
        ids = _csvtext.parse_ids(name, [v or "" for v in ids.to_pylist()], lines, unit=_UNIT)
    columns = {
        column: _numbers(name, table, column, lines, non_negative=column == amount) for column in required[1:]
    }
    return Table(name, ids, columns, lines, unit=_UNIT)


def read_costs(path: Path, demand: Table, supply: Table) -> CostTable:
    table = _read(path, ["origin", "destination", "cost"])
    name = path.name
    lines = np.arange(1, table.num_rows + 1)
    cost = _numbers(name, table, "cost", lines, non_negative=True)
    origin_text, destination_text = _text(name, table, "origin"), _text(name, table, "destination")
    origin = _columnar.positions(origin_text, demand) if not origin_text.null_count else None
    destination = _columnar.positions(destination_text, supply) if not destination_text.null_count else None
    found = origin is not None and destination is not None
    if found and not _columnar.repeats_pairs(origin, destination, len(supply.ids)):
        return CostTable(origin, destination, cost)
    return _csvtext.cost_table(
        name,
        [v or "" for v in origin_text.to_pylist()],
        [v or "" for v in destination_text.to_pylist()],
        [str(v) for v in cost.tolist()],
        lines,
        demand,
        supply,
        unit=_UNIT,
    )


def access_parquet(ids, access: np.ndarray, covered: np.ndarray) -> pa.Buffer:
    """``id`` (text), ``access`` (float64, null where not covered), ``covered`` (bool) as Parquet bytes."""
    table = pa.table(
        {
            "id": ids if isinstance(ids, pa.Array) else _arrow.strings(ids),
            "access": _arrow.floats_where(access, covered),
            "covered": _arrow.bools(covered),
        }
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue()
