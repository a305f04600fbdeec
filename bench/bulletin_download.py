"""Downloading an issued bulletin's PDF, 4 and 16 readers at once, against a bare Django view.

    .venv/bin/python bench/bulletin_download.py [--requests 10] [--workers 5]
                                                [--database-url postgres://.../kaohe_bench]

Builds the demo county into a temporary SQLite database (or the PostgreSQL database named by
--database-url), draws and stores its issued bulletins' files with `kaohe bulletins render`
(timed: that drawing is what a download used to do inside the request, 15-30 s for a county's
40-page monthly bulletin), starts gunicorn on a free loopback port, and has 4 and then 16
logged-in readers hit /healthz (Django's bare view) and the stored PDF of the latest issued
bulletin on the same server in the same run. A download only hashes and streams the stored
file, so its cost should stay a small multiple of the bare view's at any concurrency. Prints
throughput, median and 95th-percentile latency and the ratios; only the ratios are meant to be
compared across machines. Needs nothing beyond the standard library and gunicorn.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from battlemap_load import (  # a sibling script in bench/, not a package
    ROOT,
    _phase,
    demo_env,
    gunicorn,
    logged_in,
    say,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="per reader and path")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()

    env = demo_env("kaohe-bulletin-", args.database_url)
    t0 = time.perf_counter()
    drawn = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "bulletins", "render"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    draw_seconds = time.perf_counter() - t0
    count = int(re.search(r"(\d+) bulletin\(s\) drawn", drawn).group(1))  # type: ignore[union-attr]

    results: list[tuple[int, dict[str, float], dict[str, float]]] = []
    with gunicorn(env, args.workers) as base:
        readers = logged_in(base, 16)
        _status, listing = readers[0].get("/bulletins/")
        match = re.search(rb'href="(/bulletins/\d+/pdf/)"', listing)
        if match is None:
            raise RuntimeError("the demo has no issued bulletin")
        pdf_path = match.group(1).decode()
        status, first = readers[0].get(pdf_path)
        if status != 200 or not first.startswith(b"%PDF"):
            raise RuntimeError(f"{pdf_path} did not answer the stored PDF ({status})")
        say(
            f"{count} bulletins drawn and stored in {draw_seconds:.1f} s "
            f"({draw_seconds / max(count, 1):.1f} s each, what a request used to take); "
            f"gunicorn with {args.workers} sync workers; {pdf_path} is {len(first) / 1024:.0f} KB; "
            f"{args.requests} requests per reader and path"
        )
        for n in (4, 16):
            bare = _phase(readers[:n], "/healthz", args.requests, b'"ok"')
            pdf = _phase(readers[:n], pdf_path, args.requests, b"%PDF")
            results.append((n, bare, pdf))
    for n, bare, pdf in results:
        for name, r in (("bare view /healthz", bare), ("stored bulletin PDF", pdf)):
            say(
                f"{n:2d} readers  {name:20s} {r['n']:5.0f} requests  "
                f"{r['throughput']:8.1f} req/s  p50 {r['p50'] * 1e3:7.1f} ms  "
                f"p95 {r['p95'] * 1e3:7.1f} ms"
            )
        ratio = pdf["throughput"] / bare["throughput"]
        say(
            f"{n:2d} readers  PDF download / bare view: throughput ratio {ratio:.3f}, "
            f"p95 ratio {pdf['p95'] / bare['p95']:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
