"""`kaohe round_verify`: rerun every published or final round from its frozen inputs and check
its hashes and stored results; exit 1 when any round does not hold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kaohe.appraisal.models import Round, RoundStatus
from kaohe.appraisal.services import round_verify


class Command(BaseCommand):
    help = "Rerun published and final rounds from their frozen inputs and compare."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--county", help="county code (all counties by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = Round.objects.filter(
            status__in=[RoundStatus.PUBLISHED, RoundStatus.FINAL]
        ).select_related("scheme__county")
        if options.get("county"):
            rounds = rounds.filter(scheme__county__code=options["county"])
        failed = 0
        for rnd in rounds.order_by("scheme__county__code", "scheme__year", "kind", "number"):
            problems = round_verify(rnd)
            label = (
                f"{rnd.scheme.county.code} {rnd.scheme.year} {rnd.kind} {rnd.number} "
                f"{rnd.results_hash[:12]}"
            )
            if problems:
                failed += 1
                self.stdout.write(f"FAIL {label}: " + "; ".join(problems))
            else:
                self.stdout.write(f"ok   {label}")
        if failed:
            raise CommandError(f"{failed} round(s) do not match their frozen inputs")
