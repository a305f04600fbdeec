"""`kaohe deadline_reminders`: remind units of reports due soon or overdue (run daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from kaohe.reporting.calendar import deadline_reminders


class Command(BaseCommand):
    help = "Send inbox (and e-mail) reminders for reports due within three days or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        # Every county's periods at once (a county's weekly cadence job sends its own).
        sent = deadline_reminders(today=timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")
