"""`kaohe cadence <job> [--date YYYY-MM-DD]`: run a cadence job for every hosted county."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from kaohe.supervision.cadence import JOBS, cadence_run


class Command(BaseCommand):
    help = (
        "Run a cadence job (nightly, weekly, monthly, quarterly, half) for every hosted county. "
        "Safe to re-run: nothing is done twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=sorted(JOBS))
        parser.add_argument("--date", help="the day to run as (YYYY-MM-DD), default today")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        runs = cadence_run(job=options["job"], today=today or timezone.localdate())
        failed = False
        for run in runs:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(run.counts.items()))
            self.stdout.write(
                f"{run.county.code} {run.job} {run.period_key}: {run.outcome} {counts}"
            )
            failed = failed or run.outcome == "failed"
        if failed:
            raise CommandError("a job failed; see the cadence page or the log")
