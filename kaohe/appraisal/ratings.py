"""Services for what a round weighs besides the county's own data: the evaluators' ratings
(评议 / 民主测评) and the prefecture's results for the county (上级考核结果)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.appraisal.models import HigherResult, Rating, RatingGroup
from kaohe.audit.services import audit_record
from kaohe.documents.numbers import parse_number
from kaohe.org.access import Permission, county_id_of, require
from kaohe.org.models import Unit, User
from kaohe.schemes.models import Scheme, SourceIndicator

MAX_EVALUATORS = 500
MAX_BYTES = 2 * 1024 * 1024


def read_ratings_sheet(data: bytes) -> list[list[Any]]:
    """The rows of the first sheet of an .xlsx ballot tally, or a ValidationError."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ValidationError(_("The workbook is larger than 2 MB."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_EVALUATORS + 2)]
    book.close()
    return rows


def _parse(rows: list[list[Any]], units: dict[str, Unit]) -> list[tuple[Unit, int, Decimal]]:
    """Header: 评议人 then unit codes or names; each further row: an evaluator's points."""
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        raise ValidationError(_("The first row names the units; each further row is a ballot."))
    columns: list[Unit | None] = []
    problems: list[str] = []
    for k, head in enumerate(rows[0][1:], start=2):
        if head is None or str(head).strip() == "":
            columns.append(None)
            continue
        unit = units.get(str(head).strip())
        if unit is None:
            problems.append(_("Column %(col)d: no unit %(name)s.") % {"col": k, "name": head})
        columns.append(unit)
    found: list[tuple[Unit, int, Decimal]] = []
    for n, row in enumerate(rows[1:], start=1):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        for k, (unit, cell) in enumerate(zip(columns, row[1:], strict=False), start=2):
            if unit is None or cell is None or str(cell).strip() == "":
                continue
            try:
                points = parse_number(cell) or Decimal(0)
            except ValueError:
                points = Decimal(-1)
            if not Decimal(0) <= points <= Decimal(100):
                problems.append(
                    _("Row %(row)d, column %(col)d: %(value)s is not points from 0 to 100.")
                    % {"row": n + 1, "col": k, "value": cell}
                )
                continue
            found.append((unit, n, points))
    if problems:
        raise ValidationError(problems)
    if not found:
        raise ValidationError(_("The sheet holds no ratings."))
    return found


@transaction.atomic
def ratings_import(
    *,
    user: User,
    scheme: Scheme,
    code: str,
    name: str,
    weight: Decimal,
    drop_extremes: bool,
    rows: list[list[Any]],
) -> RatingGroup:
    """Create or replace an evaluator group's ballots. Nothing changes when any cell is wrong."""
    require(user, Permission.RATING_ENTER)
    if scheme.county_id != county_id_of(user):
        raise PermissionDenied
    if not (Decimal(0) < weight <= Decimal(1)):
        raise ValidationError({"weight": _("A group's weight lies between 0 and 1.")})
    units: dict[str, Unit] = {}
    for unit in Unit.objects.filter(county_id=scheme.county_id, is_assessed=True):
        units[unit.code] = unit
        units[unit.name] = unit
    ballots = _parse(rows, units)
    group, created = RatingGroup.objects.get_or_create(
        scheme=scheme,
        code=code,
        defaults={"county_id": scheme.county_id, "name": name, "weight": weight},
    )
    before = (
        None
        if created
        else {"name": group.name, "weight": str(group.weight), "ratings": group.ratings.count()}
    )
    group.name, group.weight, group.drop_extremes = name, weight, drop_extremes
    group.save(update_fields=["name", "weight", "drop_extremes"])
    group.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(group=group, unit=unit, evaluator=n, points=p) for unit, n, p in ballots
    )
    audit_record(
        actor=user,
        action="ratings.import",
        county_code=scheme.county.code,
        object_type="appraisal.RatingGroup",
        object_id=group.pk,
        before=before,
        after={
            "name": name,
            "weight": str(weight),
            "drop_extremes": drop_extremes,
            "ratings": len(ballots),
            "evaluators": len({n for _u, n, _p in ballots}),
        },
    )
    return group


@transaction.atomic
def higher_result_save(
    *,
    user: User,
    scheme: Scheme,
    source: SourceIndicator | None,
    score: Decimal,
    prefecture_rank: int | None,
    note: str = "",
) -> HigherResult:
    """Enter the prefecture's result on one of its indicators (None: the county's overall)."""
    require(user, Permission.ROUND_MANAGE)
    if scheme.county_id != county_id_of(user) or (source and source.scheme_id != scheme.pk):
        raise PermissionDenied
    if not Decimal(0) <= score <= Decimal(120):
        raise ValidationError({"score": _("A higher-level score is a percentage from 0 to 120.")})
    row = HigherResult.objects.filter(scheme=scheme, source=source).first()
    before = None if row is None else {"score": str(row.score), "rank": row.prefecture_rank}
    if row is None:
        row = HigherResult(county_id=scheme.county_id, scheme=scheme, source=source)
    row.score, row.prefecture_rank, row.note = score, prefecture_rank, note
    row.save()
    audit_record(
        actor=user,
        action="higher_result.save",
        county_code=scheme.county.code,
        object_type="appraisal.HigherResult",
        object_id=row.pk,
        before=before,
        after={
            "source": source.code if source else "",
            "score": str(score),
            "rank": prefecture_rank,
        },
    )
    return row
