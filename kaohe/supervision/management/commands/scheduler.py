"""`kaohe scheduler [--interval 30] [--once]`: start the cadence jobs when their time comes.

`kaohe serve` starts it beside the task worker, so no cron is needed. Several schedulers (two
servers) may run at once: each due schedule is started once (kaohe/supervision/schedules.py).
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import translation

from kaohe.supervision.schedules import scheduler_tick

log = logging.getLogger("kaohe.scheduler")


class Command(BaseCommand):
    help = "Start the cadence jobs on their schedules (every ~30 s); stop with Ctrl-C or SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)  # job labels in the county's language
        stopping = threading.Event()

        def stop(signum: int, frame: object) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Kaohe scheduler: checking the cadence every {options['interval']} s")
        self.stdout.flush()
        while not stopping.is_set():
            # Drop a connection the database closed or that outlived its age between ticks; never
            # one that holds an open transaction (a caller's, e.g. a test's).
            if not connection.in_atomic_block:
                close_old_connections()
            try:
                started = scheduler_tick()
            except Exception:  # the database may be away for a moment; the next tick retries
                log.exception("scheduler tick failed")
            else:
                for job in started:
                    log.info("started %s (background job %s)", job.label, job.pk)
            if options["once"]:
                break
            # Wakes at once on SIGTERM, so `kaohe serve` stops promptly.
            stopping.wait(options["interval"])
