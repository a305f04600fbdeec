"""`kaohe forecast_backtest [--county CODE]`: back-test the year-end forecast on a county's history.

Each earlier year is held out in turn and forecast from its own months to date (March to October
by default); prints, per forecast month, the mean absolute percentage error of the year-end value
and the hit rate of the "will miss the target" call. docs/forecast.md reports the demo's numbers.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.monitoring.forecast import forecast_backtest_run
from kaohe.org.models import County
from kaohe.scoring.forecast import TREND_WEIGHT

DEMO_COUNTY = "433125"


def _pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "Back-test the year-end forecast on a county's earlier years (default: the demo county)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", default=DEMO_COUNTY, help="county code (default 433125)")
        parser.add_argument(
            "--trend-weight",
            type=float,
            default=TREND_WEIGHT,
            help=f"weight of the recent pace in the blend (default {TREND_WEIGHT}; 0: ratio only)",
        )
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="forecast from the time schedule alone, ignoring earlier years (for comparison)",
        )
        parser.add_argument(
            "--months", default="3-10", help="forecast months, as a range (default 3-10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"no county {options['county']}")
        first, _sep, last = str(options["months"]).partition("-")
        try:
            months = tuple(range(int(first), int(last or first) + 1))
        except ValueError as exc:
            raise CommandError("--months takes a range such as 3-10") from exc
        if not months or not all(1 <= m <= 12 for m in months):
            raise CommandError("--months must lie within 1-12")
        rows = forecast_backtest_run(
            county=county,
            months=months,
            trend_weight=options["trend_weight"],
            use_history=not options["baseline"],
        )
        if not rows:
            raise CommandError(f"{county.name} has fewer than two earlier years of history")
        self.stdout.write(
            f"Forecast back-test, {county.name} ({county.code}), each earlier year held out; "
            f"trend weight {options['trend_weight']:g}; profile: "
            + ("time schedule only (baseline)" if options["baseline"] else "earlier years")
        )
        self.stdout.write(
            f"{'month':>5} {'series':>7} {'MAPE':>7} {'hit rate':>9} "
            f"{'missed':>7} {'flagged':>8} {'caught':>7}"
        )
        for r in rows:
            self.stdout.write(
                f"{r.month:>5} {r.series:>7} {_pct(r.mape):>7} {_pct(r.hit_rate):>9} "
                f"{r.missed:>7} {r.flagged:>8} {r.caught:>7}"
            )
