"""Morning checks benchmark: a province's morning submitted class by class over HTTP, against the floor.

    .venv/bin/python benchmarks/morning_checks.py [--children 300000] [--class-size 20]
        [--clients 8] [--server-processes 2] [--server-threads 8] [--database tuoyu_bench] [--sick-share 0.02]

The province (issue 11, item 12): 300,000 children in 15,000 classes of 20, four classes an
institution, each child admitted (N12) and each class kept by its own caregiver account. A fresh
PostgreSQL database (``--database``, dropped and created; the server at 127.0.0.1:5432 as user
postgres) is migrated and filled; then ``tuoyu serve`` runs on it and ``--clients`` threads play
the caregivers: each opens its class's check page (GET, as the phone does, which also gives the
form its CSRF token) and saves the morning (POST) with every child present and ``--sick-share``
of them with a fever. The server runs ``--server-processes`` processes (one a core) of
``--server-threads`` threads, and does everything it does for a real class: the keeper and
admission checks, the rows, the audit trail, the guardians' notices and the outbreak rescan.

The floor: the same ClassCheck and ChildCheck rows inserted by psycopg ``executemany`` in one
connection and one transaction, nothing else. Printed: both times, the ratio, and the p50/p95 of
the POSTs. Goals: the whole morning ≤ 10 minutes on a 2-core machine, ratio ≤ 10×, p95 ≤ 300 ms.
Nothing here is judged by the exit status but the rows: 1 if the server saved a different number
of checks than it was sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG = "postgres://postgres@127.0.0.1:5432"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fresh_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def tuoyu(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tuoyu.cli", *args], env=env, check=True, capture_output=True
    )


def build_province(children: int, class_size: int, today: dt.date) -> list[tuple[int, str, list[int]]]:
    """The province's rows, bulk-inserted; returns (class pk, session key, child pks) per class."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from tuoyu.engines.identifiers import make_credit_code, make_id_number
    from tuoyu.kernel.accounts.models import Role, User
    from tuoyu.kernel.people.models import AdmissionCheck, CareClass, Child, ClassType
    from tuoyu.kernel.regions.models import Region
    from tuoyu.kernel.registry.models import (
        Institution,
        LegalForm,
        Membership,
        Nature,
        Operator,
        ProvisionModel,
        Status,
    )

    classes_n = children // class_size
    institutions_n = max(1, classes_n // 4)
    province = Region.objects.create(code="510000", name="示例省", synthetic=True)
    city = Region.objects.create(code="510500", name="示例市", parent=province, synthetic=True)
    county = Region.objects.create(code="510502", name="示例区", parent=city, synthetic=True)
    subdistricts = [
        Region.objects.create(code=f"510502{n:03d}", name=f"示例街道{n}", parent=county, synthetic=True)
        for n in range(1, max(2, institutions_n // 50) + 1)
    ]
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                name=f"示例托育园{n}",
                credit_code=make_credit_code("9", "1", "510502", f"MA{n:07d}"),
                legal_form=LegalForm.ENTERPRISE,
                nature=Nature.FOR_PROFIT,
                operator=Operator.PRIVATE,
                service_types=["full_day"],
                subdistrict=subdistricts[n % len(subdistricts)],
                address=f"示例路{n}号",
                places=4 * class_size,
                contact_phone="13800000001",
                status=Status.FILED,
                provision_model=ProvisionModel.MARKET,
            )
            for n in range(institutions_n)
        ],
        batch_size=2000,
    )
    classes = CareClass.objects.bulk_create(
        [
            CareClass(
                institution=institutions[n // 4],
                name=f"托大{n % 4 + 1}班",
                class_type=ClassType.OLDER_TODDLER,
            )
            for n in range(classes_n)
        ],
        batch_size=5000,
    )
    kids = []
    for n in range(classes_n * class_size):
        born = today - dt.timedelta(days=760 + n % 300)
        kids.append(
            Child(
                name=f"幼儿{n}",
                birth_date=born,
                id_number=make_id_number("510502", born, n // 300 % 1000),
                sex="female" if n % 2 else "male",
                institution_id=classes[n // class_size].institution_id,
                care_class=classes[n // class_size],
                enrolled_on=today - dt.timedelta(days=200),
            )
        )
    kids = Child.objects.bulk_create(kids, batch_size=5000)
    AdmissionCheck.objects.bulk_create(
        [
            AdmissionCheck(
                child=k,
                vaccination_checked_on=k.enrolled_on,
                health_check_on=k.enrolled_on,
                hospital="示例妇幼保健院",
            )
            for k in kids
        ],
        batch_size=5000,
    )
    password = make_password(secrets.token_urlsafe(16))
    users = User.objects.bulk_create(
        [
            User(
                username=f"caregiver{n}",
                display_name=f"保育员{n}",
                role=Role.CAREGIVER,
                region=classes[n].institution.subdistrict,
                password=password,
            )
            for n in range(classes_n)
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, institution_id=c.institution_id) for u, c in zip(users, classes, strict=True)],
        batch_size=5000,
    )
    Keepers = CareClass.keepers.through
    Keepers.objects.bulk_create(
        [Keepers(careclass_id=c.pk, user_id=u.pk) for u, c in zip(users, classes, strict=True)],
        batch_size=5000,
    )
    store = SessionStore()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)
    sessions = []
    for user in users:
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=secrets.token_hex(16), session_data=store.encode(data), expire_date=expires)
        )
    Session.objects.bulk_create(sessions, batch_size=5000)
    by_class: dict[int, list[int]] = {}
    for k in kids:
        by_class.setdefault(k.care_class_id, []).append(k.pk)
    return [(c.pk, s.session_key, by_class[c.pk]) for c, s in zip(classes, sessions, strict=True)]


def floor(url: str, plan, today: dt.date, user_ids: dict[int, int]) -> float:
    """The same rows by psycopg executemany, one connection, one transaction; then removed."""
    import psycopg

    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        with conn.cursor() as cur:
            now = dt.datetime.now(dt.UTC)
            cur.executemany(
                "INSERT INTO health_classcheck (care_class_id, date, sitting, recorded_by_id, recorded_at)"
                " VALUES (%s, %s, 'morning', %s, %s)",
                [(pk, today, user_ids[pk], now) for pk, _, _ in plan],
            )
            cur.execute("SELECT id, care_class_id FROM health_classcheck WHERE date = %s", (today,))
            check_of = {class_pk: pk for pk, class_pk in cur.fetchall()}
            cur.executemany(
                "INSERT INTO health_childcheck (class_check_id, child_id, present, symptoms, diagnosis, action, note)"
                " VALUES (%s, %s, true, '[]', '', '', '')",
                [(check_of[pk], child) for pk, _, kids in plan for child in kids],
            )
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("DELETE FROM health_childcheck")
        conn.execute("DELETE FROM health_classcheck")
        conn.commit()
    return elapsed


class Caregiver(threading.local):
    conn: http.client.HTTPConnection | None = None


def submit(port: int, local: Caregiver, item, today: dt.date, sick_share: float) -> float:
    class_pk, session, kids = item
    if local.conn is None:
        local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn = local.conn
    path = f"/classes/{class_pk}/check/?sitting=morning"
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    page = conn.getresponse()
    body = page.read().decode()
    if page.status != 200:
        raise RuntimeError(f"GET {path}: {page.status}")
    csrf = [c.split(";")[0] for c in page.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")]
    cookie = f"sessionid={session}" + (f"; {csrf[0]}" if csrf else "")
    form = {
        "csrfmiddlewaretoken": TOKEN.search(body).group(1),
        "date": today.isoformat(),
        "sitting": "morning",
        "seen": "",
    }
    for n, child in enumerate(kids):
        if (class_pk * 31 + n) % round(1 / sick_share) == 0:
            form[f"c{child}-temperature"] = "38.1"
            form[f"c{child}-symptoms"] = "fever"
            form[f"c{child}-action"] = "guardian_notified"
    data = urllib.parse.urlencode(form)
    start = time.perf_counter()
    conn.request(
        "POST",
        path,
        body=data,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = conn.getresponse()
    answer.read()
    elapsed = time.perf_counter() - start
    if answer.status != 302:
        raise RuntimeError(f"POST {path}: {answer.status}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--class-size", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server-threads", type=int, default=8)
    parser.add_argument("--server-processes", type=int, default=2)
    parser.add_argument("--database", default="tuoyu_bench")
    parser.add_argument("--sick-share", type=float, default=0.02)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    url = fresh_database(args.database)
    data = tempfile.mkdtemp(prefix="tuoyu-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TUOYU_DATA": data,
        "TUOYU_PLAIN_HTTP": "1",
        "TUOYU_WORKER_INTERVAL": "0",
        "TUOYU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "tuoyu.site.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    tuoyu("migrate", env=env)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from tuoyu import clock
    from tuoyu.domains.health.models import ChildCheck
    from tuoyu.kernel.people.models import CareClass

    today = clock.today()
    start = time.perf_counter()
    plan = build_province(args.children, args.class_size, today)
    children = sum(len(kids) for _, _, kids in plan)
    print(
        f"province: {children:,} children in {len(plan):,} classes, built in {time.perf_counter() - start:.0f} s"
    )
    keepers = dict(CareClass.keepers.through.objects.values_list("careclass_id", "user_id"))
    floor_s = floor(url, plan, today, keepers)
    print(f"floor (psycopg executemany, one connection): {floor_s:.2f} s")

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuoyu.cli",
            "serve",
            "--port",
            str(args.port),
            "--threads",
            str(args.server_threads),
            "--processes",
            str(args.server_processes),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request(
                    "GET", "/accounts/login/"
                )
                break
            except OSError:
                time.sleep(0.2)
        local = Caregiver()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            posts = list(pool.map(lambda item: submit(args.port, local, item, today, args.sick_share), plan))
        whole = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = ChildCheck.objects.filter(class_check__date=today).count()
    p50, p95 = statistics.median(posts), statistics.quantiles(posts, n=20)[18]
    print(
        f"over HTTP ({args.clients} caregivers at once, {args.server_processes} server processes of"
        f" {args.server_threads} threads): {whole:.1f} s for the morning"
    )
    print(f"  per class POST: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"ratio (HTTP / floor): {whole / floor_s:.1f}x")
    print(f"rows saved: {saved:,} of {children:,}")
    return 0 if saved == children else 1


if __name__ == "__main__":
    sys.exit(main())
