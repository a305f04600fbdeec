"""The history import page: what earlier years the county holds, the template to fill in, and
the upload that starts the check job (whose page lists every problem or offers the import)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.exchange.history_excel import HistoryBook, history_book, template
from kaohe.exchange.uploads import download, upload_job_start
from kaohe.exchange.workbook import MAX_BYTES, XLSX
from kaohe.monitoring.forecast import HistoryYear, history_overview
from kaohe.monitoring.models import HistorySource
from kaohe.org.access import Permission, permission_required
from kaohe.org.models import User

#: How many earlier years the template may pre-fill.
YEAR_CHOICES = (1, 2, 3, 5)
DEFAULT_YEARS = 3


@dataclass(frozen=True)
class Cell:
    """The values held of one indicator in one year, and whether any is imported or synthetic."""

    values: int
    imported: bool
    synthetic: bool


@dataclass(frozen=True)
class MatrixRow:
    code: str
    name: str
    cells: list[Cell | None]  # one per year of the overview, None where nothing is held


def _cell(sources: dict[str, int] | None) -> Cell | None:
    if not sources:
        return None
    return Cell(
        values=sum(sources.values()),
        imported=HistorySource.IMPORTED in sources,
        synthetic=HistorySource.SYNTHETIC in sources,
    )


def _matrix(years: list[HistoryYear], book: HistoryBook | None) -> list[MatrixRow]:
    names = {code: name for code, (name, _m) in (book.indicators.items() if book else [])}
    codes = sorted({c for y in years for c in y.by_indicator})
    order = {code: i for i, code in enumerate(names)}
    codes.sort(key=lambda c: (order.get(c, len(order)), c))
    return [
        MatrixRow(code, names.get(code, ""), [_cell(y.by_indicator.get(code)) for y in years])
        for code in codes
    ]


def _page(request: HttpRequest, problems: list[str]) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    book = history_book(user=user)
    years = history_overview(user=user)
    return render(
        request,
        "exchange/history/index.html",
        {
            "book": book,
            "years": years,
            "matrix": _matrix(years, book),
            "problems": problems,
            "limit": MAX_BYTES // (1024 * 1024),
            "year_choices": YEAR_CHOICES,
            "default_years": DEFAULT_YEARS,
            "synthetic": HistorySource.SYNTHETIC.value,
            "imported": HistorySource.IMPORTED.value,
        },
    )


@permission_required(Permission.SCHEME_MANAGE)
def index(request: HttpRequest) -> HttpResponse:
    """The county's history by year and indicator; POST a filled workbook to check it."""
    if request.method != "POST":
        return _page(request, [])
    try:
        job = upload_job_start(
            request,
            kind="history.check",
            label=_("Check the history file %(name)s"),
            max_bytes=MAX_BYTES,
        )
    except ValidationError as exc:
        return _page(request, list(exc.messages))
    return redirect(job)


@permission_required(Permission.SCHEME_MANAGE)
def template_download(request: HttpRequest) -> HttpResponse:
    """The workbook to fill in, pre-filled with the county's units and indicators for the
    chosen number of earlier years."""
    user: User = request.user  # type: ignore[assignment]
    book = history_book(user=user)
    if book is None:
        raise Http404
    try:
        count = int(request.GET.get("years", DEFAULT_YEARS))
    except ValueError:
        count = DEFAULT_YEARS
    if count not in YEAR_CHOICES:
        count = DEFAULT_YEARS
    # 示范县历年月度数据导入模板（20261204）.xlsx
    name = f"{book.county_name}历年月度数据导入模板（{timezone.localdate():%Y%m%d}）.xlsx"
    return download(template(book, book.years(count)), name=name, content_type=XLSX)
