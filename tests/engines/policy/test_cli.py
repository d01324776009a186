"""The command-line contract: `tuoyu policy|check|subsidy`, their JSON and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tuoyu.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
COMPLIANT = str(EXAMPLES / "longmatan-compliant.json")
FAILING = str(EXAMPLES / "longmatan-failing.json")
PROFILES = [
    "national",
    "gansu",
    "jiangxi",
    "jiangsu-lianyungang",
    "sichuan-luzhou-longmatan",
    "zhejiang-wenzhou-ouhai",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_policy_list_names_every_profile(capsys):
    code, out, _ = run(capsys, "policy", "list", "--format", "json")
    assert code == 0
    assert [p["name"] for p in json.loads(out)] == PROFILES


@pytest.mark.parametrize("profile", PROFILES)
def test_policy_show_lists_each_parameter_with_unit_and_source(capsys, profile):
    code, out, _ = run(capsys, "policy", "show", profile, "--on", "2024-06-01", "--format", "json")
    assert code == 0
    params = json.loads(out)
    assert params and all({"key", "value", "unit", "source"} <= set(p) for p in params)
    assert all({"profile", "document", "clause", "confidence"} <= set(p["source"]) for p in params)


def test_policy_show_text_cites_inherited_values(capsys):
    code, out, _ = run(capsys, "policy", "show", "sichuan-luzhou-longmatan", "--on", "2024-06-01")
    assert code == 0 and "继承自 national" in out and "泸龙府办发〔2023〕6号" in out


def test_policy_diff_reports_the_differences(capsys):
    code, out, _ = run(
        capsys,
        "policy",
        "diff",
        "national",
        "sichuan-luzhou-longmatan",
        "--on",
        "2024-06-01",
        "--format",
        "json",
    )
    assert code == 0
    keys = {d["key"] for d in json.loads(out)["differences"]}
    assert "premises.indoor_area_per_place_min" in keys and "class.max_size.infant" not in keys


def test_policy_validate_accepts_the_shipped_profiles(capsys):
    code, out, _ = run(capsys, "policy", "validate")
    assert code == 0 and "6" in out


def test_policy_validate_reports_a_broken_directory(capsys, tmp_path):
    (tmp_path / "national.yaml").write_text(
        "name: national\nlevel: national\ntitle: 全国\nparameters: {}\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "policy", "validate", str(tmp_path))
    assert code == 1 and "required key is missing" in err


@pytest.mark.parametrize("profile", PROFILES)
def test_check_json_has_the_contract_shape_on_every_profile(capsys, profile):
    code, out, _ = run(
        capsys, "check", COMPLIANT, "--profile", profile, "--on", "2024-06-01", "--format", "json"
    )
    data = json.loads(out)
    assert set(data) == {"profile", "on", "findings", "summary"}
    assert data["profile"] == profile and data["on"] == "2024-06-01"
    assert {"fail", "unknown", "pass"} <= set(data["summary"])
    assert code == (1 if data["summary"]["fail"] else 0)
    for f in data["findings"]:
        assert {"rule", "provision", "status", "subject", "value", "limit", "message", "source"} <= set(f)
        assert f["status"] in {"pass", "fail", "unknown", "not_applicable"}
        if f["status"] in {"pass", "fail"}:
            assert f["source"]["document"] and f["source"]["clause"] and f["source"]["confidence"]


def test_check_exits_0_when_nothing_fails(capsys):
    code, out, _ = run(
        capsys, "check", COMPLIANT, "--profile", "sichuan-luzhou-longmatan", "--on", "2024-06-01"
    )
    assert code == 0 and "不符合 0" in out


def test_check_exits_1_when_something_fails(capsys):
    code, out, _ = run(
        capsys,
        "check",
        FAILING,
        "--profile",
        "sichuan-luzhou-longmatan",
        "--on",
        "2024-06-01",
        "--format",
        "json",
    )
    failed = {(f["rule"], f["subject"]) for f in json.loads(out)["findings"] if f["status"] == "fail"}
    assert code == 1
    assert ("class.size", "class[0]") in failed and ("premises.tenure", "institution") in failed


def test_check_picks_the_profile_by_division_code(capsys):
    code, out, _ = run(
        capsys, "check", COMPLIANT, "--division", "510590", "--on", "2024-06-01", "--format", "json"
    )
    assert code == 0 and json.loads(out)["profile"] == "sichuan-luzhou-longmatan"


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "missing.json", "--profile", "national"],
        ["check", COMPLIANT, "--profile", "mars"],
        ["check", COMPLIANT, "--profile", "national", "--on", "2024-02-30"],
        ["check", COMPLIANT, "--profile", "national", "--on", "tomorrow"],
        ["check", COMPLIANT],
        ["check", COMPLIANT, "--division", "12"],
        ["subsidy", COMPLIANT, "--profile", "national", "--month", "2024-13"],
        ["subsidy", COMPLIANT, "--profile", "mars", "--month", "2024-06"],
        ["policy", "show", "mars"],
        ["policy", "frobnicate"],
    ],
)
def test_bad_input_exits_2_with_one_bilingual_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "错误" in lines[0] and "error:" in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"places": 10,', "not valid JSON"),
        ('{"places": "ten"}', "places: must be an integer"),
        ('{"classes": [{"type": "huge"}]}', "classes[0].type"),
        ("[]", "JSON object"),
    ],
)
def test_malformed_or_mistyped_facts_exit_2(capsys, tmp_path, content, fragment):
    path = tmp_path / "facts.json"
    path.write_text(content, encoding="utf-8")
    for command in (
        ["check", str(path), "--profile", "national"],
        ["subsidy", str(path), "--profile", "national", "--month", "2024-06"],
    ):
        code, out, err = run(capsys, *command)
        assert code == 2 and out == "" and fragment in err and "Traceback" not in err


def test_subsidy_json_has_lines_with_amounts_as_two_place_strings(capsys):
    code, out, _ = run(
        capsys,
        "subsidy",
        COMPLIANT,
        "--profile",
        "sichuan-luzhou-longmatan",
        "--month",
        "2024-06",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    lines = {line["item"]: line for line in data["lines"]}
    assert {"operating", "construction", "growth_station"} <= set(lines)
    assert lines["operating"]["amount"] == "15500.00"
    assert lines["construction"]["amount"] == "200000.00"
    assert data["total"] == "215500.00"
    for line in data["lines"]:
        assert set(line) >= {"item", "amount", "basis", "source"}
        whole, _, cents = line["amount"].partition(".")
        assert whole.isdigit() and len(cents) == 2


def test_subsidy_names_what_must_be_verified_before_paying(capsys, tmp_path):
    facts = json.loads(Path(COMPLIANT).read_text(encoding="utf-8"))
    facts["video"] = None  # 003 §四(四): not verified to meet the standards → not payable yet
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(
        capsys, "subsidy", str(path), "--profile", "sichuan-luzhou-longmatan", "--month", "2024-06"
    )
    assert code == 0
    assert "运营补助：0.00 元（待核定）" in out and "须先核实：video.surveillance（institution）" in out
    code, out, _ = run(
        capsys,
        "subsidy",
        str(path),
        "--profile",
        "sichuan-luzhou-longmatan",
        "--month",
        "2024-06",
        "--format",
        "json",
    )
    lines = {line["item"]: line for line in json.loads(out)["lines"]}
    assert lines["operating"]["pending"] == ["video.surveillance（institution）"]
    assert lines["construction"]["pending"] == []


@pytest.mark.parametrize("profile", PROFILES)
def test_subsidy_runs_on_every_profile(capsys, profile):
    code, out, _ = run(
        capsys, "subsidy", COMPLIANT, "--profile", profile, "--month", "2024-06", "--format", "json"
    )
    assert code == 0 and json.loads(out)["total"].endswith((".00", "0", "5")) and "lines" in json.loads(out)


def test_the_check_command_runs_without_loading_django():
    code = (
        "import sys; from tuoyu.cli import main;"
        f"rc = main(['check', {COMPLIANT!r}, '--profile', 'national', '--on', '2024-06-01', '--format', 'json']);"
        "assert 'django' not in sys.modules; sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["profile"] == "national"
