"""Deadline rush: every township and department submits its monthly values at once.

    .venv/bin/python bench/deadline_rush.py            (or: make bench)

On PostgreSQL (database ``kaohe_bench_rush`` on 127.0.0.1:5432, created when missing; set
KAOHE_BENCH_RUSH_URL to use another) with the demo county built, a real gunicorn server is
started over loopback, configured as ``kaohe serve`` configures it (sync workers; 2 by default,
KAOHE_WEB_WORKERS). One unit user per assessed unit (44) logs in through the login page; then
each unit's values for the current month go in at once, several threads per unit (default 2,
KAOHE_BENCH_THREADS), each submission a GET of the real fill form (CSRF token, version, data
item inputs) and a POST to it. The baseline, on the same server in the same run and with the
same threads, is a bare Django view (HttpResponse("ok")) requested as many times.

Printed: throughput and p95 latency of the submissions (the POST) and of the bare view, and the
ratios. Afterwards every submission is checked in the database: it landed exactly once, as a
submitted report, with exactly one ``report.submit`` audit event. Nothing asserts on timing.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DB_URL = os.environ.get(
    "KAOHE_BENCH_RUSH_URL", "postgres://postgres@127.0.0.1:5432/kaohe_bench_rush"
)
DATA_DIR = os.path.join(tempfile.gettempdir(), "kaohe-bench-rush")
THREADS = int(os.environ.get("KAOHE_BENCH_THREADS", "2"))
WORKERS = os.environ.get("KAOHE_WEB_WORKERS", "2")
PASSWORD = "Rush-Bench-2026"  # noqa: S105 - bench accounts in a bench database
BARE = "/bench-bare/"


def wsgi_app() -> object:
    """Gunicorn's application factory: Kaohe plus one bare view on the same stack."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.urls import path

    from kaohe import urls

    urls.urlpatterns.append(path(BARE.strip("/") + "/", lambda request: HttpResponse("ok")))
    return get_wsgi_application()


def _environment() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["KAOHE_DATA_DIR"] = DATA_DIR
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    Path(DATA_DIR).mkdir(parents=True, exist_ok=True)


@dataclass
class Session:
    """One logged-in browser: a keep-alive connection and its cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _eq, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d*)"')
_ITEM = re.compile(r'name="(item_[A-Za-z0-9_]+)"')


def _login(port: int, username: str) -> Session:
    session = Session(port)
    status, page, _h = session.request("GET", "/login/")
    token = _TOKEN.search(page)
    assert token, f"no CSRF token on the login page ({status})"
    status, _page, _headers = session.request(
        "POST",
        "/login/",
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
    )
    assert status == 302, f"login of {username} failed ({status})"
    return session


def _submit(session: Session, target_pk: int, period_pk: int, n: int) -> tuple[float, int]:
    """GET the fill form, POST the value (or data items); the POST's latency and status."""
    path = f"/reports/fill/{target_pk}/{period_pk}/"
    status, page, _h = session.request("GET", path)
    assert status == 200, f"{path}: {status}"
    token = _TOKEN.search(page)
    assert token is not None
    version = _VERSION.search(page)
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "note": "月度进展（压力测试）",
        "version": version.group(1) if version else "",
    }
    items = _ITEM.findall(page)
    if items:
        for k, name in enumerate(items):
            form[name] = str(100 + n % 7 + k)
    else:
        form["value"] = str(50 + n % 13)
    started = time.perf_counter()
    status, _page, _headers = session.request("POST", path, form)
    return time.perf_counter() - started, status


def _timed_bare(session: Session) -> tuple[float, int]:
    started = time.perf_counter()
    status, _page, _h = session.request("GET", BARE)
    return time.perf_counter() - started, status


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)  # polling a starting server, not synchronising a test
    raise SystemExit("the server did not start")


def main() -> None:
    from bulk_import import ensure_database

    ensure_database(DB_URL)
    _environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    if not (Path(DATA_DIR) / "static" / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)  # pages need the manifest
    from kaohe.audit.models import AuditEvent
    from kaohe.demo import data
    from kaohe.demo.builder import demo_build, demo_exists
    from kaohe.org.models import County, Unit, User
    from kaohe.reporting.models import ProgressReport, Target
    from kaohe.reporting.selectors import current_periods

    if not demo_exists():
        started = time.perf_counter()
        demo_build()
        print(f"built the demo county in {time.perf_counter() - started:.1f} s")
    county = County.objects.get(code=data.COUNTY.code)
    month = current_periods(county_id=county.pk, today=timezone.localdate())["month"]
    # A fresh rush each run: the month's reports of an earlier run go (bench database only).
    ProgressReport.objects.filter(county=county, period=month).delete()
    units = list(Unit.objects.filter(county=county, is_assessed=True).order_by("code"))
    for unit in units:
        user, _created = User.objects.get_or_create(
            username=f"rush-{unit.code}",
            defaults={"county": county, "role": "unit", "unit": unit},
        )
        if _created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save()
    work: dict[int, list[int]] = {}
    pairs: dict[int, tuple[int, int]] = {}
    for t in Target.objects.filter(
        county=county, indicator__frequency="monthly", scheme__status="published"
    ).order_by("unit_id", "indicator__position"):
        work.setdefault(t.unit_id, []).append(t.pk)
        pairs[t.pk] = (t.unit_id, t.indicator_id)
    total = sum(len(v) for v in work.values())
    started_at = timezone.now()

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "deadline_rush:wsgi_app()",
            "--pythonpath",
            str(ROOT / "bench"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--graceful-timeout",
            "5",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env={**os.environ},
    )
    try:
        _wait_for(port, server)
        _run(port, units, work, month.pk, total)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Every submission landed exactly once, with its audit event.
    reports = list(ProgressReport.objects.filter(county=county, period=month))
    assert len(reports) == total, (len(reports), total)
    assert all(r.status == "submitted" and r.submitted_at >= started_at for r in reports)
    assert {(r.unit_id, r.indicator_id) for r in reports} == set(pairs.values())
    events: dict[str, int] = {}
    for object_id in AuditEvent.objects.filter(
        action="report.submit", object_id__in=[str(r.pk) for r in reports]
    ).values_list("object_id", flat=True):
        events[object_id] = events.get(object_id, 0) + 1
    assert all(events.get(str(r.pk)) == 1 for r in reports), "a submission lacks its audit event"
    itemised = sum(1 for r in reports if r.items)
    print(
        f"checked: {len(reports)} reports submitted exactly once ({itemised} through data "
        "items), each with exactly one report.submit audit event"
    )


def _run(port: int, units: list[Any], work: dict[int, list[int]], period: int, total: int) -> None:
    threads = len(units) * THREADS
    print(
        f"{len(units)} units x {THREADS} threads = {threads} clients, {total} monthly values, "
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1:{port}"
    )
    # Log in first (Argon2 is slow on purpose; not part of the rush).
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        sessions = dict(
            zip(
                [u.pk for u in units],
                pool.map(lambda u: _login(port, f"rush-{u.code}"), units),
                strict=True,
            )
        )
    # Each unit's targets shared among its threads; each thread its own connection.
    jobs: list[tuple[Session, list[int]]] = []
    for unit_pk, targets in work.items():
        for k in range(THREADS):
            mine = targets[k::THREADS]
            if mine:
                own = Session(port, dict(sessions[unit_pk].cookies))
                jobs.append((own, mine))
    lock = threading.Lock()

    def rush(job: tuple[Session, list[int]], out: list[tuple[float, int]]) -> None:
        session, targets = job
        for n, t in enumerate(targets):
            result = _submit(session, t, period, n)
            with lock:
                out.append(result)

    def bare(job: tuple[Session, list[int]], out: list[tuple[float, int]]) -> None:
        session, targets = job
        for _t in targets:
            result = _timed_bare(session)
            with lock:
                out.append(result)

    for name, fn in (("bare view", bare), ("submissions", rush)):
        out: list[tuple[float, int]] = []
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
            for f in [pool.submit(fn, job, out) for job in jobs]:
                f.result()
        wall = time.perf_counter() - started
        statuses = {s for _l, s in out}
        expected = {200} if fn is bare else {302}
        assert statuses == expected, f"{name}: statuses {statuses}"
        latencies = [lat for lat, _s in out]
        RESULTS[name] = (len(out) / wall, _p95(latencies), wall)
        what = "GET form + POST each, p95 of the POST" if fn is rush else "one GET each"
        print(
            f"{name} ({what}): {len(out)} in {wall:.2f} s, {len(out) / wall:.1f} per s, "
            f"p95 {_p95(latencies) * 1e3:.0f} ms, "
            f"median {statistics.median(latencies) * 1e3:.0f} ms"
        )
    (b_rate, b_p95, _bw), (s_rate, s_p95, _sw) = RESULTS["bare view"], RESULTS["submissions"]
    print(
        f"ratios, submissions against the bare view: throughput {s_rate / b_rate:.3f} "
        f"({b_rate / s_rate:.1f}x fewer per s), p95 {s_p95 / b_p95:.1f}x"
    )


RESULTS: dict[str, tuple[float, float, float]] = {}

if __name__ == "__main__":
    main()
