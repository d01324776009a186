"""The columnar (pyarrow) readers and writer of the access tables agree with the csv-module reference.

The reference (``_csvtext``) decides what a file means and how a problem is worded; the columnar
path must give the same tables, the same output bytes and, for a bad file, the same message.
"""

import re

import numpy as np
import pytest

from tuoyu.engines.access import _columnar, _csvtext, tables
from tuoyu.engines.access._table import Table

GOOD_FILES = {
    "plain": "id,x,y,population\nc0,0,0,100\nc1,600,800,50\nc2,3000,0,30\n",
    "bom-crlf": "\ufeffid,x,y,population\r\nc0,0,0,100\r\nc1,600,800,50\r\n",
    "no-final-newline": "id,x,y,population\nc0,0,0,100\nc1,600,800,50",
    "trailing-blank-lines": "id,x,y,population\nc0,0,0,100\nc1,600,800,50\n\n\n",
    "trailing-blank-crlf-lines": "id,x,y,population\r\nc0,0,0,100\r\n\r\n\r\n",
    "any-order-extra-columns": "name,population,y,x,id\n甲,100,0,0,c0\n乙,50,800,600,c1\n",
    "padded-header-and-values": " id , x,y ,population\n c0 ,  1.5 ,+2,1e3\nc1\t,.5,5.,-0\n",
    "chinese-and-unicode-space-ids": "id,x,y,population\n\u3000东区1号\u3000,0,0,1\n西区,1,1,2\n",
    "unsorted-ids": "id,x,y,population\nb,0,0,1\na,1,1,2\nc,2,2,3\n",
    "long-digits": "id,x,y,population\nc0,0.1000000000000000055511151231257827,1e-320,123456789012345678901234567890\n",
}


def _write(tmp_path, text: str, name: str = "demand.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _same_table(a: Table, b: Table) -> None:
    assert a.id_list() == b.id_list()
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        assert np.array_equal(a.columns[column], b.columns[column])
        assert a.columns[column].dtype == b.columns[column].dtype == np.float64
    assert np.array_equal(a.lines, b.lines)


@pytest.fixture(params=["whole-file", "3-byte-pieces"])
def scan(request, monkeypatch):
    """The pre-scan reads the file in pieces; tiny pieces put every boundary case at a seam."""
    if request.param == "3-byte-pieces":
        monkeypatch.setattr(_columnar, "_SCAN_BYTES", 3)


@pytest.mark.parametrize("text", GOOD_FILES.values(), ids=GOOD_FILES.keys())
def test_the_columnar_reader_gives_the_reference_table(tmp_path, scan, text):
    path = _write(tmp_path, text)
    columnar = _columnar.read_points(path, "population", coordinates=True)
    assert columnar is not None, "the columnar reader should vouch for this file"
    _same_table(columnar, _csvtext.read_points(path, "population", coordinates=True))


HANDED_BACK = {
    "quoted-fields": 'id,x,y,population\n"c,0",0,0,100\n',
    "field-spanning-lines": 'id,x,y,population\n"c\n0",0,0,100\n',
    "blank-line-inside": "id,x,y,population\nc0,0,0,100\n\nc1,1,1,1\n",
    "blank-crlf-line-inside": "id,x,y,population\r\nc0,0,0,100\r\n\r\nc1,1,1,1\r\n",
    "lone-carriage-return-at-the-end": "id,x,y,population\nc0,0,0,100\r",
    "lone-carriage-return": "id,x,y,population\rc0,0,0,100\r",
    "repeated-header-name": "id,x,y,population,x\nc0,0,0,100,9\n",
    "numbers-only-python-reads": "id,x,y,population\nc0,1_000,0,１２\n",
}


@pytest.mark.parametrize("text", HANDED_BACK.values(), ids=HANDED_BACK.keys())
def test_files_the_columnar_reader_cannot_vouch_for_go_to_the_reference(tmp_path, monkeypatch, scan, text):
    path = _write(tmp_path, text)
    assert _columnar.read_points(path, "population", coordinates=True) is None
    monkeypatch.setattr(tables, "COLUMNAR_MIN_BYTES", 0)
    _same_table(
        tables.read_points(path, "population"), _csvtext.read_points(path, "population", coordinates=True)
    )


BAD_FILES = {
    "negative": (
        "id,x,y,population\nc0,0,0,100\nc1,5,5,-4\n",
        "demand.csv line 3: population is negative (-4)",
    ),
    "nan": (
        "id,x,y,population\nc0,0,0,100\nc1,5,5,NaN\n",
        "demand.csv line 3: population is not a finite number (NaN)",
    ),
    "infinite": ("id,x,y,population\nc0,0,0,100\nc1,5,1e999,1\n", "line 3: y is not a finite number (1e999)"),
    "not-a-number": (
        "id,x,y,population\nc0,0,0,100\nc1,5,abc,1\n",
        "demand.csv line 3: y is not a number ('abc')",
    ),
    "empty-value": ("id,x,y,population\nc0,0,0,100\nc1,5,,1\n", "demand.csv line 3: y is not a number ('')"),
    "empty-id": ("id,x,y,population\nc0,0,0,100\n  ,5,5,1\n", "demand.csv line 3: id is empty"),
    "duplicate-id": ("id,x,y,population\nc0,0,0,100\nc1,1,1,1\n c0,5,5,1\n", "line 4: id c0 repeats line 2"),
    "short-row": ("id,x,y,population\nc0,0,0,100\nc1,5,5\n", "demand.csv line 3: 3 fields, the header has 4"),
    "long-row": (
        "id,x,y,population\nc0,0,0,100\nc1,5,5,1,\n",
        "demand.csv line 3: 5 fields, the header has 4",
    ),
    "blank-line-then-bad": (
        "id,x,y,population\nc0,0,0,1\n\nc1,5,5,-1\n",
        "demand.csv line 4: population is negative",
    ),
    "missing-column": ("id,x,y,pop\nc0,0,0,100\n", "demand.csv line 1 (header): missing column population"),
    "header-only": ("id,x,y,population\n", None),
    "not-utf8-in-an-extra-column": (
        "id,x,y,population,note\nc0,0,0,1,\xff\n",
        "demand.csv is not UTF-8 encoded",
    ),
}


def _message(path, **kwargs):
    try:
        kwargs.get("reader", tables.read_points)(path, "population")
    except tables.TableError as error:
        return f"{error.zh} / {error.en}"
    return None


@pytest.mark.parametrize(("text", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_large_file_with_a_bad_row_gets_the_reference_message(tmp_path, monkeypatch, text, expected):
    path = tmp_path / "demand.csv"
    data = text.encode("utf-8") if "\xff" not in text else text.encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    path.write_bytes(data)
    reference = _message(path)
    monkeypatch.setattr(tables, "COLUMNAR_MIN_BYTES", 0)
    assert _message(path) == reference
    if expected is not None:
        assert expected in reference


def test_cost_tables_read_the_same_on_both_paths(tmp_path, monkeypatch):
    demand = _csvtext.read_points(_write(tmp_path, GOOD_FILES["plain"]), "population", coordinates=True)
    supply = _csvtext.read_points(
        _write(tmp_path, "id,capacity\ns0,30\ns1,20\n", "supply.csv"), "capacity", coordinates=False
    )
    costs = _write(
        tmp_path, "origin,destination,cost\nc0,s0,0\nc1,s0,1000\n c1 ,s1,1000\nc2,s1,2e3\n", "c.csv"
    )
    columnar = _columnar.read_costs(costs, demand, supply)
    reference = _csvtext.read_costs(costs, demand, supply)
    for field in ("origin", "destination", "cost"):
        assert np.array_equal(getattr(columnar, field), getattr(reference, field))
    monkeypatch.setattr(tables, "COLUMNAR_MIN_BYTES", 0)
    for bad, message in [
        ("origin,destination,cost\nc0,s9,5\n", "c.csv line 2: destination 's9' is not an id of supply.csv"),
        ("origin,destination,cost\nc0,s0,5\nc0,s0,6\n", "c.csv line 3: pair c0 → s0 repeats line 2"),
        ("origin,destination,cost\nc0,s0,-5\n", "c.csv line 2: cost is negative (-5)"),
    ]:
        costs.write_text(bad, encoding="utf-8")
        with pytest.raises(tables.TableError, match=re.escape(message)):
            tables.read_costs(costs, demand, supply)


def test_python_whitespace_is_exactly_what_str_strip_strips():
    assert set(_columnar.PY_WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


def _values(seed: int, count: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2**63, count, dtype=np.uint64).view(np.float64)
    log_uniform = 10.0 ** rng.uniform(-12, 20, count) * rng.choice([-1.0, 1.0], count)
    typical = rng.gamma(2.0, 0.01, count)
    integral = rng.integers(-(10**6), 10**6, count // 10).astype(float)
    edges = np.array([0.0, -0.0, 1e-4, np.nextafter(1e-4, 0), 1e9, np.nextafter(1e9, 0), 1e16, 5e-324, 0.1])
    values = np.concatenate([bits, log_uniform, typical, integral, edges])
    return values[np.isfinite(values)]


def test_access_values_are_written_as_repr_writes_them():
    values = _values(1, 100_000)
    present = np.ones(len(values), dtype=bool)
    assert _columnar.shortest_text(values, present).to_pylist() == list(map(repr, values.tolist()))


def test_the_columnar_writer_writes_the_reference_bytes():
    values = _values(2, 20_000)
    rng = np.random.default_rng(3)
    covered = rng.random(len(values)) < 0.9
    ids = [f"c{k}" for k in range(len(values))]
    ids[:6] = ["东区 1", "a,b", 'say "hi"', "line\nbreak", "cr\rx", "plain"]
    access = np.where(covered, values, np.nan)
    expected = _csvtext.access_text(ids, access, covered).encode("utf-8")
    assert b"".join(_columnar.access_csv(ids, access, covered)) == expected
    from tuoyu.engines.access import _arrow

    assert b"".join(_columnar.access_csv(_arrow.strings(ids), access, covered)) == expected


def test_no_rows_write_just_the_header():
    empty = np.zeros(0)
    assert b"".join(_columnar.access_csv([], empty, empty.astype(bool))) == b"id,access,covered\n"


@pytest.mark.parametrize("piece", range(1, 12))
def test_a_blank_line_inside_is_seen_wherever_the_scan_cuts_the_file(tmp_path, monkeypatch, piece):
    monkeypatch.setattr(_columnar, "_SCAN_BYTES", piece)
    inside = _write(tmp_path, "id,x,y,population\r\nc0,0,0,100\r\n\r\nc1,1,1,1\r\n")
    assert _columnar.read_points(inside, "population", coordinates=True) is None
    trailing = _write(tmp_path, "id,x,y,population\r\nc0,0,0,100\r\nc1,1,1,1\r\n\r\n\n", "trailing.csv")
    assert _columnar.read_points(trailing, "population", coordinates=True) is not None
