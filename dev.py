#!/usr/bin/env python3
"""Bootstrap for a fresh machine that has only Python 3.11: the two README commands.

    python3 dev.py demo [--port 8000] [--reset]   install into .venv, build the demo county, serve it
    python3 dev.py test [pytest args]             install into .venv with test extras, run every check

Only the standard library is used here, because nothing else is installed yet.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TUOYU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def _sh(*args: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def _check(*args: str | Path) -> None:
    code = _sh(*args)
    if code:
        raise SystemExit(code)


def install(extras: str) -> None:
    """Create .venv and install the project; skip pip when nothing it reads has changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 — this file runs under whichever python3 the user has
        raise SystemExit("tuoyu 需要 Python 3.11 或更高版本 / tuoyu needs Python 3.11 or newer")
    if not PY.exists():
        print(f"· creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    print(f"· installing {target} into {VENV}", flush=True)
    _check(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(digest)


def demo(argv: list[str]) -> int:
    install("")
    return _sh(BIN / "tuoyu", "demo", *argv)


def test(argv: list[str]) -> int:
    install("test")
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff", [BIN / "ruff", "check", *(p for p in ("src", "tests", "benchmarks", "dev.py") if (ROOT / p).exists())]),
        ("import contracts", [BIN / "lint-imports"]),
        ("migrations are complete", [BIN / "python", "-m", "django", "makemigrations", "--check", "--dry-run"]),
    ]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tuoyu.site.settings", PYTHONPATH=str(ROOT / "src"))
    for title, command in steps:
        print(f"· {title}", flush=True)
        code = _sh(*command, env=env)
        if code:
            print(f"✗ {title} failed", file=sys.stderr)
            return code
    print("· pytest", flush=True)
    code = _sh(BIN / "python", "-m", "pytest", *argv, env=env)
    # pytest exits 5 when it collected nothing: for a run asked to test everything that is a failure.
    if code == 5:
        print("✗ pytest collected no tests", file=sys.stderr)
    return code


def main() -> int:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
