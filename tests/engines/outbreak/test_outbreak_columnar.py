"""Large check files read column by column give what the csv-module reader gives, or are handed back."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tuoyu.cli import main
from tuoyu.engines.outbreak import _columnar
from tuoyu.engines.outbreak._columnar import read_checks_columnar
from tuoyu.engines.outbreak.csvio import read_checks

HEADER = "institution,class,child,date,symptoms,diagnosis"


def generated(rows: int = 3000, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["note," + HEADER]
    for _ in range(rows):
        institution = f"JG{rng.randrange(12):02d}"
        care_class = rng.choice(["", "小一班", "小二班", " 托大班 "])
        symptoms = ";".join(rng.sample(["fever", "rash", "cough", "diarrhoea"], rng.choice([0, 0, 0, 1, 2])))
        diagnosis = rng.choice(["", "", "", "", "hfmd", "norovirus", "varicella"])
        day = f"2024-06-{rng.randrange(1, 29):02d}"
        lines.append(f"x,{institution},{care_class},C{rng.randrange(400)},{day},{symptoms},{diagnosis}")
    return "\n".join(lines) + "\n"


def same(a, b) -> bool:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif list(x) != list(y):
            return False
    return True


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_columnar_reader_gives_what_the_reference_reader_gives(tmp_path, seed):
    text = generated(seed=seed)
    path = tmp_path / "checks.csv"
    path.write_bytes(("\ufeff" if seed == 2 else "").encode() + text.encode("utf-8"))
    fast = read_checks_columnar(path)
    assert fast is not None and len(fast) == 3000
    assert same(fast, read_checks(path.read_bytes())[0])


@pytest.mark.parametrize(
    "row",
    [
        ",小一班,C1,2024-06-03,fever,",  # no institution
        "JG1,小一班,,2024-06-03,fever,",  # no child
        "JG1,小一班,C1,2024-06-31,fever,",  # no such day
        "JG1,小一班,C1,2024-06-03,fevre,",  # unknown symptom
        "JG1,小一班,C1,2024-06-03,,flu",  # unknown diagnosis
        'JG1,"小一班",C1,2024-06-03,fever,',  # quotes: only the csv module parses them as it does
        "JG1,小一班,C1,2024-06-03,fever",  # a field short
    ],
)
def test_any_doubt_hands_the_file_back(tmp_path, row):
    path = tmp_path / "checks.csv"
    path.write_text(f"{HEADER}\nJG1,小一班,C0,2024-06-03,,\n{row}\n", encoding="utf-8")
    assert read_checks_columnar(path) is None


def test_the_command_reads_a_large_file_by_columns_and_still_names_the_line_of_a_problem(
    tmp_path, monkeypatch, capsys
):
    path, slow, fast = tmp_path / "checks.csv", tmp_path / "slow.csv", tmp_path / "fast.csv"
    path.write_text(generated(), encoding="utf-8")
    main(["outbreak", "--checks", str(path), "--out", str(slow)])
    monkeypatch.setattr(_columnar, "COLUMNAR_FROM_BYTES", 0)
    main(["outbreak", "--checks", str(path), "--out", str(fast)])
    assert fast.read_bytes() == slow.read_bytes() and len(slow.read_bytes().splitlines()) > 1
    path.write_text(generated() + "x,JG1,小一班,C1,2024-06-03,fevre,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["outbreak", "--checks", str(path), "--out", str(fast)]) == 2
    assert "第3002行：未知的症状代码“fevre”" in capsys.readouterr().err
