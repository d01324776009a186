"""One clock: the date and time in China, whatever zone the server runs in."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from tuoyu import clock

SRC = Path(__file__).resolve().parents[1] / "src" / "tuoyu"

# Read the system clock in the server's zone (or in none): a day out from 00:00 to 08:00 in Beijing
# on a UTC server. Always wrong, called or passed as a default.
_NAIVE = ("date.today", "datetime.today", "datetime.utcnow", "datetime.utcfromtimestamp")
# Correct, but a second clock: the platform's dates and times come from tuoyu.clock. (Given a
# moment, localtime and localdate only convert it; that is not reading the clock.)
_DJANGO = ("timezone.now", "timezone.localdate", "timezone.localtime")


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _ends(name: str, suffixes: tuple[str, ...]) -> bool:
    return any(name == s or name.endswith("." + s) for s in suffixes)


def _other_clocks(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _ends(_dotted(node), _NAIVE):
            found.append((node.lineno, _dotted(node)))
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if (
                _ends(name, ("datetime.now",))
                and not node.args
                and not any(k.arg == "tz" for k in node.keywords)
            ):
                found.append((node.lineno, name + "() without a time zone"))
            elif _ends(name, ("datetime.now",)) and node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, name + "(None)"))
            elif _ends(name, _DJANGO) and not node.args:
                found.append((node.lineno, name + "() — use tuoyu.clock"))
    return sorted(found)


def test_nothing_in_src_reads_the_date_or_time_but_the_clock():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative == "clock.py" or "/migrations/" in f"/{relative}":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offences += [f"src/tuoyu/{relative}:{line}: {what}" for line, what in _other_clocks(tree)]
    assert not offences, "read the date and time from tuoyu.clock:\n" + "\n".join(offences)


def test_the_scan_sees_each_kind_of_naive_clock():
    code = (
        "import datetime as dt\nfrom datetime import date, datetime\nfrom django.utils import timezone\n"
        "a = dt.date.today()\nb = date.today()\nc = datetime.now()\nd = dt.datetime.utcnow()\n"
        "e = datetime.today()\nf = timezone.localdate()\ng = datetime.now(None)\nh = timezone.now()\n"
        "ok = datetime.now(tz=dt.UTC)\nok1 = timezone.localtime(moment)\nok2 = dt.datetime.now(ZONE)\nok3 = models.DateTimeField(default=timezone.now)\n"
    )
    assert [line for line, _ in _other_clocks(ast.parse(code))] == [4, 5, 6, 7, 8, 9, 10, 11]


def test_the_clock_is_china_standard_time():
    moment = clock.now()
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert clock.today() in (moment.date(), moment.date() + dt.timedelta(days=1))  # unless midnight passed


def test_django_keeps_the_same_clock():
    assert settings.TIME_ZONE == clock.ZONE_NAME
    before, local, after = clock.today(), timezone.localdate(), clock.today()
    assert local in (before, after)


def test_replaying_sets_the_clock_for_the_block_only():
    with clock.replaying(dt.date(2024, 2, 29)):
        assert clock.today() == dt.date(2024, 2, 29)
        assert clock.now() == dt.datetime(2024, 2, 29, 10, 30, tzinfo=clock.ZONE)
        with clock.replaying(dt.datetime(2025, 1, 1, 23, 30, tzinfo=dt.UTC)):
            assert clock.today() == dt.date(2025, 1, 2)  # 07:30 in Beijing
        assert clock.today() == dt.date(2024, 2, 29)
    assert clock.today() != dt.date(2024, 2, 29)


def test_model_timestamps_follow_the_clock(db):
    from tuoyu.kernel.audit.models import AuditEvent

    with clock.replaying(dt.date(2023, 5, 4)):
        assert AuditEvent().at.date() == dt.date(2023, 5, 4)
    defaults = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "default", None) is timezone.now
    } - {"accounts.User.date_joined"}  # Django's own bookkeeping on the user it defines
    assert not defaults, "default=tuoyu.clock.now instead"


def test_only_the_demo_replays_the_clock():
    users = sorted(
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "replaying(" in path.read_text(encoding="utf-8") and path.name != "clock.py"
    )
    assert users == ["devtools/demo_county.py"]
