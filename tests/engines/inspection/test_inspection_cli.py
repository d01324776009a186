"""`tuoyu inspect draw`: the CSV contract, --out, --verify and bad input."""

import hashlib
import subprocess
import sys

import pytest

from tuoyu.cli import main

INSTITUTIONS = "id,stratum,name\n" + "".join(
    f"JG{k:02d},{'high' if k % 4 == 0 else 'normal'},托育机构{k}\n" for k in range(16)
)
INSPECTORS = (
    "id,department\nH1,health\nH2,health\nH3,health\nH4,health\nF1,fire\nF2,fire\nM1,market_regulation\n"
)
CONFLICTS = "inspector,institution\nH1,JG00\nF1,JG01\n"
SEED = hashlib.sha256(b"the inspection draw of the first quarter").hexdigest()


@pytest.fixture
def files(tmp_path):
    def write(**overrides):
        contents = {
            "institutions": INSTITUTIONS,
            "inspectors": INSPECTORS,
            "conflicts": CONFLICTS,
            **overrides,
        }
        paths = {}
        for name, text in contents.items():
            path = tmp_path / f"{name}.csv"
            path.write_bytes(text.encode())
            paths[name] = str(path)
        return paths

    return write


def draw_args(paths, *mode, seed=SEED, targets="5", team_size="3", joint="health,fire"):
    args = ["inspect", "draw", "--institutions", paths["institutions"], "--inspectors", paths["inspectors"]]
    args += ["--targets", targets, "--team-size", team_size, "--seed", seed]
    if joint is not None:
        args += ["--joint", joint]
    if "conflicts" in paths:
        args += ["--conflicts", paths["conflicts"]]
    return [*args, *mode]


def cli(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_draw_is_written_with_the_sha256_of_every_input_and_of_the_result(files, tmp_path, capsys):
    paths = files()
    out = tmp_path / "draw.csv"
    code, stdout, _ = cli(draw_args(paths, "--out", str(out)), capsys)
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "institution,inspectors" and len(lines) == 6
    for row in lines[1:]:
        institution, members = row.split(",")
        team = members.split(";")
        assert len(team) == 3 and {"H", "F"} <= {m[0] for m in team}
        assert not {("H1", "JG00"), ("F1", "JG01")} & {(m, institution) for m in team}
    assert f"seed: {SEED}" in stdout
    for name in ("institutions", "inspectors", "conflicts"):
        assert f"{paths[name]} sha256 {sha256(tmp_path / f'{name}.csv')}" in stdout
    assert f"{out} sha256 {sha256(out)}" in stdout
    assert "从 16 家机构中抽取 5 家，每组 3 人，须含卫生健康、消防救援" in stdout
    assert "high：4 家中抽取 1 家" in stdout and "normal：12 家中抽取 4 家" in stdout


def test_the_same_command_writes_the_same_bytes(files, tmp_path, capsys):
    paths = files()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli(draw_args(paths, "--out", str(first)), capsys)[0] == 0
    assert cli(draw_args(paths, "--out", str(second)), capsys)[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_published_draw_that_reproduces_verifies_with_exit_0(files, tmp_path, capsys):
    paths = files()
    out = tmp_path / "draw.csv"
    cli(draw_args(paths, "--out", str(out)), capsys)
    code, stdout, _ = cli(draw_args(paths, "--verify", str(out)), capsys)
    assert code == 0
    assert "一致：5 个检查组全部可由公布的数据和种子重新算出" in stdout
    assert f"{out} sha256 {sha256(out)}" in stdout


def test_a_changed_team_fails_verification_with_exit_1_naming_the_institution(files, tmp_path, capsys):
    paths = files()
    out = tmp_path / "draw.csv"
    cli(draw_args(paths, "--out", str(out)), capsys)
    header, first, *rest = out.read_text(encoding="utf-8").splitlines()
    institution, members = first.split(",")
    tampered = ";".join(reversed(members.split(";")))
    out.write_text("\n".join([header, f"{institution},{tampered}", *rest]) + "\n", encoding="utf-8")
    code, stdout, _ = cli(draw_args(paths, "--verify", str(out)), capsys)
    assert code == 1
    assert "不一致：发现 1 处差异" in stdout and f"机构“{institution}”的检查组不符" in stdout


def test_a_draw_verified_with_another_seed_does_not_reproduce(files, tmp_path, capsys):
    paths = files()
    out = tmp_path / "draw.csv"
    cli(draw_args(paths, "--out", str(out)), capsys)
    other = hashlib.sha256(b"another seed").hexdigest()
    code, stdout, _ = cli(draw_args(paths, "--verify", str(out), seed=other), capsys)
    assert code == 1 and "不一致" in stdout


def test_an_unknown_inspector_in_the_conflicts_exits_2_naming_file_and_line_and_writes_nothing(
    files, tmp_path, capsys
):
    paths = files(conflicts="inspector,institution\nH1,JG00\nH9,JG02\n")
    out = tmp_path / "draw.csv"
    code, stdout, stderr = cli(draw_args(paths, "--out", str(out)), capsys)
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"错误：{paths['conflicts']} 第3行：回避名单中的检查人员“H9”不在检查人员名单中")
    assert stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("overrides", "file", "line", "message"),
    [
        ({"institutions": "name\nJG01\n"}, "institutions", 1, "表头缺少必需的列：id"),
        ({"institutions": "id\nJG01\nJG02\nJG01\n"}, "institutions", 4, "机构编号“JG01”重复出现"),
        (
            {"inspectors": "id,department\nH1,health\nF1,firemen\n"},
            "inspectors",
            3,
            "检查人员“F1”的部门“firemen”不是平台的部门代码",
        ),
        (
            {"conflicts": "inspector,institution\nH1,JG99\n"},
            "conflicts",
            2,
            "回避名单中的机构“JG99”不在机构名单中",
        ),
    ],
)
def test_bad_files_exit_2_naming_the_file_and_line(files, tmp_path, capsys, overrides, file, line, message):
    paths = files(**overrides)
    out = tmp_path / "draw.csv"
    code, _, stderr = cli(draw_args(paths, "--out", str(out), joint=None), capsys)
    assert code == 2 and f"{paths[file]} 第{line}行：{message}" in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"seed": "not-hex"}, "种子应为64位十六进制数"),
        ({"targets": "five"}, "--targets 抽取的机构数应为正整数"),
        ({"targets": "17"}, "抽取的机构数（17家）超过了机构名单中的机构数（16家）"),
        ({"team_size": "1"}, "每组人数（1人）少于须参加联合检查的部门数（2个：卫生健康、消防救援）"),
        ({"joint": "health,police"}, "联合检查部门“police”不是平台的部门代码"),
        ({"joint": "health,"}, "--joint 中有空项"),
    ],
)
def test_bad_options_exit_2_with_a_chinese_message(files, tmp_path, capsys, options, message):
    out = tmp_path / "draw.csv"
    code, _, stderr = cli(draw_args(files(), "--out", str(out), **options), capsys)
    assert code == 2 and message in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_joint_departments_may_be_separated_by_chinese_commas(files, tmp_path, capsys):
    paths = files()
    ascii_out, chinese_out = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli(draw_args(paths, "--out", str(ascii_out)), capsys)[0] == 0
    assert cli(draw_args(paths, "--out", str(chinese_out), joint="health，fire"), capsys)[0] == 0
    assert ascii_out.read_bytes() == chinese_out.read_bytes()


@pytest.mark.parametrize("mode", [("--out", "draw.csv", "--verify", "draw.csv"), ()])
def test_out_and_verify_are_one_or_the_other(files, tmp_path, capsys, mode):
    mode = [str(tmp_path / m) if m.endswith(".csv") else m for m in mode]
    with pytest.raises(SystemExit) as exit_:
        main(draw_args(files(), *mode))
    assert exit_.value.code == 2 and "命令参数有误" in capsys.readouterr().err


def test_the_command_runs_as_a_process_without_django(files, tmp_path):
    out = tmp_path / "draw.csv"
    script = (
        "import sys; from tuoyu.cli import main; code = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules; raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *draw_args(files(), "--out", str(out))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("institution,inspectors\n")
    whole = subprocess.run(
        [sys.executable, "-m", "tuoyu", *draw_args(files(), "--verify", str(out))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert whole.returncode == 0 and "一致" in whole.stdout
