"""The demo county is built through the services people use, so every workflow rule applies to it:
nothing in ``devtools`` writes a row itself, except the regions and their population: a real county
imports those, but the demo also gives them coordinates and a residents' grid no import carries yet."""

import ast
from pathlib import Path

DEVTOOLS = Path(__file__).resolve().parents[2] / "src" / "tuoyu" / "devtools"
WRITES = {
    "save",
    "create",
    "bulk_create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_update",
}
ALLOWED_IN = {"regions", "population_cells"}


def _direct_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef):
                visit(child, child.name)
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in WRITES
                and function not in ALLOWED_IN
            ):
                found.append((child.lineno, f"{function}: .{child.func.attr}()"))
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_devtools_writes_only_through_services():
    offences = []
    for path in sorted(DEVTOOLS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offences += [f"{path.name}:{line}: {what}" for line, what in _direct_writes(tree)]
    assert not offences, "call the service a person's action calls:\n" + "\n".join(offences)


def test_the_scan_sees_direct_writes():
    code = (
        "def regions():\n    Region(code='1').save()\n"
        "def build():\n    Filing.objects.create(x=1)\n    rows.bulk_create([])\n    service(actor=a)\n"
    )
    assert [line for line, _ in _direct_writes(ast.parse(code))] == [4, 5]
