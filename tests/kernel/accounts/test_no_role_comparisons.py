"""Access is decided in one place: no code outside the accounts package compares a user's role.

Packages declare who may do what (``actions`` modules, models' ``access_scope``) and ask
``access.permits``/``authorize``/``scoped``; a hand-written ``user.role == …`` anywhere else is a
second place where access is decided, and drifts from the first.
"""

from __future__ import annotations

import re
from pathlib import Path

import tuoyu

SOURCE = Path(tuoyu.__file__).parent
ACCOUNTS = SOURCE / "kernel" / "accounts"

# What a comparison of roles looks like in Python and in templates.
PATTERNS = {
    "compares .role": re.compile(r"\.role\s*(==|!=|\bin\b|\bis\b|\bnot\b)"),
    "compares with Role": re.compile(r"(==|!=|\bis\b|\bin\b)\s*(not\s+)?Role\.[A-Z]"),
    "compares a role variable": re.compile(r"\brole\s+(==|!=|is|in|not in)\s"),
    "filters by role": re.compile(r"(filter|exclude|Q)\([^)]*\brole(__in)?\s*="),
    "groups of roles": re.compile(r"\b(REGIONAL_ROLES|INSTITUTION_ROLES)\b"),
}
TEMPLATE_PATTERN = re.compile(r"user\.role\b(?!_label)")


def _python_files() -> list[Path]:
    return [
        path
        for path in SOURCE.rglob("*.py")
        if ACCOUNTS not in path.parents and "migrations" not in path.parts and "engines" not in path.parts
    ]


def test_no_python_outside_accounts_compares_roles():
    found = []
    for path in _python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Staff posts (StaffRole) are facts about people at work, not accounts' roles.
            if "StaffRole" in line or line.lstrip().startswith("for "):
                continue
            for what, pattern in PATTERNS.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(SOURCE)}:{number}: {what}: {line.strip()}")
    assert not found, "decide access through access.permits/authorize/scoped instead:\n" + "\n".join(found)


def test_no_template_compares_roles():
    found = [
        f"{path.relative_to(SOURCE)}: {match.group(0)}"
        for path in SOURCE.rglob("*.html")
        for match in TEMPLATE_PATTERN.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "pass the decision from the view (access.permits) instead:\n" + "\n".join(found)


def test_the_scan_recognises_a_role_comparison():
    # The scan is only as good as its patterns: each must catch the shape it names.
    samples = {
        "compares .role": "if user.role == Role.MANAGER:",
        "compares with Role": "if post is Role.GUARDIAN:",
        "compares a role variable": "if role in allowed:",
        "filters by role": "User.objects.filter(role=Role.REGULATOR)",
        "groups of roles": "if x in INSTITUTION_ROLES:",
    }
    for what, line in samples.items():
        assert PATTERNS[what].search(line), what
    assert TEMPLATE_PATTERN.search('{% if user.role == "manager" %}')
    assert not TEMPLATE_PATTERN.search("{{ user.role_label }}")
