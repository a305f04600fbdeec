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
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from battlemap_load import (  # a sibling script in bench/, not a package
    DEMO_PASSWORD,
    ROOT,
    Client,
    _free_port,
    _kaohe,
    _phase,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="per reader and path")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="kaohe-bulletin-")
    env = {**os.environ, "KAOHE_DATA_DIR": data_dir, "DATABASE_URL": args.database_url}
    env.pop("KAOHE_DEBUG", None)
    print(f"building the demo county in {args.database_url or data_dir} ...", flush=True)
    _kaohe(env, "migrate", "--noinput", "-v", "0")
    _kaohe(env, "collectstatic", "--noinput", "-v", "0")
    _kaohe(env, "demo", "build", "--if-empty")
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

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kaohe.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: list[tuple[int, dict[str, float], dict[str, float]]] = []
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for gunicorn to answer
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)  # polling a starting server, not synchronising a test
        readers = [Client(base) for _ in range(16)]
        logins = [threading.Thread(target=c.login, args=("office", DEMO_PASSWORD)) for c in readers]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        _status, listing = readers[0].get("/bulletins/")
        match = re.search(rb'href="(/bulletins/\d+/pdf/)"', listing)
        if match is None:
            raise RuntimeError("the demo has no issued bulletin")
        pdf_path = match.group(1).decode()
        status, first = readers[0].get(pdf_path)
        if status != 200 or not first.startswith(b"%PDF"):
            raise RuntimeError(f"{pdf_path} did not answer the stored PDF ({status})")
        print(
            f"{count} bulletins drawn and stored in {draw_seconds:.1f} s "
            f"({draw_seconds / max(count, 1):.1f} s each, what a request used to take); "
            f"gunicorn with {args.workers} sync workers; {pdf_path} is {len(first) / 1024:.0f} KB; "
            f"{args.requests} requests per reader and path",
            flush=True,
        )
        for n in (4, 16):
            bare = _phase(readers[:n], "/healthz", args.requests, b'"ok"')
            pdf = _phase(readers[:n], pdf_path, args.requests, b"%PDF")
            results.append((n, bare, pdf))
    finally:
        server.terminate()
        server.wait(timeout=30)
    for n, bare, pdf in results:
        for name, r in (("bare view /healthz", bare), ("stored bulletin PDF", pdf)):
            print(
                f"{n:2d} readers  {name:20s} {r['n']:5.0f} requests  "
                f"{r['throughput']:8.1f} req/s  p50 {r['p50'] * 1e3:7.1f} ms  "
                f"p95 {r['p95'] * 1e3:7.1f} ms"
            )
        ratio = pdf["throughput"] / bare["throughput"]
        print(
            f"{n:2d} readers  PDF download / bare view: throughput ratio {ratio:.3f}, "
            f"p95 ratio {pdf['p95'] / bare['p95']:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
