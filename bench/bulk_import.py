"""Bulk import of 100,000 values through Kaohe's bulk path against PostgreSQL's COPY.

    .venv/bin/python bench/bulk_import.py            (or: make bench)

On PostgreSQL (database ``kaohe_bench_import`` on 127.0.0.1:5432, created when missing; set
KAOHE_BENCH_IMPORT_URL to use another), with the demo county built as of 2 January (so it has
targets and periods but no reports yet), an assessing department enters N values (default
100,000; KAOHE_BENCH_ROWS) for every unit's targets over the year's periods through
``kaohe.reporting.bulk.reports_enter_by_assessor``: the service behind the assessor's Excel
upload, with its access checks, parsing, data-item formulas, batched writes and one audit event
per batch. The baseline, in the same run, is a raw ``COPY`` of the same rows into a scratch table.

Printed: rows/s of both and the ratio; then, separately, the announcements that follow the
commit (one warning-recompute task enqueued per approved report, as a single approval does).
Only ratios are meant to be compared across machines; nothing asserts on timing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get(
    "KAOHE_BENCH_IMPORT_URL", "postgres://postgres@127.0.0.1:5432/kaohe_bench_import"
)
ROWS = int(os.environ.get("KAOHE_BENCH_ROWS", "100000"))


def ensure_database(url: str) -> None:
    """Create the bench database when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["KAOHE_DATA_DIR"] = data_dir
    os.environ.setdefault("KAOHE_TASK_BACKEND", "database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    ensure_database(DB_URL)
    setup_django(DB_URL, os.path.join(tempfile.gettempdir(), "kaohe-bench-import"))
    from django.db import connection, transaction

    from kaohe.demo import data
    from kaohe.demo.builder import demo_build, demo_exists
    from kaohe.org.models import County, Unit, User
    from kaohe.reporting.bulk import EnteredRow, reports_enter_by_assessor
    from kaohe.reporting.items import items_for
    from kaohe.reporting.models import Period, ProgressReport, Target
    from kaohe.schemes.models import Indicator

    if not demo_exists():
        year = dt.date.today().year
        started = time.perf_counter()
        demo_build(today=dt.date(year, 1, 2))
        print(f"built the demo county in {time.perf_counter() - started:.1f} s")
    county = County.objects.get(code=data.COUNTY.code)
    dept = Unit.objects.get(county=county, code="D03")
    user, _created = User.objects.get_or_create(
        username="bench-assessor", defaults={"county": county, "role": "assessor", "unit": dept}
    )
    # Bench setup, not a business write: the department assesses every leaf here, so one
    # upload can carry 100k values.
    Indicator.objects.filter(county=county, children__isnull=True).update(assessor=dept)
    ProgressReport.objects.filter(county=county).delete()  # the previous run's rows

    # This year's scheme (the demo also keeps last year's, closed).
    targets = list(
        Target.objects.filter(county=county, scheme__status="published")
        .select_related("indicator", "unit")
        .order_by("pk")
    )
    periods = list(
        Period.objects.filter(county=county, scheme__status="published").order_by("kind", "number")
    )
    items = items_for(t.indicator for t in targets)
    rng = random.Random(2022)
    rows: list[EnteredRow] = []
    for period in periods:
        for t in targets:
            if len(rows) == ROWS:
                break
            value = f"{rng.uniform(1, 500):.2f}"
            own = items.get(t.indicator_id)
            if own:
                rows.append(
                    EnteredRow(
                        t, period, "", "bench", {d.code: f"{rng.uniform(50, 150):.2f}" for d in own}
                    )
                )
            else:
                rows.append(EnteredRow(t, period, value, "bench"))
    itemised = sum(1 for r in rows if r.items)
    print(
        f"{len(rows)} values: {len(targets)} targets x {len(periods)} periods, "
        f"{itemised} of them through data items"
    )

    # Baseline: COPY of the same rows into a scratch table (values as the service stores them).
    from kaohe.reporting.items import compute

    copy_rows = []
    for r in rows:
        t = r.target
        if r.items:
            value, kept = compute(t.indicator, items[t.indicator_id], r.items)
        else:
            value, kept = r.value, {}
        copy_rows.append((t.county_id, t.unit_id, t.indicator_id, r.period.pk, value, kept))
    import json

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy")
        cur.execute(
            "CREATE TABLE bench_copy (county_id int, unit_id int, indicator_id int, "
            "period_id int, value numeric(16, 4), items jsonb, note text, status varchar(16))"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor  # psycopg 3
        with raw.copy(
            "COPY bench_copy (county_id, unit_id, indicator_id, period_id, value, items, "
            "note, status) FROM STDIN"
        ) as copy:
            for c, u, i, p, v, kept in copy_rows:
                copy.write_row((c, u, i, p, str(v), json.dumps(kept), "bench", "approved"))
    copy_s = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM bench_copy")
        assert cur.fetchone()[0] == len(rows)
        cur.execute("DROP TABLE bench_copy")

    # Kaohe's bulk path; the on-commit announcements are timed separately.
    started = time.perf_counter()
    with transaction.atomic():
        saved = reports_enter_by_assessor(user=user, rows=rows)
        service_s = time.perf_counter() - started
        callbacks = list(connection.run_on_commit)
        connection.run_on_commit = []  # run below, timed on their own
    commit_s = time.perf_counter() - started
    started = time.perf_counter()
    from django_tasks_db.models import DBTaskResult

    tasks_before = DBTaskResult.objects.count()
    for _sids, func, _robust in callbacks:
        func()
    announce_s = time.perf_counter() - started
    announced = DBTaskResult.objects.count() - tasks_before

    assert len(saved) == len(rows) == ProgressReport.objects.filter(county=county).count()
    from kaohe.audit.models import AuditEvent

    events = AuditEvent.objects.filter(action="report.enter", actor_id=user.pk).order_by("-seq")
    batch_events = list(events[: -(-len(rows) // 2000)])
    named = sum(len(e.after["rows"]) for e in batch_events)
    assert named == len(rows), (named, len(rows))

    n = len(rows)
    print(f"COPY into a scratch table: {copy_s:.2f} s, {n / copy_s:,.0f} rows/s")
    print(
        f"kaohe bulk entry (checks, formulas, batched writes, {len(batch_events)} audit events "
        f"naming every row): {service_s:.2f} s in the service, {commit_s:.2f} s with the commit, "
        f"{n / commit_s:,.0f} rows/s"
    )
    print(f"ratio bulk entry / COPY: {commit_s / copy_s:.1f}x the time of COPY")
    print(
        f"then, after the commit, {announced} warning tasks enqueued (the latest period of "
        f"each unit and indicator touched): {announce_s:.2f} s"
    )


if __name__ == "__main__":
    main()
