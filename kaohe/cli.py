"""The `kaohe` command: Django's management commands under one name, plus `serve`.

kaohe migrate | kaohe demo build | kaohe audit verify | kaohe <any management command>
kaohe serve [--bind 127.0.0.1:8000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def serve(argv: list[str]) -> int:
    """Serve Kaohe with gunicorn and run the background task worker beside it."""
    parser = argparse.ArgumentParser(prog="kaohe serve")
    parser.add_argument("--bind", default=os.environ.get("KAOHE_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", default=os.environ.get("KAOHE_WEB_WORKERS", "2"))
    parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
    args = parser.parse_args(argv)
    procs: list[subprocess.Popen[bytes]] = []
    if not args.no_worker:
        procs.append(subprocess.Popen([sys.executable, "-m", "kaohe.cli", "db_worker"]))
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
            proc.wait(timeout=15)
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
