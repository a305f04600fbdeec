"""The `kaohe` command: Django's management commands under one name, plus `serve`.

kaohe migrate | kaohe demo build | kaohe audit verify | kaohe <any management command>
kaohe serve [--bind 127.0.0.1:8000] [--workers 2] [--no-worker] [--no-scheduler]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def serve(argv: list[str]) -> int:
    """Serve Kaohe with gunicorn, and run beside it the background task worker and the
    scheduler that starts the cadence jobs on time (so no cron is needed)."""
    parser = argparse.ArgumentParser(prog="kaohe serve")
    parser.add_argument("--bind", default=os.environ.get("KAOHE_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", default=os.environ.get("KAOHE_WEB_WORKERS", "2"))
    parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not start the cadence scheduler"
    )
    args = parser.parse_args(argv)
    procs: list[subprocess.Popen[bytes]] = []
    if not args.no_worker:
        procs.append(subprocess.Popen([sys.executable, "-m", "kaohe.cli", "db_worker"]))
    # Safe on every server of a cluster: a due job is started once whichever claims it.
    if not args.no_scheduler:
        procs.append(subprocess.Popen([sys.executable, "-m", "kaohe.cli", "scheduler"]))
    web = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kaohe.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
    )
    procs.append(web)
    sys.stdout.write(f"Kaohe serving on http://{args.bind}/ (Ctrl-C stops it)\n")
    sys.stdout.flush()

    def stop(signum: int, frame: object) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        stop(0, None)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a worker deep in a long task: end it now
                proc.kill()
                proc.wait()
    return code


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    argv = sys.argv[1:]
    if argv[:1] == ["serve"]:
        sys.exit(serve(argv[1:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kaohe", *argv])


if __name__ == "__main__":
    main()
