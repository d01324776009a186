#!/usr/bin/env python3
"""Bootstrap for a fresh machine that has only Python 3.11: the README commands.

    python3 dev.py demo [--port 8000] [--reset]   install into .venv, build the demo county, serve it
    python3 dev.py test [pytest args]             install into .venv with test extras, run every check
    python3 dev.py lock [--upgrade | --upgrade-package NAME]
                                                  re-resolve requirements/*.lock from pyproject.toml

`demo` and `test` install exactly the versions and files pinned in requirements/base.lock and
requirements/test.lock (every file's sha256 is checked), then the project itself, editable.
`--without-compiled` right after `demo` or `test` leaves out the `compiled` extra (numba), to check
that the platform works without it. `lock` keeps every pin that still satisfies pyproject.toml
unless told to upgrade; it needs the network and takes well under a minute.

TUOYU_VENV  the virtual environment to install into and run from; default .venv in this folder

Only the standard library is used here, because nothing else is installed yet.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TUOYU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCKS = ROOT / "requirements"
# Each install flavour: the extras it pins. `base` is what the demo and a server run.
FLAVOURS = {"base": ("compiled",), "test": ("compiled", "test")}
# The resolver that writes the lock files, pinned so that a refresh means the same thing every time.
LOCKER = "uv==0.13.9"
PIP = ("-m", "pip", "--disable-pip-version-check")


def _sh(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> int:
    return subprocess.call([str(a) for a in args], cwd=cwd, env=env)


def _check(*args: str | Path, cwd: Path = ROOT) -> None:
    code = _sh(*args, cwd=cwd)
    if code:
        raise SystemExit(code)


def _python_is_new_enough() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 — this file runs under whichever python3 the user has
        raise SystemExit("tuoyu 需要 Python 3.11 或更高版本 / tuoyu needs Python 3.11 or newer")


def install(flavour: str, *, compiled: bool = True) -> None:
    """Create the venv and install the flavour's lock file; skip pip when nothing it reads has changed."""
    _python_is_new_enough()
    lock = LOCKS / f"{flavour}.lock"
    if not PY.exists():
        print(f"· creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    # One stamp for the whole venv: installing another flavour, or leaving numba out, changes what
    # is installed, so the next command must not trust a stamp written for something else.
    stamp = VENV / ".installed"
    recipe = hashlib.sha256(f"{flavour} compiled={compiled}\n".encode())
    for source in (ROOT / "pyproject.toml", lock):
        recipe.update(source.read_bytes())
    if stamp.exists() and stamp.read_text() == recipe.hexdigest():
        return
    stamp.unlink(missing_ok=True)
    print(f"· installing {lock.relative_to(ROOT)} into {VENV}", flush=True)
    # The lock lists every package the project needs, so pip resolves nothing itself: an old pip
    # (Python 3.11's bundled one) otherwise reads an extra such as fonttools[woff] as a requirement of
    # its own, picks the newest release for it and refuses it as unpinned.
    _check(PY, *PIP, "install", "--quiet", "--no-deps", "--require-hashes", "-r", lock)
    # The build backend comes from the lock too (hashed), so no unpinned setuptools is fetched for
    # an isolated build of the project.
    editable = ("--no-deps", "--no-build-isolation", "--check-build-dependencies", "--editable", ROOT)
    _check(PY, *PIP, "install", "--quiet", *editable)
    if not compiled:
        # llvmlite stays: only numba imports it.
        _check(PY, *PIP, "uninstall", "--quiet", "--yes", "numba")
    stamp.write_text(recipe.hexdigest())


def _options(argv: list[str]) -> tuple[bool, list[str]]:
    if argv[:1] == ["--without-compiled"]:
        return False, argv[1:]
    return True, argv


def demo(argv: list[str]) -> int:
    compiled, argv = _options(argv)
    install("base", compiled=compiled)
    return _sh(BIN / "tuoyu", "demo", *argv)


# What the linter and the formatter read.
SOURCES = [p for p in ("src", "tests", "benchmarks", "dev.py") if (ROOT / p).exists()]


def test(argv: list[str]) -> int:
    compiled, argv = _options(argv)
    install("test", compiled=compiled)
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff", [BIN / "ruff", "check", *SOURCES]),
        ("formatting", [BIN / "ruff", "format", "--check", *SOURCES]),
        ("import contracts", [BIN / "lint-imports"]),
        (
            "migrations are complete",
            [BIN / "python", "-m", "django", "makemigrations", "--check", "--dry-run"],
        ),
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


def lock(argv: list[str]) -> int:
    """Write requirements/<flavour>.lock for every flavour, with hashes, from one resolution."""
    _python_is_new_enough()
    import tomllib  # only here: an older Python must reach the version check above

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    LOCKS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tuoyu-lock-") as scratch:
        tool = Path(scratch) / "venv"
        print(f"· installing {LOCKER} into a throwaway venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(tool)
        tool_bin = tool / ("Scripts" if os.name == "nt" else "bin")
        _check(tool_bin / "python", *PIP, "install", "--quiet", LOCKER)
        # The build backend is locked with the rest: dev.py installs the project without build
        # isolation, from what the lock put into the venv.
        build = Path(scratch) / "build-system.in"
        build.write_text("\n".join(pyproject["build-system"]["requires"]) + "\n")
        # The fullest flavour first; the others start from its pins, so that every flavour runs
        # the versions the tests ran. All are written in the scratch folder and copied into place
        # only when every one resolved, so a failure leaves the committed locks as they were.
        order = sorted(FLAVOURS, key=lambda name: -len(FLAVOURS[name]))
        for position, flavour in enumerate(order):
            out = Path(scratch) / f"{flavour}.lock"
            seed = Path(scratch) / f"{order[0]}.lock" if position else LOCKS / f"{flavour}.lock"
            if seed.exists():
                shutil.copyfile(seed, out)  # uv keeps the pins of its output file unless told to upgrade
            print(f"· resolving requirements/{flavour}.lock", flush=True)
            _check(
                tool_bin / "uv", "pip", "compile", "--quiet", "--universal", "--generate-hashes",
                "--custom-compile-command", "python3 dev.py lock",
                *(f"--extra={extra}" for extra in FLAVOURS[flavour]),
                *([] if position else argv),
                "--output-file", out, "pyproject.toml", build,
            )  # fmt: skip
            # Name the build requirements by where they come from, not by a temporary path.
            text = out.read_text(encoding="utf-8").replace(f"-r {build}", "pyproject.toml [build-system]")
            out.write_text(text, encoding="utf-8")
        for flavour in order:
            shutil.copyfile(Path(scratch) / f"{flavour}.lock", LOCKS / f"{flavour}.lock")
    print("· done: commit requirements/*.lock with the pyproject.toml change that needed them", flush=True)
    return 0


def main() -> int:
    commands = {"demo": demo, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
