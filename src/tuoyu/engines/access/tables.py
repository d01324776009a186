"""Files of the ``tuoyu access`` command: demand cells, institutions, costs in; access out.

CSV (UTF-8, optional BOM, header row, any column order, extra columns ignored), or Parquet when the
name ends in ``.parquet``: ``id,x,y,population`` · ``id,x,y,capacity`` · ``origin,destination,cost``
→ ``id,access,covered``. Every problem is a ``TableError`` naming the file and the line (the row,
for Parquet), in Chinese and English.

Small CSV files go through the csv module (``_csvtext``), which starts at once; from
``COLUMNAR_MIN_BYTES`` on, pyarrow reads and writes them (``_columnar``), with the same result and,
for a bad file, the same message. pyarrow is imported only then.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tuoyu.engines.access import _csvtext
from tuoyu.engines.access._table import Table, TableError
from tuoyu.engines.access.search import CostTable

__all__ = ["COLUMNAR_MIN_BYTES", "Table", "TableError", "read_costs", "read_points", "write_access"]

# Importing pyarrow costs ~0.1 s; the csv module reads ~1 MB in about that time.
COLUMNAR_MIN_BYTES = 1 << 20
# The same break-even for writing, in rows (~40 bytes each).
COLUMNAR_MIN_ROWS = 25_000


def _parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def _large(path: Path) -> bool:
    try:
        return path.stat().st_size >= COLUMNAR_MIN_BYTES
    except OSError:
        return False  # the reference reader says what is wrong with it


def read_points(path: str | os.PathLike, amount: str, *, coordinates: bool = True) -> Table:
    """Read ``id[,x,y],<amount>``: unique non-empty ids, finite numbers, ``amount`` >= 0."""
    path = Path(path)
    if _parquet(path):
        from tuoyu.engines.access import _parquet as parquet

        return parquet.read_points(path, amount, coordinates=coordinates)
    if _large(path):
        from tuoyu.engines.access import _columnar

        table = _columnar.read_points(path, amount, coordinates=coordinates)
        if table is not None:
            return table
    return _csvtext.read_points(path, amount, coordinates=coordinates)


def read_costs(path: str | os.PathLike, demand: Table, supply: Table) -> CostTable:
    """Read ``origin,destination,cost`` with origins among ``demand``'s ids, destinations ``supply``'s."""
    path = Path(path)
    if _parquet(path):
        from tuoyu.engines.access import _parquet as parquet

        return parquet.read_costs(path, demand, supply)
    if _large(path):
        from tuoyu.engines.access import _columnar

        costs = _columnar.read_costs(path, demand, supply)
        if costs is not None:
            return costs
    return _csvtext.read_costs(path, demand, supply)


def write_access(
    path: str | os.PathLike, ids: Sequence[str], access: np.ndarray, covered: np.ndarray
) -> None:
    """Write ``id,access,covered``: access empty where not covered, else its shortest repr.

    To a ``.parquet`` name: ``id`` text, ``access`` float64 (null where not covered), ``covered`` bool.
    The file appears whole or not at all.
    """
    path = Path(path)
    if _parquet(path):
        from tuoyu.engines.access import _parquet as parquet

        _csvtext.write_file(path, [parquet.access_parquet(ids, access, covered)])
    elif isinstance(ids, list) and len(ids) < COLUMNAR_MIN_ROWS:
        _csvtext.write_file(path, [_csvtext.access_text(ids, access, covered).encode("utf-8")])
    else:
        from tuoyu.engines.access import _columnar

        _csvtext.write_file(path, _columnar.access_csv(ids, access, covered))
