"""`tuoyu allocate`: the CSV contract, commitments, seeds, verification and every bad input."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tuoyu.commands.allocate import run
from tuoyu.engines.allocation import commitment, derive_seed

PROGRAMS = "id,capacity,min_age_months,max_age_months,name\nP1,1,,,阳光托育\nP2,2,24,36,幼儿园托班\nP3,0,,,\n"
APPLICANTS = (
    "id,choices,birth_date,lottery_group\n"
    "A1,P1|P2,2022-03-10,\n"
    "A2,P2|P1,2022-05-01,\n"
    "A3,P1,2023-07-07,T\n"
    "A4,P1|P3,2023-07-07,T\n"
    "A5,,2022-01-01,\n"
)
PRIORITIES = "program,applicant,priority\nP1,A2,1\nP2,A1,0\n"
SECRET = "5e" * 32


@pytest.fixture
def files(tmp_path):
    def write(**overrides):
        contents = {"programs": PROGRAMS, "applicants": APPLICANTS, "priorities": PRIORITIES, **overrides}
        paths = {}
        for name, text in contents.items():
            path = tmp_path / f"{name}.csv"
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            paths[name] = str(path)
        return paths

    return write


def allocate_args(paths, out, *extra, seed="s1"):
    args = [
        "--programs",
        paths["programs"],
        "--applicants",
        paths["applicants"],
        "--priorities",
        paths["priorities"],
    ]
    args += ["--out", str(out), "--admission-date", "2024-09-01"]
    return [*args, "--seed", seed, *extra] if seed is not None else [*args, *extra]


def cli(argv, capsys):
    code = run(argv, prog="tuoyu allocate")
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- the contract --------------------------------------------------------------------------------------


def test_result_file_follows_the_contract(files, tmp_path, capsys):
    out = tmp_path / "result.csv"
    code, stdout, _ = cli(allocate_args(files(), out), capsys)
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "applicant,program,lottery"
    rows = {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]}
    assert list(rows) == ["A1", "A2", "A3", "A4", "A5"]
    assert rows["A2"][1] == hashlib.sha256(b"s1:A2").hexdigest()
    assert rows["A3"][1] == rows["A4"][1] == hashlib.sha256(b"s1:T").hexdigest()
    assert rows["A1"][0] == "P2"  # 29 months: eligible for P2, where it has priority 0
    assert rows["A5"][0] == ""  # no choices, no place
    assert "sha256" in stdout


def test_same_inputs_and_seed_give_byte_identical_files(files, tmp_path, capsys):
    paths = files()
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    cutoffs_one, cutoffs_two = tmp_path / "c1.csv", tmp_path / "c2.csv"
    assert cli(allocate_args(paths, first, "--cutoffs", str(cutoffs_one)), capsys)[0] == 0
    assert cli(allocate_args(paths, second, "--cutoffs", str(cutoffs_two)), capsys)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert cutoffs_one.read_bytes() == cutoffs_two.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_cutoffs_and_choices_files_are_written_on_request(files, tmp_path, capsys):
    out, cutoffs, choices = tmp_path / "r.csv", tmp_path / "c.csv", tmp_path / "ch.csv"
    code, _, _ = cli(
        allocate_args(files(), out, "--cutoffs", str(cutoffs), "--choices", str(choices)), capsys
    )
    assert code == 0
    assert (
        cutoffs.read_text().splitlines()[0]
        == "program,capacity,admitted,cutoff_priority,cutoff_lottery,cutoff_applicant"
    )
    assert "P3,0,0,,," in cutoffs.read_text()
    statuses = {
        tuple(line.split(",")[:3]): line.split(",")[3] for line in choices.read_text().splitlines()[1:]
    }
    assert statuses[("A3", "1", "P1")] in {"placed", "waitlisted"}
    assert statuses[("A4", "2", "P3")] in {"waitlisted", "not_reached"}


def test_commit_prints_the_sha256_of_the_seed(capsys):
    code, out, _ = cli(["--commit", "--seed", "my secret"], capsys)
    assert code == 0 and out.strip() == hashlib.sha256(b"my secret").hexdigest()


def test_derive_seed_prints_the_seed_and_checks_the_commitment(capsys):
    args = ["--derive-seed", "--secret", SECRET, "--live", "0815", "--public", "01 02 03"]
    code, out, _ = cli([*args, "--commitment", commitment(SECRET)], capsys)
    assert code == 0 and out.strip() == derive_seed(SECRET, "815", "1.2.3")
    code, out, _ = cli([*args, "--commitment", commitment("other")], capsys)
    assert code == 1 and "MISMATCH" in out


def test_allocating_from_the_seed_parts_equals_allocating_with_the_derived_seed(files, tmp_path, capsys):
    paths = files()
    seed = derive_seed(SECRET, 7, "1 2 3")
    by_parts, by_seed = tmp_path / "parts.csv", tmp_path / "seed.csv"
    parts = ["--secret", SECRET, "--live", "7", "--public", "1 2 3", "--commitment", commitment(SECRET)]
    assert cli(allocate_args(paths, by_parts, *parts, seed=None), capsys)[0] == 0
    assert cli(allocate_args(paths, by_seed, seed=seed), capsys)[0] == 0
    assert by_parts.read_bytes() == by_seed.read_bytes()


def verify_args(paths, result, *extra, seed="s1"):
    args = ["--verify", "--programs", paths["programs"], "--applicants", paths["applicants"]]
    args += ["--priorities", paths["priorities"], "--result", str(result), "--admission-date", "2024-09-01"]
    return [*args, "--seed", seed, *extra] if seed is not None else [*args, *extra]


def test_verify_reproduces_a_published_draw(files, tmp_path, capsys):
    paths = files()
    result, cutoffs = tmp_path / "r.csv", tmp_path / "c.csv"
    cli(allocate_args(paths, result, "--cutoffs", str(cutoffs)), capsys)
    digest = hashlib.sha256(Path(paths["applicants"]).read_bytes()).hexdigest()
    code, out, _ = cli(
        verify_args(paths, result, "--cutoffs", str(cutoffs), "--applicants-sha256", digest), capsys
    )
    assert code == 0 and "MATCH" in out


def test_verify_from_the_seed_parts_checks_the_commitment(files, tmp_path, capsys):
    paths = files()
    result = tmp_path / "r.csv"
    cli(allocate_args(paths, result, seed=derive_seed(SECRET, 7, "1 2 3")), capsys)
    parts = ["--secret", SECRET, "--live", "7", "--public", "1 2 3"]
    assert (
        cli(verify_args(paths, result, *parts, "--commitment", commitment(SECRET), seed=None), capsys)[0] == 0
    )
    code, out, _ = cli(verify_args(paths, result, *parts, "--commitment", commitment("x"), seed=None), capsys)
    assert code == 1 and "commitment" in out


def test_verify_finds_a_tampered_result(files, tmp_path, capsys):
    paths = files()
    result = tmp_path / "r.csv"
    cli(allocate_args(paths, result), capsys)
    lines = result.read_text().splitlines()
    a1 = lines[1].split(",")
    lines[1] = ",".join([a1[0], "P1" if a1[1] != "P1" else "", a1[2]])
    result.write_text("\n".join(lines) + "\n")
    code, out, _ = cli(verify_args(paths, result), capsys)
    assert code == 1 and "A1" in out and "MISMATCH" in out


def test_verify_finds_a_changed_applicant_list(files, tmp_path, capsys):
    paths = files()
    result = tmp_path / "r.csv"
    cli(allocate_args(paths, result), capsys)
    code, out, _ = cli(verify_args(paths, result, "--applicants-sha256", "0" * 64), capsys)
    assert code == 1 and "0" * 64 in out


def test_verify_with_another_seed_fails(files, tmp_path, capsys):
    paths = files()
    result = tmp_path / "r.csv"
    cli(allocate_args(paths, result), capsys)
    assert cli(verify_args(paths, result, seed="s2"), capsys)[0] == 1


# --- bad input: exit 2, one bilingual line naming the row, nothing written ------------------------------

BAD_INPUTS = {
    "duplicate program id": ({"programs": "id,capacity\nP1,1\nP1,2\n"}, [], "programs.csv line 3"),
    "negative capacity": ({"programs": "id,capacity\nP1,-1\n"}, [], "capacity -1 < 0"),
    "capacity not an integer": ({"programs": "id,capacity\nP1,ten\n"}, [], "programs.csv line 2"),
    "capacity with a decimal point": ({"programs": "id,capacity\nP1,1.0\n"}, [], "programs.csv line 2"),
    "missing capacity column": ({"programs": "id,size\nP1,1\n"}, [], "capacity"),
    "row with an extra field": ({"programs": "id,capacity\nP1,1\nP2,1,x\n"}, [], "programs.csv line 3"),
    "empty program id": ({"programs": "id,capacity\n,1\n"}, [], "programs.csv line 2"),
    "program id with a bar": ({"programs": "id,capacity\nP|1,1\n"}, [], "programs.csv line 2"),
    "empty age band": ({"programs": "id,capacity,min_age_months,max_age_months\nP1,1,24,12\n"}, [], "line 2"),
    "unknown program in a choice": (
        {"applicants": "id,choices\nA1,P1\nA2,P1|P9\n"},
        [],
        "applicants.csv line 3",
    ),
    "duplicate applicant id": ({"applicants": "id,choices\nA1,P1\nA1,P1\n"}, [], "applicants.csv line 3"),
    "empty choice": ({"applicants": "id,choices\nA1,P1||P3\n"}, [], "applicants.csv line 2"),
    "choice listed twice": ({"applicants": "id,choices\nA1,P1|P1\n"}, [], "applicants.csv line 2"),
    "impossible birth date": ({"applicants": "id,choices,birth_date\nA1,P2,2022-02-30\n"}, [], "line 2"),
    "banded choice without birth date": ({"applicants": "id,choices\nA1,P2\n"}, [], "applicants.csv line 2"),
    "group named after an outsider": (
        {"applicants": "id,choices,lottery_group\nA1,P1,\nA2,P1,A1\n"},
        [],
        "line 3",
    ),
    "priority for unknown program": (
        {"priorities": "program,applicant,priority\nP9,A1,1\n"},
        [],
        "priorities.csv line 2",
    ),
    "priority for unknown applicant": ({"priorities": "program,applicant,priority\nP1,Z,1\n"}, [], "line 2"),
    "priority not an integer": ({"priorities": "program,applicant,priority\nP1,A1,high\n"}, [], "line 2"),
    "priority given twice": ({"priorities": "program,applicant,priority\nP1,A1,1\nP1,A1,2\n"}, [], "line 3"),
    "priority out of range": ({"priorities": "program,applicant,priority\nP1,A1,9999999999\n"}, [], "line 2"),
    "file not UTF-8": ({"applicants": "id,choices\nA1,托班\n".encode("gbk")}, [], "UTF-8"),
    "empty file": ({"programs": ""}, [], "header"),
    "unclosed quote": ({"applicants": 'id,choices\nA1,"P1\n'}, [], "applicants.csv"),
    "bad admission date": ({}, ["--admission-date", "2024-13-01"], "admission"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_exits_2_naming_the_row_and_writes_nothing(case, files, tmp_path, capsys):
    overrides, extra, expected = BAD_INPUTS[case]
    out = tmp_path / "result.csv"
    out.write_text("previous result\n")
    code, _, stderr = cli(allocate_args(files(**overrides), out, *extra), capsys)
    assert code == 2
    assert expected in stderr
    assert stderr.startswith("错误：") and stderr.count("\n") == 1
    assert out.read_text() == "previous result\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "argv",
    [
        ["--seed", ""],  # empty seed
        [],  # no seed at all
        ["--seed", "s", "--secret", SECRET],  # both ways of giving the seed
        ["--secret", SECRET, "--live", "7"],  # a part missing
        ["--secret", SECRET, "--live", "seven", "--public", "1"],  # not a number
        ["--secret", SECRET, "--live", "7", "--public", "1", "--commitment", commitment("x")],
        ["--seed", "s", "--result", "r.csv"],  # a verification argument
    ],
)
def test_bad_seed_arguments_exit_2(argv, files, tmp_path, capsys):
    paths = files()
    args = [
        "--programs",
        paths["programs"],
        "--applicants",
        paths["applicants"],
        "--out",
        str(tmp_path / "r.csv"),
    ]
    code, _, stderr = cli([*args, "--admission-date", "2024-09-01", *argv], capsys)
    assert code == 2 and stderr.count("\n") == 1
    assert not (tmp_path / "r.csv").exists()


def test_a_missing_input_file_or_output_directory_exits_2(files, tmp_path, capsys):
    paths = files()
    code, _, stderr = cli(
        allocate_args({**paths, "programs": str(tmp_path / "nope.csv")}, tmp_path / "r.csv"), capsys
    )
    assert code == 2 and "nope.csv" in stderr
    code, _, stderr = cli(allocate_args(paths, tmp_path / "missing" / "r.csv"), capsys)
    assert code == 2 and "missing" in stderr


def test_the_output_may_not_overwrite_an_input(files, capsys):
    paths = files()
    before = Path(paths["applicants"]).read_bytes()
    code, _, _ = cli(allocate_args(paths, paths["applicants"]), capsys)
    assert code == 2 and Path(paths["applicants"]).read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["--commit"],
        ["--commit", "--seed", "a", "--secret", "b"],
        ["--derive-seed", "--secret", SECRET, "--live", "1"],
        ["--derive-seed", "--secret", "a/b", "--live", "1", "--public", "2"],
        ["--derive-seed", "--secret", SECRET, "--live", "1", "--public", "2", "--commitment", "xyz"],
        ["--commit", "--verify", "--seed", "a"],
    ],
)
def test_bad_commit_and_derive_arguments_exit_2(argv, capsys):
    code, out, stderr = cli(argv, capsys) if "--verify" not in argv else _argparse_exit(argv, capsys)
    assert code == 2 and out == "" and stderr.count("\n") == 1


def _argparse_exit(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(argv, prog="tuoyu allocate")
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def test_verify_with_a_malformed_published_result_exits_2(files, tmp_path, capsys):
    paths = files()
    result = tmp_path / "r.csv"
    result.write_text("applicant,program,lottery\nA1,P1,not-a-key\n")
    code, _, stderr = cli(verify_args(paths, result), capsys)
    assert code == 2 and "line 2" in stderr


# --- the real command ----------------------------------------------------------------------------------


def test_the_command_runs_without_django_and_reports_bad_input_without_a_traceback(files, tmp_path):
    paths = files(applicants="id,choices\nA1,P9\n")
    script = (
        "import sys; from tuoyu.cli import main; code = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules, 'django imported'; raise SystemExit(code)"
    )
    base = [
        sys.executable,
        "-c",
        script,
        "allocate",
        "--programs",
        paths["programs"],
        "--priorities",
        paths["priorities"],
    ]
    done = subprocess.run(
        [*base, "--applicants", paths["applicants"], "--seed", "s", "--out", str(tmp_path / "r.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "applicants.csv line 2" in done.stderr
    good = files()
    done = subprocess.run(
        [
            *base,
            "--applicants",
            good["applicants"],
            "--seed",
            "s",
            "--out",
            str(tmp_path / "r.csv"),
            "--admission-date",
            "2024-09-01",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
