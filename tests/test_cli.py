import os
import subprocess
import sys

from tuoyu.cli import COMMANDS, main


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_unknown_command_exits_2_with_a_bilingual_message(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "未知命令" in err and "unknown command" in err


def test_demo_builds_the_county_once_and_prints_the_logins(tmp_path):
    env = dict(os.environ, TUOYU_DATA=str(tmp_path))
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "tuoyu", "demo", "--no-serve"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "已生成示例区县" in first.stdout and "regulator" in first.stdout
    assert "已存在" in second.stdout
    assert (tmp_path / "tuoyu.sqlite3").exists()


def test_createadmin_refuses_a_bad_division_code_without_traceback(tmp_path):
    env = dict(os.environ, TUOYU_DATA=str(tmp_path), TUOYU_ADMIN_PASSWORD="a-long-enough-password")
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "tuoyu", "migrate", "-q"], env=env, check=True, timeout=120)
    result = subprocess.run(
        [sys.executable, "-m", "tuoyu", "createadmin", "--username", "root", "--region", "99"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "行政区划代码" in result.stderr and "Traceback" not in result.stderr


def test_calendar_days_are_added_listed_and_removed(tmp_path):
    env = dict(os.environ, TUOYU_DATA=str(tmp_path))
    env.pop("DATABASE_URL", None)

    def tuoyu(*args):
        return subprocess.run(
            [sys.executable, "-m", "tuoyu", *args], env=env, capture_output=True, text=True, timeout=120
        )

    tuoyu("migrate", "-q")
    assert tuoyu("calendar", "add", "2026-10-01", "--holiday", "国庆节").returncode == 0
    assert tuoyu("calendar", "add", "2026-10-10", "--workday", "国庆节调休").returncode == 0
    listed = tuoyu("calendar", "list", "--year", "2026").stdout
    assert "2026-10-01 放假 国庆节" in listed and "2026-10-10 上班 国庆节调休" in listed
    bad = tuoyu("calendar", "add", "2026-13-01", "--holiday", "x")
    assert bad.returncode == 2 and "日期无效" in bad.stderr and "Traceback" not in bad.stderr
    assert tuoyu("calendar", "remove", "2026-10-01").returncode == 0
    assert tuoyu("calendar", "list").stdout.splitlines() == ["2026-10-10 上班 国庆节调休"]


def _top_level_modules_after(*argv: str) -> set[str]:
    script = (
        "import sys; from tuoyu.cli import main; code = main(sys.argv[1:]); "
        "print(' '.join(m for m in sys.modules if '.' not in m), file=sys.stderr); raise SystemExit(code)"
    )
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.split())


HEAVY = {"django", "numpy", "scipy", "numba", "pyarrow", "pandas", "pyproj", "openpyxl", "yaml"}


def test_help_imports_none_of_the_heavy_libraries():
    assert not _top_level_modules_after("--help") & HEAVY


def test_the_lottery_commitment_and_seed_start_without_numpy():
    assert not _top_level_modules_after("allocate", "--commit", "--seed", "s3cret") & HEAVY
    derived = _top_level_modules_after(
        "allocate", "--derive-seed", "--secret", "s", "--live", "7", "--public", "1 2"
    )
    assert not derived & HEAVY


def test_an_allocation_loads_numpy_and_nothing_heavier(tmp_path):
    (tmp_path / "p.csv").write_text("id,capacity\nP1,1\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("id,choices\nA1,P1\nA2,P1\n", encoding="utf-8")
    args = ["allocate", "--programs", str(tmp_path / "p.csv"), "--applicants", str(tmp_path / "a.csv")]
    loaded = _top_level_modules_after(*args, "--seed", "s", "--out", str(tmp_path / "r.csv"))
    assert loaded & HEAVY == {"numpy"}


def test_engine_commands_end_the_process_with_their_output_flushed_and_their_exit_code(tmp_path):
    def tuoyu(*args):
        return subprocess.run(
            [sys.executable, "-m", "tuoyu", *args], capture_output=True, text=True, timeout=60
        )

    commit = tuoyu("allocate", "--commit", "--seed", "s3cret")
    assert commit.returncode == 0 and len(commit.stdout.strip()) == 64
    (tmp_path / "d.csv").write_text("id,x,y,population\nc0,0,0,10\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("id,x,y,capacity\ns0,0,0,5\n", encoding="utf-8")
    args = [
        "access",
        "--demand",
        str(tmp_path / "d.csv"),
        "--threshold",
        "100",
        "--out",
        str(tmp_path / "o.csv"),
    ]
    done = tuoyu(*args, "--supply", str(tmp_path / "s.csv"))
    assert done.returncode == 0 and '"covered_share": 1.0' in done.stdout
    assert (tmp_path / "o.csv").read_text(encoding="utf-8") == "id,access,covered\nc0,0.5,1\n"
    bad = tuoyu(*args, "--supply", str(tmp_path / "missing.csv"))
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and bad.stderr.count("\n") == 1


def test_serve_with_two_processes_answers_and_stops_them_both(tmp_path):
    import http.client
    import signal
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, TUOYU_DATA=str(tmp_path), TUOYU_WORKER_INTERVAL="0")
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tuoyu", "serve", "--port", str(port), "--processes", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = None
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/static/tuoyu/site.css")
                status = conn.getresponse().status
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        children = _children_of(server.pid)
        assert len(children) == 1  # the second process, forked from the first
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for _ in range(50):
        if not any(os.path.exists(f"/proc/{pid}") for pid in children):
            break
        time.sleep(0.1)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in children)


def _children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found
