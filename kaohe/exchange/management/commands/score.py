"""`kaohe score SCHEME_FILE VALUES_FILE [--format json|csv|xlsx] [--output FILE] [--allow-gaps]`.

Scores a table of values against a scheme file with no database at all, so an office can check a
scheme offline (docs/scheme-format.md has a worked example). Each leaf is scored by its own
method through kaohe.scoring.state, as the pages and rounds score it; a target is needed only
where the method uses one. A unit that cannot be scored on a leaf (no value, or no target where
one is needed) is listed on stderr with the reason, and the command exits 1 unless
``--allow-gaps`` is given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.exchange.management.commands.scheme import read_scheme_file
from kaohe.exchange.offline import (
    ValuesFileError,
    read_values,
    results_csv,
    results_json,
    results_xlsx,
    score_table,
)
from kaohe.exchange.problems import SchemeFileError


class Command(BaseCommand):
    help = "Score a values table against a scheme file, without a database."
    requires_system_checks = ()
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scheme_file")
        parser.add_argument("values_file")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="csv")
        parser.add_argument("--output")
        parser.add_argument(
            "--allow-gaps",
            action="store_true",
            help="exit 0 even when some unit cannot be scored on some leaf (listed on stderr)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            spec = read_scheme_file(options["scheme_file"])
            results = score_table(spec, read_values(Path(options["values_file"]).read_bytes()))
        except SchemeFileError as exc:
            for problem in exc.problems:
                self.stdout.write(problem.line())
            raise CommandError("the scheme file is not valid") from None
        except ValuesFileError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "xlsx":
            content = results_xlsx(results)
        elif options["format"] == "json":
            content = json.dumps(results_json(results), ensure_ascii=False, indent=2).encode()
        else:
            content = results_csv(results).encode("utf-8")
        if options["output"]:
            Path(options["output"]).write_bytes(content)
        elif options["format"] == "xlsx":
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8"))
        # Every cell that could not be scored (it counts 0 in the totals) is named, never hidden.
        gaps = [(r.unit, code, why) for r in results for code, why in r.gaps]
        for unit, code, why in gaps:
            self.stderr.write(f"{unit} {code}: {why} → 0")
        if gaps and not options["allow_gaps"]:
            raise CommandError(
                f"{len(gaps)} cell(s) could not be scored and count 0 (listed above); "
                "pass --allow-gaps to accept that"
            )
