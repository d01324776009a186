"""Parquet in and out of `tuoyu access`: the same results as CSV, problems named by row."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tuoyu.cli import main

DEMAND = {
    "id": ["c0", "c1", "c2"],
    "x": [0.0, 600.0, 3000.0],
    "y": [0.0, 800.0, 0.0],
    "population": [100, 50, 30],
}
SUPPLY = {"id": ["s0", "s1"], "x": [0.0, 1200.0], "y": [0.0, 1600.0], "capacity": [30.0, 20.0]}


def _csv(path, columns):
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    path.write_text(
        ",".join(names) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def _parquet(path, columns):
    pq.write_table(pa.table(columns), path)
    return path


def _run(tmp_path, demand, supply, out):
    return main(
        ["access", "--demand", str(demand), "--supply", str(supply), "--threshold", "1200", "--out", str(out)]
    )


def test_parquet_inputs_give_the_same_csv_bytes_as_csv_inputs(tmp_path):
    assert (
        _run(tmp_path, _csv(tmp_path / "d.csv", DEMAND), _csv(tmp_path / "s.csv", SUPPLY), tmp_path / "a.csv")
        == 0
    )
    demand, supply = _parquet(tmp_path / "d.parquet", DEMAND), _parquet(tmp_path / "s.parquet", SUPPLY)
    assert _run(tmp_path, demand, supply, tmp_path / "b.csv") == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_parquet_output_round_trips_the_csv_result(tmp_path):
    demand, supply = _csv(tmp_path / "d.csv", DEMAND), _csv(tmp_path / "s.csv", SUPPLY)
    assert _run(tmp_path, demand, supply, tmp_path / "out.csv") == 0
    assert _run(tmp_path, demand, supply, tmp_path / "out.parquet") == 0
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == ["id", "access", "covered"]
    assert table.schema.field("covered").type == pa.bool_()
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1:]
    written = [
        (i, "" if a is None else repr(a), "1" if c else "0")
        for i, a, c in zip(*table.to_pydict().values(), strict=True)
    ]
    assert written == [tuple(line.split(",")) for line in lines]
    assert table.column("access").null_count == 1  # c2 is out of reach: null, not NaN or 0


def test_integer_ids_are_read_as_their_decimal_text(tmp_path):
    demand = _parquet(tmp_path / "d.parquet", {**DEMAND, "id": pa.array([7, 8, 9], pa.int64())})
    assert _run(tmp_path, demand, _csv(tmp_path / "s.csv", SUPPLY), tmp_path / "out.csv") == 0
    assert [line.split(",")[0] for line in (tmp_path / "out.csv").read_text().splitlines()[1:]] == [
        "7",
        "8",
        "9",
    ]


BAD = [
    pytest.param(
        {**DEMAND, "population": [100, 50, -4]},
        "demand.parquet row 3: population is negative (-4)",
        id="negative",
    ),
    pytest.param(
        {**DEMAND, "x": [0.0, float("nan"), 1.0]},
        "demand.parquet row 2: x is not a finite number (nan)",
        id="nan",
    ),
    pytest.param(
        {**DEMAND, "y": [0.0, None, 1.0]}, "demand.parquet row 2: y is not a number ('')", id="null-number"
    ),
    pytest.param({**DEMAND, "id": ["c0", None, "c2"]}, "demand.parquet row 2: id is empty", id="null-id"),
    pytest.param(
        {**DEMAND, "id": ["c0", "c1", " c0"]}, "demand.parquet row 3: id c0 repeats row 1", id="duplicate-id"
    ),
    pytest.param(
        {**DEMAND, "population": ["100", "5o", "3"]},
        "demand.parquet row 2: population is not a number ('5o')",
        id="text-number",
    ),
    pytest.param(
        {k: v for k, v in DEMAND.items() if k != "y"}, "demand.parquet: missing column y", id="missing-column"
    ),
    pytest.param(
        {**DEMAND, "id": [1.5, 2.5, 3.5]},
        "demand.parquet: column id must be text or integers",
        id="float-ids",
    ),
]


@pytest.mark.parametrize(("columns", "message"), BAD)
def test_bad_parquet_rows_exit_2_naming_the_row(tmp_path, capsys, columns, message):
    demand = _parquet(tmp_path / "demand.parquet", columns)
    assert _run(tmp_path, demand, _csv(tmp_path / "s.csv", SUPPLY), tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("错误：") and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_a_file_that_is_not_parquet_is_bad_input(tmp_path, capsys):
    (tmp_path / "demand.parquet").write_text("id,x,y,population\n", encoding="utf-8")
    assert (
        _run(tmp_path, tmp_path / "demand.parquet", _csv(tmp_path / "s.csv", SUPPLY), tmp_path / "o.csv") == 2
    )
    assert "cannot read" in capsys.readouterr().err


def test_parquet_costs_name_the_row_of_an_unknown_id(tmp_path, capsys):
    demand = _csv(tmp_path / "d.csv", {"id": ["c0", "c1"], "population": [1, 2]})
    supply = _csv(tmp_path / "s.csv", {"id": ["s0"], "capacity": [3]})
    costs = _parquet(
        tmp_path / "cost.parquet", {"origin": ["c0", "c9"], "destination": ["s0", "s0"], "cost": [1.0, 2.0]}
    )
    args = ["access", "--demand", str(demand), "--supply", str(supply), "--cost", str(costs)]
    assert main([*args, "--threshold", "5", "--out", str(tmp_path / "o.csv")]) == 2
    assert "cost.parquet row 2: origin 'c9' is not an id of d.csv" in capsys.readouterr().err
    _parquet(costs, {"origin": ["c0", "c1"], "destination": ["s0", "s0"], "cost": np.array([1, 2], np.int32)})
    assert main([*args, "--threshold", "5", "--out", str(tmp_path / "o.csv")]) == 0
    assert (tmp_path / "o.csv").read_text().splitlines()[1:] == ["c0,1.0,1", "c1,1.0,1"]
