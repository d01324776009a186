"""Every environment variable the code reads is documented where operators look for it.

The names are found in the source itself, by reading its syntax tree: `os.environ.get(NAME)`,
`os.environ[NAME]`, `os.environ.setdefault(NAME, …)`, `os.getenv(NAME)`, `NAME in os.environ`, and
calls to the settings' own helpers whose name says they read the environment (`_env_flag(NAME)`).
A variable read under src/ must be in settings.py's docstring and in docs/deployment.md; one read by
dev.py in docs/deployment.md.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "tuoyu"
SETTINGS = SRC / "site" / "settings.py"
DEPLOYMENT = ROOT / "docs" / "deployment.md"


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _reads_environment(call: ast.Call) -> bool:
    function = call.func
    if isinstance(function, ast.Attribute):
        if function.attr in {"get", "setdefault", "pop"}:
            return _is_environ(function.value)
        return function.attr == "getenv"
    return isinstance(function, ast.Name) and "env" in function.id.lower()


def environment_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        name = None
        if isinstance(node, ast.Call) and node.args and _reads_environment(node):
            name = _literal(node.args[0])
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = _literal(node.slice)
        elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
            name = _literal(node.left)
        if name:
            names.add(name)
    return names


def _documented(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Z0-9_]){re.escape(name)}(?![A-Z0-9_])", text) is not None


def _read_in_src() -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for name in environment_names(path):
            where.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return where


def test_the_scan_finds_the_variables_it_must_see():
    # A scan that silently found nothing would pass every check below.
    found = _read_in_src()
    assert {"TUOYU_DATA", "DATABASE_URL", "TUOYU_DEBUG", "TUOYU_ADMIN_PASSWORD"} <= found.keys()
    assert "TUOYU_VENV" in environment_names(ROOT / "dev.py")


def test_every_variable_read_under_src_is_in_the_settings_docstring():
    docstring = ast.get_docstring(ast.parse(SETTINGS.read_text(encoding="utf-8"))) or ""
    missing = {name: paths for name, paths in _read_in_src().items() if not _documented(docstring, name)}
    assert not missing, f"document these in {SETTINGS.relative_to(ROOT)}'s docstring: {missing}"


@pytest.mark.parametrize("source", ["src", "dev.py"])
def test_every_variable_read_is_in_the_deployment_guide(source):
    text = DEPLOYMENT.read_text(encoding="utf-8")
    read = _read_in_src() if source == "src" else {n: ["dev.py"] for n in environment_names(ROOT / "dev.py")}
    missing = {name: paths for name, paths in read.items() if not _documented(text, name)}
    assert not missing, f"document these in docs/deployment.md: {missing}"
