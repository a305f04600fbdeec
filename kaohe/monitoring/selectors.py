"""Reads on warnings: the one place that answers "the latest warning"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from kaohe.monitoring.models import Warning


def latest_warnings(
    *,
    county_id: int,
    scheme_id: int | None = None,
    as_of: date | None = None,
    unit_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
    published_only: bool = False,
) -> QuerySet[Warning]:
    """The latest warning of each unit and indicator of a county (dated on or before ``as_of``
    when given), of one scheme or of the published ones; one query.

    Callers narrow it to what the user may see (units, indicators) before showing it.
    """
    newest = Warning.objects.filter(
        unit_id=OuterRef("unit_id"), indicator_id=OuterRef("indicator_id")
    )
    qs = Warning.objects.filter(county_id=county_id)
    if as_of is not None:
        newest = newest.filter(as_of__lte=as_of)
    if scheme_id is not None:
        qs = qs.filter(indicator__scheme_id=scheme_id)
    if published_only:
        qs = qs.filter(indicator__scheme__status="published")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    return qs.filter(pk=Subquery(newest.order_by("-as_of").values("pk")[:1]))
