"""Benchmarks, each reported as a ratio against a baseline measured in the same run.

    make bench

1. Warning levels for a whole county (44 units x 140 indicators) through kaohe.scoring's
   vectorised call, against the same rule applied one value at a time in plain Python.
2. The battle map page of the demo county against a bare Django view on the same server stack
   (Django's test client, SQLite in a temporary data directory), to show what the page costs
   beyond the framework itself.

Timings are medians of repeated runs; only the ratios are meant to be compared across machines.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median_seconds(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_warning_levels() -> None:
    from kaohe.scoring.warnings import WarningThresholds, warning_levels

    rng = np.random.default_rng(2022)
    n = 44 * 140
    targets = rng.uniform(50, 500, n)
    values = targets * rng.uniform(0.5, 1.2, n) * 0.83
    schedule = np.full(n, 0.83)
    th = WarningThresholds()

    def naive() -> list[int]:
        out = []
        for v, t, s in zip(values.tolist(), targets.tolist(), schedule.tolist(), strict=True):
            gap = (s - v / t) * 100
            out.append(
                0 if gap <= th.yellow else 1 if gap <= th.orange else 2 if gap <= th.red else 3
            )
        return out

    def levels_only() -> object:
        return warning_levels(values, targets, schedule, thresholds=th).levels

    assert list(warning_levels(values, targets, schedule, thresholds=th).levels) == naive()
    base = _median_seconds(naive)
    ours = _median_seconds(levels_only)
    print(
        f"warning levels, {n} values (with explanations): naive loop {base * 1e3:.1f} ms, "
        f"kaohe.scoring {ours * 1e3:.1f} ms, ratio {ours / base:.2f} "
        "(the naive loop keeps no explanation; kaohe.scoring can explain every value on demand)"
    )


def bench_battle_map() -> None:
    os.environ["KAOHE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaohe-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("demo", "build", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kaohe import urls
    from kaohe.org.models import User

    urls.urlpatterns.append(path("bench-bare/", lambda request: HttpResponse("ok")))
    client = Client()
    client.force_login(User.objects.get(username="office"))
    assert client.get("/map/").status_code == 200
    base = _median_seconds(lambda: client.get("/bench-bare/"), repeat=31)
    ours = _median_seconds(lambda: client.get("/map/"), repeat=31)
    print(
        f"battle map of the demo county: bare view {base * 1e3:.2f} ms, "
        f"battle map {ours * 1e3:.2f} ms, ratio {ours / base:.1f}"
    )


if __name__ == "__main__":
    bench_warning_levels()
    bench_battle_map()
