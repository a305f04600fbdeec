"""`kaohe score SCHEME_FILE VALUES_FILE [--format json|csv|xlsx] [--output FILE]`.

Scores a table of values against a scheme file with no database at all, so an office can check a
scheme offline (docs/scheme-format.md has a worked example).
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
