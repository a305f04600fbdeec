"""Scheme files in the background: check an uploaded file (every problem listed, with where it
is, and a preview), then import it as a draft when the office confirms the check."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.exchange.checked_import import job_pair
from kaohe.exchange.problems import Problem, SchemeFileError
from kaohe.exchange.services import scheme_check, scheme_file_parse, scheme_import
from kaohe.exchange.spec import SchemeSpec
from kaohe.exchange.workbook import FileProblems
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems
from kaohe.schemes.selectors import method_text


def _lines(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]  # "where: message", in the active language


def _read(ctx: JobContext) -> SchemeSpec:
    """The uploaded file's spec, or FileProblems listing every problem of the file."""
    content = ctx.input_bytes()
    if content is None:
        raise FileProblems([_("The job has no file.")])
    return scheme_file_parse(content, ctx.input_name)


def _preview(spec: SchemeSpec) -> list[list[str]]:
    """Indicators with their method and points per category, then each category's total."""
    codes = [c.code for c in spec.categories]
    parents = {i.parent for i in spec.indicators if i.parent}
    table = [[_("Code"), _("Indicator"), _("Scoring method"), *codes]]
    sums = dict.fromkeys(codes, Decimal(0))
    for ind in spec.indicators:
        leaf = ind.code not in parents
        for code, points in ind.points.items():
            if code in sums:
                sums[code] += Decimal(str(points))
        table.append(
            [
                ind.code,
                ind.name,
                method_text(ind.method) if leaf else "",
                *[f"{ind.points[c]:g}" if c in ind.points else "" for c in codes],
            ]
        )
    table.append(["", _("Points of the leaves"), "", *[f"{float(sums[c]):g}" for c in codes]])
    table.append(
        ["", _("Total of the category"), "", *[f"{c.total_points:g}" for c in spec.categories]]
    )
    return table


def _refused(ctx: JobContext, problems: list[str]) -> JobOutcome:
    return JobOutcome(
        summary=_(
            "The file has %(n)d problems; nothing was imported. Correct them all and "
            "upload it again."
        )
        % {"n": len(problems)},
        problems=problems,
    )


def _check(ctx: JobContext, spec: SchemeSpec) -> JobOutcome:
    """The spec against the county (its units and cadres, its schemes), with the preview."""
    assert ctx.county is not None
    ctx.progress(1, 2, step=_("Checking it against the county"))
    problems = _lines(scheme_check(spec=spec, county=ctx.county))
    ctx.progress(2, 2, step=_("Checked"))
    leaves = len(spec.indicators) - len({i.parent for i in spec.indicators if i.parent})
    counts = {
        "name": spec.name,
        "year": spec.year,
        "n": len(spec.indicators),
        "leaves": leaves,
        "categories": len(spec.categories),
        "items": len(spec.data_items),
    }
    if problems:
        return JobOutcome(
            summary=_("The file has %(n)d problems; nothing was imported.") % {"n": len(problems)},
            problems=problems,
            table=_preview(spec),
        )
    return JobOutcome(
        summary=_(
            "%(name)s (%(year)s) is ready to import as a draft: %(n)d indicators (%(leaves)d "
            "leaves), %(categories)d categories, %(items)d data items."
        )
        % counts,
        table=_preview(spec),
    )


def _import(ctx: JobContext, spec: SchemeSpec) -> JobOutcome:
    """Import the checked spec as the county's draft for its year (one audited write)."""
    assert ctx.county is not None
    try:
        scheme = scheme_import(spec=spec, county=ctx.county, actor=ctx.user)
    except SchemeFileError as exc:
        raise JobProblems(exc.lines()) from None
    ctx.progress(1, 1, step=_("Imported"))
    return JobOutcome(
        summary=_("%(name)s is imported as the draft for %(year)s (%(n)d indicators).")
        % {"name": scheme.name, "year": scheme.year, "n": len(spec.indicators)},
        url=reverse("schemes:list"),
        url_label=_("Open the schemes"),
    )


scheme_file_check, scheme_file_import = job_pair(
    "scheme.check",
    "scheme.import",
    read=_read,
    refused=_refused,
    preview=_check,
    write=_import,
    reading=gettext_lazy("Reading the scheme file"),
    confirm_label=gettext_lazy("Import it as a draft"),
)
