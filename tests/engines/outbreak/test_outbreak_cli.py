"""`tuoyu outbreak`: the CSV contract end to end, --on, --profile, exit codes and bad input."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from tuoyu.cli import main

HEADER = "institution,class,child,date,symptoms,diagnosis\n"
# Three children of 小一班 with fever on 3 June (the class rule), and hand-foot-mouth in 托小班 on
# 4 and 6 June (two in one class within 7 days); a healthy row and one without a class besides.
CHECKS = HEADER + (
    "JG001,小一班,C01,2024-06-03,fever,\n"
    "JG001,小一班,C02,2024-06-03,fever;rash,\n"
    "JG001,小一班,C03,2024-06-03,fever,\n"
    "JG001,小一班,C04,2024-06-03,,\n"
    "JG001,,C05,2024-06-03,diarrhoea,\n"
    "JG002,托小班,C11,2024-06-04,mouth_ulcers;rash,hfmd\n"
    "JG002,托小班,C12,2024-06-06,,hfmd\n"
)


@pytest.fixture
def checks(tmp_path):
    def write(text: str = CHECKS):
        path = tmp_path / "checks.csv"
        path.write_bytes(text.encode("utf-8"))
        return str(path)

    return write


def cli(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_alerts_are_written_as_contracted_and_the_exit_code_says_some_were_found(checks, tmp_path, capsys):
    out = tmp_path / "alerts.csv"
    code, stdout, stderr = cli(["outbreak", "--checks", checks(), "--out", str(out)], capsys)
    assert (code, stderr) == (1, "")
    found = rows(out)
    assert [
        (r["institution"], r["class"], r["first_date"], r["last_date"], r["cases"], r["report_by"])
        for r in found
    ] == [
        ("JG001", "小一班", "2024-06-03", "2024-06-03", "3", "2024-06-04"),
        ("JG002", "托小班", "2024-06-04", "2024-06-06", "2", "2024-06-07"),
    ]
    assert found[0]["rule"].startswith("同一班级同一天内3名及以上婴幼儿出现发热")
    assert found[1]["rule"].startswith(
        "同一班级7天内发生手足口病2例及以上（《浙江省托幼机构传染病暴发疫情判定标准》）"
    )
    assert (
        "读取 7 条晨午检记录" in stdout
        and "发现 2 条聚集性疫情预警" in stdout
        and "全国（national）" in stdout
    )


def test_on_counts_only_the_rows_up_to_that_day(checks, tmp_path, capsys):
    out = tmp_path / "alerts.csv"
    code, stdout, _ = cli(["outbreak", "--checks", checks(), "--on", "2024-06-05", "--out", str(out)], capsys)
    assert code == 1 and [r["institution"] for r in rows(out)] == ["JG001"]
    assert "只计入 2024-06-05 及以前的记录" in stdout
    code, _, _ = cli(["outbreak", "--checks", checks(), "--on", "2024-06-02", "--out", str(out)], capsys)
    assert (
        code == 0
        and out.read_text(encoding="utf-8") == "institution,class,rule,first_date,last_date,cases,report_by\n"
    )


def test_the_profile_can_be_chosen_and_the_same_rows_give_the_same_bytes(checks, tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    cli(["outbreak", "--checks", checks(), "--out", str(first)], capsys)
    code, stdout, _ = cli(
        ["outbreak", "--checks", checks(), "--profile", "zhejiang-wenzhou-ouhai", "--out", str(second)],
        capsys,
    )
    assert code == 1 and "浙江省温州市瓯海区（zhejiang-wenzhou-ouhai）" in stdout
    assert first.read_bytes() == second.read_bytes()  # Ouhai sets no threshold of its own


@pytest.mark.parametrize(
    ("text", "extra", "fragment"),
    [
        (
            HEADER + "JG001,A,C1,2024-06-03,fever,\nJG001,A,C2,2024-06-03,fevre,\n",
            [],
            "第3行：未知的症状代码“fevre”",
        ),
        (HEADER + "JG001,A,C1,03/06/2024,,\n", [], "第2行：日期“03/06/2024”"),
        ("institution,child,date,symptoms,diagnosis\n", [], "第1行：表头缺少必需的列：class"),
        (CHECKS, ["--on", "2024-6-5"], "--on 日期无效"),
        (CHECKS, ["--profile", "atlantis"], "未知的政策配置 'atlantis'"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_it_and_writes_nothing(
    checks, tmp_path, capsys, text, extra, fragment
):
    out = tmp_path / "alerts.csv"
    code, stdout, stderr = cli(["outbreak", "--checks", checks(text), *extra, "--out", str(out)], capsys)
    assert code == 2 and stdout == ""
    assert stderr.startswith("错误：") and stderr.count("\n") == 1 and " / error: " in stderr
    assert fragment in stderr
    assert not out.exists()


def test_a_missing_file_and_an_output_over_the_input_are_refused(checks, tmp_path, capsys):
    code, _, stderr = cli(
        ["outbreak", "--checks", str(tmp_path / "none.csv"), "--out", str(tmp_path / "a.csv")], capsys
    )
    assert code == 2 and "无法读取晨午检记录文件" in stderr
    path = checks()
    code, _, stderr = cli(["outbreak", "--checks", path, "--out", path], capsys)
    assert code == 2 and "不能覆盖输入文件" in stderr
    with pytest.raises(SystemExit) as exit_:
        main(["outbreak", "--checks", path])
    assert exit_.value.code == 2 and "--out" in capsys.readouterr().err


def test_the_command_runs_as_its_own_process_without_django(checks, tmp_path):
    script = (
        "import sys; from tuoyu.cli import main; code = main(sys.argv[1:]); "
        "print(' '.join(sorted(m for m in sys.modules if '.' not in m)), file=sys.stderr); raise SystemExit(code)"
    )
    out = tmp_path / "alerts.csv"
    args = ["outbreak", "--checks", checks(), "--out", str(out)]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "django" not in done.stderr.split()
    assert len(rows(out)) == 2
