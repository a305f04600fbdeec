"""`kaohe serve` serves Kaohe with gunicorn and starts the task worker and the cadence
scheduler beside it."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kaohe(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "kaohe.cli", *args], env=env, check=True, capture_output=True
    )


def _line_with(server: subprocess.Popen[str], text: str, seconds: float = 30) -> str:
    """The first line of the server's output that holds `text`, waiting at most `seconds`
    for it to be written (select on the pipe: the wait ends as soon as output arrives; the
    pipe is read with os.read, so nothing waits unseen in a Python buffer)."""
    assert server.stdout is not None
    fd = server.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + seconds
    while text.encode() not in seen and time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], deadline - time.monotonic())
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            break
        seen += chunk
    lines = [line for line in seen.decode(errors="replace").splitlines() if text in line]
    return lines[0] if lines else ""


def _child_command_lines(pid: int) -> list[str]:
    """Whole command lines of a process's children, read from /proc.

    Not ``ps``: it cuts its output to the terminal's width (80 columns without one), so a long
    checkout path pushed the program's name out of sight.
    """
    lines = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended while we looked
        # Field 4 of stat is the parent's pid; the command name before it may hold spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            lines.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return lines


def test_it_serves_the_login_page_in_chinese_and_runs_the_worker_and_scheduler(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KAOHE_", "DATABASE_URL"))},
        "KAOHE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kaohe.settings",
    }
    _kaohe(["migrate", "-v", "0"], env)
    _kaohe(["collectstatic", "--noinput", "-v", "0"], env)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kaohe.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Wait for the condition (the port accepts a connection), bounded at 30 s.
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "kaohe serve exited early"
                assert time.monotonic() < deadline, "kaohe serve did not listen within 30 s"
                time.sleep(0.2)  # poll interval, not synchronisation: the loop waits for the port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
            body = page.read().decode()
        assert "登录考核系统" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js", timeout=10
        ) as js:
            assert js.status == 200
        # The worker and the scheduler run too: their processes are children of the server.
        children = _child_command_lines(server.pid)
        assert any("db_worker" in c for c in children), children
        assert any(c.endswith("kaohe.cli scheduler ") for c in children), children
        assert any("gunicorn" in c for c in children), children
        # The scheduler announces itself once Django is loaded (its output shares the
        # server's): read the output until that line, bounded by the pipe's end.
        assert "checking the cadence every 30.0 s" in _line_with(server, "Kaohe scheduler:")
    finally:
        server.terminate()
        server.wait(timeout=30)
