"""`kaohe demo build [--if-empty]`: build the demo county 保靖县 and print one account per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import translation

from kaohe.demo.builder import DEMO_PASSWORD, demo_build, demo_exists


class Command(BaseCommand):
    help = "Demo county tools. build: create the demo county 保靖县 with a year of synthetic data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["build"])
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the demo county exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write(
                    "The demo county exists already; accounts as listed in README.md."
                )
                self._print_accounts_hint()
                return
            self.stderr.write("The demo county exists already (use a fresh KAOHE_DATA_DIR).")
            raise SystemExit(1)
        summary = demo_build()
        counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Built the demo county {summary.county.name}: {counts}")
        )
        self.stdout.write(f"Accounts (password {DEMO_PASSWORD}):")
        for username, role, where in summary.accounts:
            self.stdout.write(f"  {username:<14} {role:<10} {where}")

    def _print_accounts_hint(self) -> None:
        from kaohe.org.models import User

        self.stdout.write(f"Accounts (password {DEMO_PASSWORD} unless changed):")
        for user in (
            User.objects.filter(Q(county__code="433125") | Q(county__isnull=True))
            .select_related("unit")
            .order_by("pk")
        ):
            self.stdout.write(
                f"  {user.username:<14} {user.get_role_display():<10} {user.unit or ''}"
            )
