"""Background jobs of the history import page: check an uploaded workbook, then import it.

``history.check`` reads the whole file and lists every problem with its cell, or previews what
the import would do (rows by year, and the rows that replace values held now); it writes
nothing. Its confirm button starts ``history.import`` on the same file, which checks it again
(the county may have changed in between) and writes every value in one audited transaction, or
nothing; the forecasts are recomputed in that transaction (historical_values_import).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.exchange.checked_import import job_pair
from kaohe.exchange.history_excel import HistoryBook, HistoryLine, history_book
from kaohe.exchange.history_excel import read_history as _read
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems
from kaohe.monitoring.forecast import historical_values_import, history_held
from kaohe.monitoring.models import HistorySource
from kaohe.org.access import county_id_of
from kaohe.org.models import User


def _book(ctx: JobContext) -> tuple[User, HistoryBook, bytes]:
    user = ctx.user
    if user is None:
        raise JobProblems([_("Only a person may import history.")])
    try:
        book = history_book(user=user)
    except PermissionDenied:
        raise JobProblems([_("You may no longer import history.")]) from None
    if book is None:
        raise JobProblems(
            [_("The county has no scheme yet: import or publish this year's scheme first.")]
        )
    content = ctx.input_bytes()
    if content is None:
        raise JobProblems([_("Choose the filled-in file to upload.")])
    return user, book, content


def history_preview(
    *, county_id: int, book: HistoryBook, lines: list[HistoryLine]
) -> tuple[list[list[str]], dict[str, int]]:
    """The preview table (header first, one row per year, then the total) and its totals."""
    held = history_held(
        county_id=county_id,
        keys=[(book.units[x.unit_code][0], x.indicator_code, x.year) for x in lines],
    )
    by_year: dict[int, list[int]] = {}
    for line in lines:
        counts = by_year.setdefault(line.year, [0, 0, 0, 0, 0, 0])
        before = held.get((book.units[line.unit_code][0], line.indicator_code, line.year), {})
        counts[0] += 1
        counts[1] += len(line.values)
        counts[2 if not before else 3] += 1
        counts[4] += sum(before.values())
        counts[5] += before.get(HistorySource.SYNTHETIC, 0)
    total = [sum(c[i] for c in by_year.values()) for i in range(6)]
    header = [
        _("Year"),
        _("Rows (unit × indicator)"),
        _("Monthly values"),
        _("New rows"),
        _("Rows replacing values held"),
        _("Values held that are replaced"),
        _("of them synthetic"),
    ]
    table = [header]
    table += [[str(year), *map(str, c)] for year, c in sorted(by_year.items())]
    table.append([_("All years"), *map(str, total)])
    keys = ["rows", "values", "new", "replacing", "replaced", "synthetic"]
    return table, dict(zip(keys, total, strict=True))


def _years(lines: list[HistoryLine]) -> str:
    return "、".join(str(y) for y in sorted({x.year for x in lines}))


@dataclass(frozen=True)
class _Checked:
    user: User
    book: HistoryBook
    lines: list[HistoryLine]


def _checked(ctx: JobContext) -> _Checked:
    user, book, content = _book(ctx)
    return _Checked(user, book, _read(content, book))


def _refused(ctx: JobContext, problems: list[str]) -> JobOutcome:
    return JobOutcome(
        summary=_(
            "Problems found: %(n)s. Nothing was imported: correct the cells listed below "
            "and upload the file again."
        )
        % {"n": len(problems)},
        problems=problems,
        url=reverse("history:index"),
        url_label=_("Back to the history data"),
    )


def _preview(ctx: JobContext, checked: _Checked) -> JobOutcome:
    ctx.progress(1, 2, step=_("Comparing with the values held"))
    lines = checked.lines
    table, total = history_preview(
        county_id=county_id_of(checked.user), book=checked.book, lines=lines
    )
    ctx.progress(2, 2, step=_("Checked"))
    return JobOutcome(
        summary=_(
            "The file is right. Values to import: %(values)s in %(rows)s rows (years "
            "%(years)s); rows replacing values held now: %(replacing)s. Nothing is written "
            "until you confirm."
        )
        % {**total, "years": _years(lines)},
        table=table,
        data=total,
    )


def _import(ctx: JobContext, checked: _Checked) -> JobOutcome:
    lines = checked.lines
    table, total = history_preview(
        county_id=county_id_of(checked.user), book=checked.book, lines=lines
    )
    ctx.progress(1, 3, step=_("Importing and recomputing the forecasts"))
    try:
        written = historical_values_import(
            user=checked.user,
            rows=[row for line in lines for row in line.history_rows()],
            replace_years=True,
        )
    except ValueError as exc:  # the county changed between the check and now
        raise JobProblems(str(exc).split("; ")) from None
    ctx.progress(3, 3, step=_("Imported"))
    return JobOutcome(
        summary=_(
            "Imported %(values)s values in %(rows)s rows (years %(years)s); the forecasts were "
            "recomputed."
        )
        % {"values": written, "rows": total["rows"], "years": _years(lines)},
        table=table,
        url=reverse("history:index"),
        url_label=_("See the county's history data"),
        data=total,
    )


history_check, history_import = job_pair(
    "history.check",
    "history.import",
    read=_checked,
    refused=_refused,
    preview=_preview,
    write=_import,
    reading=gettext_lazy("Checking every cell"),
    confirm_label=gettext_lazy("Import these values"),
)
