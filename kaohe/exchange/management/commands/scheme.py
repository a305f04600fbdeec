"""`kaohe scheme validate|import|export`: scheme files (JSON or Excel) from the command line.

kaohe scheme validate FILE
kaohe scheme import FILE --county CODE
kaohe scheme export --county CODE --year YEAR [--format json|xlsx] [--output FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.exchange.problems import SchemeFileError
from kaohe.exchange.scheme_excel import parse_xlsx, to_xlsx
from kaohe.exchange.scheme_json import parse_json, to_json
from kaohe.exchange.services import scheme_import, scheme_spec
from kaohe.exchange.spec import SchemeSpec
from kaohe.org.models import County
from kaohe.schemes.models import Scheme


def read_scheme_file(path: str) -> SchemeSpec:
    """A scheme file by its content: a ZIP (xlsx) or JSON; SchemeFileError lists problems."""
    content = Path(path).read_bytes()
    return parse_xlsx(content) if content[:4] == b"PK\x03\x04" else parse_json(content)


class Command(BaseCommand):
    help = "Scheme files: validate, import (as a draft) or export, in JSON or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate")
        validate.add_argument("file")
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--county", required=True)
        exp = sub.add_parser("export")
        exp.add_argument("--county", required=True)
        exp.add_argument("--year", type=int, required=True)
        exp.add_argument("--format", choices=["json", "xlsx"], default="json")
        exp.add_argument("--output")

    def _fail(self, exc: SchemeFileError) -> None:
        for problem in exc.problems:
            self.stdout.write(problem.line())
        raise CommandError(f"{len(exc.problems)} problem(s); nothing was written")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in {"validate", "import"}:
            try:
                spec = read_scheme_file(options["file"])
                if action == "import":
                    county = County.objects.filter(code=options["county"], is_hosted=True).first()
                    if county is None:
                        raise CommandError(f"no county with code {options['county']}")
                    scheme = scheme_import(spec=spec, county=county)
            except SchemeFileError as exc:
                self._fail(exc)
            if action == "validate":
                self.stdout.write(f"valid: {spec.name} ({len(spec.indicators)} indicators)")
            else:
                self.stdout.write(f"imported as draft scheme {scheme.pk}: {scheme.name}")
            return
        found = Scheme.objects.filter(county__code=options["county"], year=options["year"]).first()
        if found is None:
            raise CommandError("no such scheme")
        spec = scheme_spec(found)
        content = to_xlsx(spec) if options["format"] == "xlsx" else to_json(spec)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stdout.write(f"wrote {options['output']}")
        elif options["format"] == "json":
            self.stdout.write(content.decode("utf-8"))
        else:
            sys.stdout.buffer.write(content)
