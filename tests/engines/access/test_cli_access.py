"""`tuoyu access`: the CLI contract of issue 5 and its bad-input convention."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from tuoyu.cli import main
from tuoyu.engines.access import tables

DEMAND = "id,x,y,population\nc0,0,0,100\nc1,600,800,50\nc2,3000,0,30\n"
SUPPLY = "id,x,y,capacity\ns0,0,0,30\ns1,1200,1600,20\n"


def _files(tmp_path, demand=DEMAND, supply=SUPPLY, cost=None):
    (tmp_path / "demand.csv").write_text(demand, encoding="utf-8")
    (tmp_path / "supply.csv").write_text(supply, encoding="utf-8")
    args = ["access", "--demand", str(tmp_path / "demand.csv"), "--supply", str(tmp_path / "supply.csv")]
    if cost is not None:
        (tmp_path / "cost.csv").write_text(cost, encoding="utf-8")
        args += ["--cost", str(tmp_path / "cost.csv")]
    return [*args, "--out", str(tmp_path / "out.csv")]


def _rows(tmp_path):
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,access,covered"
    return [line.split(",") for line in lines[1:]]


def _assert_hand_computed_2sfca(tmp_path):
    rows = _rows(tmp_path)
    assert [(identifier, covered) for identifier, _, covered in rows] == [
        ("c0", "1"),
        ("c1", "1"),
        ("c2", "0"),
    ]
    assert [float(rows[0][1]), float(rows[1][1])] == pytest.approx([0.2, 0.6], rel=1e-15)
    assert rows[2][1] == ""


def test_2sfca_writes_access_and_coverage_and_prints_a_json_summary(tmp_path, capsys):
    code = main([*_files(tmp_path), "--method", "2sfca", "--threshold", "1200"])
    assert code == 0
    _assert_hand_computed_2sfca(tmp_path)
    summary = json.loads(capsys.readouterr().out)
    assert summary["covered_share"] == pytest.approx(150 / 180)
    assert summary["uncovered_cells"] == 1
    assert summary["pairs"] == 3


def test_e2sfca_steps_from_the_command_line(tmp_path):
    assert (
        main(
            [
                *_files(tmp_path),
                "--method",
                "e2sfca",
                "--threshold",
                "1200",
                "--steps",
                "400:1,800:0.68,1200:0.22",
            ]
        )
        == 0
    )
    rows = _rows(tmp_path)
    r0, r1 = 30 / 111, 20 / 11
    assert float(rows[0][1]) == pytest.approx(r0, rel=1e-15)
    assert float(rows[1][1]) == pytest.approx(0.22 * r0 + 0.22 * r1, rel=1e-15)


def test_g2sfca_and_3sfca_run(tmp_path):
    assert main([*_files(tmp_path), "--method", "g2sfca", "--threshold", "1200", "--sigma", "600"]) == 0
    g = math.exp(-(1000.0**2) / (2 * 600.0**2))
    assert float(_rows(tmp_path)[0][1]) == pytest.approx(30 / (100 + 50 * g), rel=1e-15)
    assert (
        main(
            [
                *_files(tmp_path),
                "--method",
                "3sfca",
                "--threshold",
                "1200",
                "--steps",
                "400:1,800:0.68,1200:0.22",
            ]
        )
        == 0
    )
    assert float(_rows(tmp_path)[0][1]) == pytest.approx(30 / 105.5, rel=1e-15)


def test_a_cost_table_replaces_coordinates(tmp_path):
    demand = "id,population\nc0,100\nc1,50\nc2,30\n"
    supply = "id,capacity\ns0,30\ns1,20\n"
    cost = "origin,destination,cost\nc0,s0,0\nc1,s0,1000\nc1,s1,1000\nc0,s1,2000\n"
    assert main([*_files(tmp_path, demand, supply, cost), "--threshold", "1200"]) == 0
    _assert_hand_computed_2sfca(tmp_path)


BAD_INPUTS = [
    pytest.param(
        "id,x,y,pop\nc0,0,0,100\n",
        SUPPLY,
        None,
        "demand.csv line 1 (header): missing column population",
        id="missing-column",
    ),
    pytest.param(
        DEMAND + "c3,5,5,-4\n", SUPPLY, None, "demand.csv line 5: population is negative", id="negative"
    ),
    pytest.param(
        DEMAND + "c1,5,5,4\n", SUPPLY, None, "demand.csv line 5: id c1 repeats line 3", id="duplicate-id"
    ),
    pytest.param(
        DEMAND + "c3,5,5,nan\n", SUPPLY, None, "demand.csv line 5: population is not a finite", id="nan"
    ),
    pytest.param(
        DEMAND + "c3,5,,4\n", SUPPLY, None, "demand.csv line 5: y is not a number", id="empty-value"
    ),
    pytest.param(
        DEMAND, SUPPLY + "s2,1,1\n", None, "supply.csv line 4: 3 fields, the header has 4", id="short-row"
    ),
    pytest.param(
        DEMAND, SUPPLY + "s0,1,1,1\n", None, "supply.csv line 4: id s0 repeats line 2", id="dup-supply"
    ),
    pytest.param(
        "id,population\nc0,1\n",
        "id,capacity\ns0,1\n",
        "origin,destination,cost\nc0,s9,5\n",
        "cost.csv line 2: destination 's9' is not an id of supply.csv",
        id="unknown-destination",
    ),
    pytest.param(
        "id,population\nc0,1\n",
        "id,capacity\ns0,1\n",
        "origin,destination,cost\nc0,s0,5\nc0,s0,6\n",
        "cost.csv line 3: pair c0 → s0 repeats line 2",
        id="duplicate-pair",
    ),
    pytest.param(
        "id,population\nc0,1\n",
        "id,capacity\ns0,1\n",
        "origin,destination,cost\nc0,s0,NaN\n",
        "cost.csv line 2: cost is not a finite number",
        id="nan-cost",
    ),
]


@pytest.fixture(params=["csv-module", "columnar"])
def reader(request, monkeypatch):
    """Both CSV paths: the csv module for small files, pyarrow for large ones (here forced)."""
    if request.param == "columnar":
        monkeypatch.setattr(tables, "COLUMNAR_MIN_BYTES", 0)
        monkeypatch.setattr(tables, "COLUMNAR_MIN_ROWS", 0)
    return request.param


@pytest.mark.parametrize(("demand", "supply", "cost", "message"), BAD_INPUTS)
def test_bad_input_exits_2_naming_the_line_and_writes_nothing(
    tmp_path, capsys, reader, demand, supply, cost, message
):
    code = main([*_files(tmp_path, demand, supply, cost), "--threshold", "1200"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.startswith("错误：") and err.count("\n") == 1
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["--threshold", "0"],
        ["--threshold", "1200", "--steps", "800:1,400:0.5"],
        ["--threshold", "1200", "--steps", "abc"],
        ["--threshold", "1200", "--method", "2sfca", "--sigma", "100"],
        ["--threshold", "1200", "--method", "g2sfca", "--sigma", "-1"],
        ["--threshold", "1200", "--method", "e2sfca", "--steps", "400:1", "--sigma", "100"],
    ],
)
def test_bad_parameters_exit_2(tmp_path, capsys, extra):
    assert main([*_files(tmp_path), *extra]) == 2
    assert capsys.readouterr().err.startswith("错误：")
    assert not (tmp_path / "out.csv").exists()


def test_unknown_method_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main([*_files(tmp_path), "--threshold", "1200", "--method", "5sfca"])
    assert exit_info.value.code == 2


def test_lonlat_input_is_projected_before_distances(tmp_path):
    # Two points 0.005° of latitude apart (~554 m) in GCJ-02; a 600 m threshold reaches, 500 m does not.
    demand = "id,x,y,population\nc0,105.44,28.875,10\n"
    supply = "id,x,y,capacity\ns0,105.44,28.870,5\n"
    args = [*_files(tmp_path, demand, supply), "--lonlat", "gcj02"]
    assert main([*args, "--threshold", "600"]) == 0
    assert _rows(tmp_path) == [["c0", "0.5", "1"]]
    assert main([*args, "--threshold", "500"]) == 0
    assert _rows(tmp_path) == [["c0", "", "0"]]


def _loaded_modules(args, setup=""):
    script = (
        f"import sys; {setup}from tuoyu.cli import main; code = main(sys.argv[1:]); "
        "print(' '.join(sorted(m for m in sys.modules if '.' not in m)), file=sys.stderr); raise SystemExit(code)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stderr
    return set(finished.stderr.split())


def test_the_command_loads_neither_django_nor_numba_nor_pyarrow_for_small_inputs(tmp_path):
    loaded = _loaded_modules([*_files(tmp_path), "--threshold", "1200"])
    assert not loaded & {"django", "numba", "scipy", "pyarrow", "pandas", "pyproj"}


def test_a_compiled_run_loads_numba_without_scipy(tmp_path):
    pytest.importorskip("numba", reason="numba (the compiled extra) is not installed")
    loaded = _loaded_modules([*_files(tmp_path), "--threshold", "1200", "--backend", "compiled"])
    assert "numba" in loaded
    assert "scipy" not in loaded  # numba imports it only for np.linalg, which the kernels do not use


def test_the_columnar_path_does_not_drag_in_pandas(tmp_path):
    # pyarrow imports pandas (~0.3 s) on its first conversion from Python or NumPy objects.
    setup = "import tuoyu.engines.access.tables as t; t.COLUMNAR_MIN_BYTES = t.COLUMNAR_MIN_ROWS = 0; "
    loaded = _loaded_modules([*_files(tmp_path), "--threshold", "1200"], setup)
    assert "pyarrow" in loaded
    assert "pandas" not in loaded


def test_the_columnar_path_writes_the_bytes_of_the_csv_module_path(tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    n, m = 3000, 40
    xy, population = rng.uniform(0, 8000, (n, 2)).tolist(), rng.gamma(2, 15, n).tolist()
    demand = "id,x,y,population\n" + "".join(
        f"c{k},{x!r},{y!r},{p!r}\n" for k, ((x, y), p) in enumerate(zip(xy, population, strict=True))
    )
    places = zip(rng.uniform(0, 8000, (m, 2)).tolist(), rng.integers(0, 90, m).tolist(), strict=True)
    supply = "id,x,y,capacity\n" + "".join(f"s{k},{x!r},{y!r},{c}\n" for k, ((x, y), c) in enumerate(places))
    args = [*_files(tmp_path, demand, supply), "--threshold", "900"]
    assert main(args) == 0
    expected = (tmp_path / "out.csv").read_bytes()
    assert b",,0\n" in expected and b",1\n" in expected
    monkeypatch.setattr(tables, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setattr(tables, "COLUMNAR_MIN_ROWS", 0)
    assert main(args) == 0
    assert (tmp_path / "out.csv").read_bytes() == expected


def test_asking_for_the_compiled_backend_without_numba_exits_2_naming_the_extra(
    tmp_path, capsys, monkeypatch
):
    from tuoyu.engines.access import fca

    monkeypatch.setattr(fca, "numba_available", lambda: False)
    assert main([*_files(tmp_path), "--threshold", "1200", "--backend", "compiled"]) == 2
    assert "tuoyu[compiled]" in capsys.readouterr().err


def test_the_compiled_backend_through_the_command_matches_the_numpy_one(tmp_path):
    pytest.importorskip("numba", reason="numba (the compiled extra) is not installed")
    args = [*_files(tmp_path), "--threshold", "1200", "--method", "e2sfca"]
    assert main([*args, "--backend", "numpy"]) == 0
    expected = _rows(tmp_path)
    assert main([*args, "--backend", "compiled"]) == 0
    got = _rows(tmp_path)
    assert [(i, c) for i, _, c in got] == [(i, c) for i, _, c in expected]
    assert [float(a or "nan") for _, a, _ in got] == pytest.approx(
        [float(a or "nan") for _, a, _ in expected], rel=1e-14, nan_ok=True
    )


def test_line_numbers_count_blank_lines_and_fields_that_span_lines(tmp_path, capsys):
    demand = 'id,x,y,population\nc0,0,0,100\n\n"c\n1",600,800,50\nc2,3000,0,-1\n'
    assert main([*_files(tmp_path, demand=demand), "--threshold", "1200"]) == 2
    assert "demand.csv line 6: population is negative" in capsys.readouterr().err
    demand = "id,x,y,population\nc0,0,0,100\n\nc1,600,800,50\nc2,3000,0,-1\n"
    assert main([*_files(tmp_path, demand=demand), "--threshold", "1200"]) == 2
    assert "demand.csv line 5: population is negative" in capsys.readouterr().err


def test_a_bom_extra_columns_and_any_column_order_are_accepted(tmp_path):
    demand = "\ufeffname,population,y,x,id\na,100,0,0,c0\nb,50,800,600,c1\nc,30,0,3000,c2\n"
    assert main([*_files(tmp_path, demand=demand), "--threshold", "1200"]) == 0
    _assert_hand_computed_2sfca(tmp_path)


def test_ids_with_commas_or_quotes_are_quoted_in_the_output(tmp_path):
    demand = 'id,x,y,population\n"block 1, east",0,0,100\n"say ""hi""",600,800,50\nc2,3000,0,30\n'
    assert main([*_files(tmp_path, demand=demand), "--threshold", "1200"]) == 0
    import csv

    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == ["block 1, east", 'say "hi"', "c2"]
