"""Importing a checked scheme file into a county, and exporting a scheme back to a file.

Import writes everything in one transaction after every check has passed (file, structure,
points, methods, formulas, and the county's own units and cadres), so a bad file changes
nothing; one audit event records what was imported.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.exchange.problems import Problem, SchemeFileError
from kaohe.exchange.scheme_excel import parse_xlsx
from kaohe.exchange.scheme_json import parse_json
from kaohe.exchange.spec import (
    CategorySpec,
    DataItemSpec,
    IndicatorSpec,
    SchemeSpec,
    SourceSpec,
)
from kaohe.org.access import Permission, require
from kaohe.org.models import Cadre, Category, County, Unit
from kaohe.schemes.models import (
    DataItem,
    Indicator,
    IndicatorPoints,
    Scheme,
    SchemeCategory,
    SourceIndicator,
)


def _county_problems(spec: SchemeSpec, county: County) -> list[Problem]:
    problems = []
    if Scheme.objects.filter(county=county, year=spec.year).exists():
        problems.append(Problem("year", "exists", {"year": spec.year}))
    units = set(Unit.objects.filter(county=county).values_list("code", flat=True))
    cadres = set(Cadre.objects.filter(county=county).values_list("code", flat=True))
    for n, ind in enumerate(spec.indicators):
        if ind.assessor and ind.assessor not in units:
            where = ind.where.get("assessor", f"indicators[{n}].assessor")
            problems.append(
                Problem(where, "unknown_unit", {"unit": ind.assessor, "code": ind.code})
            )
        if ind.leader and ind.leader not in cadres:
            where = ind.where.get("leader", f"indicators[{n}].leader")
            problems.append(
                Problem(where, "unknown_leader", {"leader": ind.leader, "code": ind.code})
            )
    return problems


def _depths(spec: SchemeSpec) -> dict[str, int]:
    by_code = {i.code: i for i in spec.indicators}
    depth: dict[str, int] = {}
    for ind in spec.indicators:
        n, node = 1, ind
        while node.parent:
            node = by_code[node.parent]
            n += 1
        depth[ind.code] = n
    return depth


def scheme_file_parse(content: bytes, name: str = "") -> SchemeSpec:
    """A scheme file's bytes as a checked SchemeSpec, by its content: an Excel workbook (a ZIP)
    or JSON; SchemeFileError lists every problem (too large, neither format, each bad field)."""
    is_zip = content[:4] == b"PK\x03\x04"
    if is_zip or name.lower().endswith(".xlsx"):
        return parse_xlsx(content)
    return parse_json(content)


def scheme_check(*, spec: SchemeSpec, county: County) -> list[Problem]:
    """What stops a valid file being imported into this county: a year that already has a
    scheme, assessing departments and leaders the county does not have (empty: importable)."""
    return _county_problems(spec, county)


@transaction.atomic
def scheme_import(*, spec: SchemeSpec, county: County, actor: Any = None) -> Scheme:
    """Create a draft scheme from a checked spec; SchemeFileError lists every problem.

    ``actor`` is the office user importing through the interface (checked against the
    policy), or None for the command line, run by whoever operates the server.
    """
    if actor is not None:
        require(actor, Permission.SCHEME_MANAGE)
    problems = _county_problems(spec, county)
    if problems:
        raise SchemeFileError(problems)
    scheme = Scheme.objects.create(
        county=county,
        year=spec.year,
        name=spec.name,
        rules_text=spec.rules_text,
        score_places=spec.score_places,
        appraisal_rules=spec.appraisal,
        warn_yellow=Decimal(str(spec.warning[0])),
        warn_orange=Decimal(str(spec.warning[1])),
        warn_red=Decimal(str(spec.warning[2])),
    )
    categories = {}
    for c in spec.categories:
        category, _created = Category.objects.get_or_create(
            county=county,
            code=c.code,
            defaults={"name": c.name, "name_en": c.name_en, "kind": c.kind},
        )
        categories[c.code] = category
        SchemeCategory.objects.create(
            scheme=scheme, category=category, total_points=Decimal(str(c.total_points))
        )
    DataItem.objects.bulk_create(
        DataItem(
            county=county,
            scheme=scheme,
            code=d.code,
            name=d.name,
            unit_of_measure=d.unit_of_measure,
            cumulative=d.cumulative,
        )
        for d in spec.data_items
    )
    SourceIndicator.objects.bulk_create(
        SourceIndicator(county=county, scheme=scheme, code=s.code, name=s.name)
        for s in spec.sources
    )
    units = {u.code: u for u in Unit.objects.filter(county=county)}
    cadres = {c.code: c for c in Cadre.objects.filter(county=county)}
    depth = _depths(spec)
    nodes: dict[str, Indicator] = {}
    # Parents first: a spec lists indicators in any order, so create them by depth.
    for position, ind in sorted(enumerate(spec.indicators), key=lambda p: (depth[p[1].code], p[0])):
        nodes[ind.code] = Indicator(
            county=county,
            scheme=scheme,
            code=ind.code,
            name=ind.name,
            name_en=ind.name_en,
            level=depth[ind.code],
            position=position + 1,
            unit_of_measure=ind.unit_of_measure,
            higher_is_better=ind.direction == "higher",
            cumulative=ind.cumulative,
            frequency=ind.frequency,
            assessor=units.get(ind.assessor),
            leader=cadres.get(ind.leader),
            source_code=ind.source,
            evidence_required=ind.evidence_required,
            formula=ind.formula,
            method=ind.method,
            parent=nodes.get(ind.parent or ""),
        )
        nodes[ind.code].save()
    IndicatorPoints.objects.bulk_create(
        IndicatorPoints(
            indicator=nodes[ind.code], category=categories[cat], points=Decimal(str(pts))
        )
        for ind in spec.indicators
        for cat, pts in ind.points.items()
    )
    audit_record(
        actor=actor or "cli",
        action="scheme.import",
        county_code=county.code,
        object_type="scheme",
        object_id=scheme.pk,
        after={"year": spec.year, "name": spec.name, "indicators": len(spec.indicators)},
    )
    return scheme


def _number(value: Decimal) -> float:
    return float(value)


def scheme_spec(scheme: Scheme) -> SchemeSpec:
    """A scheme in the database as a SchemeSpec (for export), in its tree order."""
    points: dict[int, dict[str, float]] = {}
    for p in IndicatorPoints.objects.filter(indicator__scheme=scheme).select_related("category"):
        points.setdefault(p.indicator_id, {})[p.category.code] = _number(p.points)
    indicators = Indicator.objects.filter(scheme=scheme).select_related(
        "parent", "assessor", "leader"
    )
    return SchemeSpec(
        year=scheme.year,
        name=scheme.name,
        rules_text=scheme.rules_text,
        score_places=scheme.score_places,
        appraisal=scheme.appraisal_rules or {},
        warning=(
            _number(scheme.warn_yellow),
            _number(scheme.warn_orange),
            _number(scheme.warn_red),
        ),
        categories=tuple(
            CategorySpec(
                sc.category.code,
                sc.category.name,
                sc.category.name_en,
                sc.category.kind,
                _number(sc.total_points),
            )
            for sc in SchemeCategory.objects.filter(scheme=scheme)
            .select_related("category")
            .order_by("category__code")
        ),
        data_items=tuple(
            DataItemSpec(d.code, d.name, d.unit_of_measure, d.cumulative)
            for d in DataItem.objects.filter(scheme=scheme).order_by("code")
        ),
        sources=tuple(
            SourceSpec(s.code, s.name)
            for s in SourceIndicator.objects.filter(scheme=scheme).order_by("code")
        ),
        indicators=tuple(
            IndicatorSpec(
                code=i.code,
                name=i.name,
                parent=i.parent.code if i.parent else None,
                name_en=i.name_en,
                unit_of_measure=i.unit_of_measure,
                direction="higher" if i.higher_is_better else "lower",
                frequency=i.frequency,
                cumulative=i.cumulative,
                assessor=i.assessor.code if i.assessor else "",
                leader=i.leader.code if i.leader else "",
                source=i.source_code,
                evidence_required=i.evidence_required,
                formula=i.formula,
                method=dict(i.method or {}),
                points=points.get(i.pk, {}),
            )
            for i in indicators.order_by("position")
        ),
    )
