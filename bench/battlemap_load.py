"""The battle map under 50 concurrent users over loopback, against a bare Django view.

    .venv/bin/python bench/battlemap_load.py [--clients 50] [--requests 10] [--workers 5]
                                             [--database-url postgres://.../kaohe_bench]

Builds the demo county into a temporary SQLite database (or the PostgreSQL database named by
--database-url, e.g. kaohe_bench, created beforehand), collects the static files, starts
gunicorn on a free loopback port, logs 50 clients in as the office (each its own session,
through the login form), then has them all hit /healthz (Django's bare view: middleware, URL
routing and a JSON response, no database) and then the battle map /map/ on the same server in
the same run. Prints each one's throughput and 95th-percentile latency and the ratios; only the
ratios are meant to be compared across machines. Needs nothing beyond the standard library and
gunicorn (a runtime dependency already).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# kaohe.demo.builder.DEMO_PASSWORD, printed by `kaohe demo build`
DEMO_PASSWORD = "Kaohe@2026"  # noqa: S105 - the demo's published password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def say(line: str) -> None:
    """One line of the benchmark's report: its standard output is the report."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def demo_env(prefix: str, database_url: str) -> dict[str, str]:
    """The environment of a freshly built demo county (a temporary SQLite file by default)."""
    data_dir = tempfile.mkdtemp(prefix=prefix)
    env = {**os.environ, "KAOHE_DATA_DIR": data_dir, "DATABASE_URL": database_url}
    env.pop("KAOHE_DEBUG", None)
    say(f"building the demo county in {database_url or data_dir} ...")
    _kaohe(env, "migrate", "--noinput", "-v", "0")
    _kaohe(env, "collectstatic", "--noinput", "-v", "0")
    _kaohe(env, "demo", "build", "--if-empty")
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, *options: str) -> Iterator[str]:
    """gunicorn on a free loopback port, answering /healthz; yields its base URL."""
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
            str(workers),
            "--timeout",
            "120",
            *options,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def logged_in(base: str, n: int) -> list[Client]:
    """n office users, each with its own session, logged in at once."""
    clients = [Client(base) for _ in range(n)]
    threads = [threading.Thread(target=c.login, args=("office", DEMO_PASSWORD)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return clients


def _kaohe(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "kaohe.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Client:
    """One user: its own cookie jar (session), logging in through the login form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.status, response.read()

    def login(self, username: str, password: str) -> None:
        _status, page = self.get("/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            raise RuntimeError("no CSRF token on the login page")
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"}
        )
        with self.opener.open(request, timeout=120) as response:
            response.read()
        status, _body = self.get("/map/")
        if status != 200:
            raise RuntimeError(f"login failed for {username}: {status}")


def _phase(clients: list[Client], path: str, requests: int, marker: bytes) -> dict[str, float]:
    """All clients at once, each making `requests` requests one after another."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(len(clients) + 1)

    def run(client: Client) -> None:
        start_line.wait()
        mine = []
        for _ in range(requests):
            t0 = time.perf_counter()
            try:
                status, body = client.get(path)
                if status != 200 or marker not in body:
                    errors.append(f"{path}: {status}")
            except OSError as exc:
                errors.append(f"{path}: {exc}")
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    start_line.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    latencies.sort()
    return {
        "n": len(latencies),
        "throughput": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10, help="per client and page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()

    env = demo_env("kaohe-load-", args.database_url)
    with gunicorn(env, args.workers, "--backlog", "512") as base:
        clients = logged_in(base, args.clients)
        say(
            f"{args.clients} clients logged in; gunicorn with {args.workers} sync workers on "
            f"{base}; {args.requests} requests per client and page"
        )
        bare = _phase(clients, "/healthz", args.requests, b'"ok"')
        page = _phase(clients, "/map/", args.requests, "挂图作战".encode())
    for name, r in (("bare view /healthz", bare), ("battle map /map/", page)):
        say(
            f"{name:20s} {r['n']:5.0f} requests  {r['throughput']:8.1f} req/s  "
            f"p50 {r['p50'] * 1e3:7.1f} ms  p95 {r['p95'] * 1e3:7.1f} ms"
        )
    say(
        f"battle map / bare view under {args.clients} concurrent users: throughput ratio "
        f"{page['throughput'] / bare['throughput']:.3f}, p95 ratio {page['p95'] / bare['p95']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
