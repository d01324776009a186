"""Large access tables at columnar speed (pyarrow): CSV read and written without a Python object per row.

The reader takes a file only when pyarrow must parse it exactly as the csv module does: no quote
character, no NUL, no carriage return outside CRLF, blank lines only at the end, a header without
repeated names; and only when every check passes. Otherwise it returns None and ``_csvtext`` reads
the file, so the data and every message, with its line number, are the reference reader's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from tuoyu.engines.access import _arrow
from tuoyu.engines.access._arrow import call
from tuoyu.engines.access._table import Table
from tuoyu.engines.access.search import CostTable

# What str.strip() strips (the characters for which str.isspace() is true); tests pin the list.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Rows formatted at once when writing: bounds the temporary strings (~50 MB) and string offsets.
_WRITE_ROWS = 1 << 20
_BOM = b"\xef\xbb\xbf"
_SCAN_BYTES = 1 << 20
_TAIL_BYTES = 1 << 16
_NEEDS_QUOTES = np.isin(np.arange(256), list(b',"\r\n'))


def read_csv(path: Path, text: list[str], numeric: list[str]) -> dict[str, pa.Array | np.ndarray] | None:
    """The ``text`` columns (stripped) and ``numeric`` ones (float64) of a CSV file, or None."""
    scanned = _scan(path)
    if scanned is None:
        return None
    names, rows = scanned
    if len(set(names)) != len(names) or not set(text + numeric) <= set(names):
        return None
    types = {name: pa.float64() if name in numeric else pa.string() for name in names}
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(quote_char=False),
            # Every column is converted, extra ones as text, so that all of them are checked for UTF-8.
            convert_options=pa_csv.ConvertOptions(
                column_types=types,
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (OSError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a row of the wrong width, a value that is not a number, …
    if table.num_rows != rows:
        return None  # pyarrow skipped a blank line inside: the line numbers would be off
    columns: dict[str, pa.Array | np.ndarray] = {}
    for name in text:
        columns[name] = _arrow.trim(table.column(name).combine_chunks(), PY_WHITESPACE)
    for name in numeric:
        columns[name] = _arrow.numbers(table.column(name))
    return columns


def _scan(path: Path) -> tuple[list[str], int] | None:
    """The stripped header names and the number of data rows, if pyarrow parses the file as the
    csv module does: no quote, no NUL, a CR only before LF. Otherwise None.

    The file goes through one reused buffer: reading it whole into a bytes object costs a page
    fault per 4 KiB, more than the scan. Rows are lines less the header and trailing blank lines.
    """
    buffer = bytearray(_SCAN_BYTES)
    head, header, line_feeds, after_cr = bytearray(), None, 0, False
    try:
        with path.open("rb", buffering=0) as handle:
            while size := handle.readinto(buffer):
                data = buffer if size == len(buffer) else bytes(buffer[:size])
                if b'"' in data or b"\0" in data or (after_cr and not data.startswith(b"\n")):
                    return None
                if b"\r" in data and _lone_carriage_return(data):
                    return None
                line_feeds += data.count(b"\n")
                after_cr = data.endswith(b"\r")
                if header is None:
                    end = data.find(b"\n")
                    head += data if end < 0 else data[:end]
                    header = bytes(head) if end >= 0 else None
            last = _ending(handle)
    except OSError:
        return None
    if header is None or after_cr or last is None:
        return None
    try:
        line = header.removeprefix(_BOM).rstrip(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Lines end at LF; after the last line with data, any further LF only ends a blank line.
    rows = line_feeds - max(last - 1, 0) - 1 + (last == 0)
    return [name.strip() for name in line.split(",")], rows


def _lone_carriage_return(data) -> bool:
    """A CR not followed by LF within ``data`` (one at the very end is checked with the next piece)."""
    at = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[:-1] == ord("\r"))
    return bool(len(at)) and bool((np.frombuffer(data, dtype=np.uint8)[at + 1] != ord("\n")).any())


def _ending(handle) -> int | None:
    """How many LF end the file after its last byte of data (None if that is too far back to care)."""
    size = handle.seek(0, 2)
    handle.seek(max(size - _TAIL_BYTES, 0))
    tail = handle.read()
    kept = tail.rstrip(b"\r\n")
    if not kept and size > len(tail):
        return None
    return tail.count(b"\n", len(kept))


def read_points(path: Path, amount: str, *, coordinates: bool) -> Table | None:
    numeric = ["x", "y", amount] if coordinates else [amount]
    columns = read_csv(path, ["id"], numeric)
    if columns is None:
        return None
    ids = columns.pop("id")
    if not (usable_ids(ids) and numbers_pass(columns, amount)):
        return None
    return Table(path.name, ids, columns, np.arange(2, len(ids) + 2))


def read_costs(path: Path, demand: Table, supply: Table) -> CostTable | None:
    columns = read_csv(path, ["origin", "destination"], ["cost"])
    if columns is None or not numbers_pass(columns, "cost"):
        return None
    origin = positions(columns["origin"], demand)
    destination = positions(columns["destination"], supply)
    if origin is None or destination is None or repeats_pairs(origin, destination, len(supply.ids)):
        return None
    return CostTable(origin, destination, columns["cost"])


def usable_ids(ids: pa.Array) -> bool:
    """No null, none empty, no two equal."""
    if ids.null_count or (len(ids) and call("min", call("binary_length", ids)).as_py() == 0):
        return False
    # Generated ids usually come sorted: then a comparison of neighbours proves them distinct.
    if len(ids) < 2 or call("all", call("less", ids[:-1], ids[1:])).as_py():
        return True
    return len(call("unique", ids)) == len(ids)


def numbers_pass(columns: dict, amount: str) -> bool:
    return all(
        np.isfinite(values).all() and (name != amount or not (values < 0).any())
        for name, values in columns.items()
        if isinstance(values, np.ndarray)
    )


def positions(values: pa.Array, table: Table) -> np.ndarray | None:
    """Where each of ``values`` is among ``table``'s ids, or None if one is not there."""
    ids = table.ids if isinstance(table.ids, pa.Array) else _arrow.strings(table.ids)
    found = _arrow.index_in(values, ids)
    if found.null_count:
        return None
    return _arrow.numbers(found, np.int32).astype(np.int64)


def repeats_pairs(origin: np.ndarray, destination: np.ndarray, m: int) -> bool:
    key = np.sort(origin * max(m, 1) + destination)
    return bool((key[1:] == key[:-1]).any())


def access_csv(ids, access: np.ndarray, covered: np.ndarray):
    """``id,access,covered`` as byte chunks, the same bytes as ``_csvtext.access_text`` gives."""
    yield b"id,access,covered\n"
    ids = ids if isinstance(ids, pa.Array) else _arrow.strings(ids)
    for start in range(0, len(ids), _WRITE_ROWS):
        stop = min(start + _WRITE_ROWS, len(ids))
        flags = np.full(2 * (stop - start), ord("\n"), dtype=np.uint8)
        flags[::2] = np.where(covered[start:stop], ord("1"), ord("0"))
        lines = call(
            "binary_join_element_wise",
            csv_fields(ids[start:stop]),
            shortest_text(access[start:stop], covered[start:stop]),
            _arrow.from_lengths(np.full(stop - start, 2), flags.tobytes()),
            _arrow.repeated(",", stop - start),
        )
        yield _joined(lines)


def shortest_text(values: np.ndarray, present: np.ndarray) -> pa.Array:
    """Each value as ``repr`` writes it (the shortest text that reads back the same), "" if absent."""
    text = _arrow.cast(_arrow.floats(values), pa.string())
    # pyarrow's shortest digits are repr's, and so is its layout for non-integers from 1e-6 to 1e10;
    # elsewhere repr writes "2.0" (not "2") and, below 1e-4 and from 1e16, an exponent like "1e-05".
    magnitude = np.abs(values)
    other = ((magnitude < 1e-4) | (magnitude >= 1e9) | (values == np.trunc(values))) & present
    if other.any():
        written = _arrow.strings(list(map(repr, values[other].tolist())))
        text = call("replace_with_mask", text, _arrow.bools(other), written)
    if not present.all():
        text = call(
            "replace_with_mask", text, _arrow.bools(~present), _arrow.repeated("", int((~present).sum()))
        )
    return text


def csv_fields(values: pa.Array) -> pa.Array:
    """Quoted where CSV needs it (a comma, quote or line break), as the csv module quotes."""
    # One look at the bytes (the array's or more, never less) spares the rest in the usual case.
    data = values.buffers()[2]
    if data is None or not _NEEDS_QUOTES[np.frombuffer(data, dtype=np.uint8)].any():
        return values
    return _arrow.strings([_quoted(value) for value in values.to_pylist()])


def _quoted(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _joined(lines: pa.Array) -> memoryview:
    # The strings of an array lie end to end in its data buffer: that is the text of all the lines.
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    return memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]]
