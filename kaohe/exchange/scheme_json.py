"""The JSON scheme file (format "kaohe-scheme", version 1): parse and write.

docs/scheme-format.md documents it and docs/scheme.schema.json is its JSON Schema.
"""

from __future__ import annotations

import json
from typing import Any

from kaohe.appraisal.inputs import DEFAULT_RULES
from kaohe.exchange.fields import Reader
from kaohe.exchange.problems import Problem, SchemeFileError
from kaohe.exchange.spec import (
    DIRECTIONS,
    FORMAT,
    FREQUENCIES,
    KINDS,
    VERSION,
    CategorySpec,
    DataItemSpec,
    IndicatorSpec,
    SchemeSpec,
    SourceSpec,
)
from kaohe.exchange.validation import validate_spec
from kaohe.exchange.workbook import MAX_BYTES, MIB
from kaohe.scoring.rounds import check_rules

MAX_ITEMS = 5000


def _list(r: Reader, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        r.add(key, "wrong_type", field=key, expected="a list of objects")
        return []
    if len(value) > MAX_ITEMS:
        r.add(key, "too_many_rows", sheet=key, limit=MAX_ITEMS)
        return []
    return value


def _method(r: Reader, raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        r.add(where, "wrong_type", field="method", expected="an object")
        return {}
    return dict(raw)


def _points(r: Reader, raw: Any, where: str) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        r.add(where, "wrong_type", field="points", expected="an object of category: points")
        return {}
    return {str(k): r.number(raw, k, f"{where}.{k}", required=True) for k in raw}


def _appraisal(r: Any, given: Any) -> dict[str, Any]:
    """``settings.appraisal``: the rules of each kind of round, checked with the defaults they
    override (kaohe.appraisal.inputs.DEFAULT_RULES)."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        r.add("settings.appraisal", "wrong_type", field="appraisal", expected="an object")
        return {}
    kept: dict[str, Any] = {}
    for kind, rules in given.items():
        where = f"settings.appraisal.{kind}"
        if kind not in DEFAULT_RULES:
            r.add(where, "bad_choice", field=kind, choices="quarterly, annual")
            continue
        if not isinstance(rules, dict):
            r.add(where, "wrong_type", field=kind, expected="an object")
            continue
        for detail in check_rules(DEFAULT_RULES[kind] | rules):
            r.add(where, "bad_appraisal", kind=kind, detail=detail)
        kept[kind] = rules
    return kept


def spec_from_data(data: Any) -> SchemeSpec:
    """A SchemeSpec from parsed JSON, or SchemeFileError with every problem found."""
    r = Reader()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SchemeFileError([Problem("format", "wrong_format")])
    if data.get("version") != VERSION:
        raise SchemeFileError(
            [
                Problem(
                    "version", "wrong_version", {"found": data.get("version"), "expected": VERSION}
                )
            ]
        )
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        r.add("settings", "wrong_type", field="settings", expected="an object")
        settings = {}
    warning = settings.get("warning") or {}
    if not isinstance(warning, dict):
        r.add("settings.warning", "wrong_type", field="warning", expected="an object")
        warning = {}
    appraisal = _appraisal(r, settings.get("appraisal"))
    categories = tuple(
        CategorySpec(
            code=r.text(c, "code", f"categories[{n}].code", required=True),
            name=r.text(c, "name", f"categories[{n}].name", required=True),
            name_en=r.text(c, "name_en", f"categories[{n}].name_en"),
            kind=r.choice(c, "kind", f"categories[{n}].kind", KINDS, "township"),
            total_points=r.number(
                c, "total_points", f"categories[{n}].total_points", required=True
            ),
            where={
                "code": f"categories[{n}].code",
                "total_points": f"categories[{n}].total_points",
            },
        )
        for n, c in enumerate(_list(r, data, "categories"))
    )
    data_items = tuple(
        DataItemSpec(
            code=r.text(d, "code", f"data_items[{n}].code", required=True),
            name=r.text(d, "name", f"data_items[{n}].name", required=True),
            unit_of_measure=r.text(d, "unit_of_measure", f"data_items[{n}].unit_of_measure"),
            cumulative=r.boolean(d, "cumulative", f"data_items[{n}].cumulative", default=True),
            where={"code": f"data_items[{n}].code"},
        )
        for n, d in enumerate(_list(r, data, "data_items"))
    )
    sources = tuple(
        SourceSpec(
            code=r.text(s, "code", f"source_indicators[{n}].code", required=True),
            name=r.text(s, "name", f"source_indicators[{n}].name", required=True),
            where={"code": f"source_indicators[{n}].code"},
        )
        for n, s in enumerate(_list(r, data, "source_indicators"))
    )
    indicators = []
    for n, i in enumerate(_list(r, data, "indicators")):
        at = f"indicators[{n}]"
        indicators.append(
            IndicatorSpec(
                code=r.text(i, "code", f"{at}.code", required=True),
                name=r.text(i, "name", f"{at}.name", required=True),
                parent=r.text(i, "parent", f"{at}.parent") or None,
                name_en=r.text(i, "name_en", f"{at}.name_en"),
                unit_of_measure=r.text(i, "unit_of_measure", f"{at}.unit_of_measure"),
                direction=r.choice(i, "direction", f"{at}.direction", DIRECTIONS, "higher"),
                frequency=r.choice(i, "frequency", f"{at}.frequency", FREQUENCIES, "yearly"),
                cumulative=r.boolean(i, "cumulative", f"{at}.cumulative"),
                assessor=r.text(i, "assessor", f"{at}.assessor"),
                leader=r.text(i, "leader", f"{at}.leader"),
                source=r.text(i, "source", f"{at}.source"),
                evidence_required=r.boolean(i, "evidence_required", f"{at}.evidence_required"),
                formula=r.text(i, "formula", f"{at}.formula"),
                method=_method(r, i.get("method"), f"{at}.method"),
                points=_points(r, i.get("points"), f"{at}.points"),
                where={
                    f: f"{at}.{f}"
                    for f in (
                        "code",
                        "parent",
                        "points",
                        "method",
                        "formula",
                        "source",
                        "assessor",
                        "leader",
                    )
                },
            )
        )
    year = int(r.number(data, "year", "year", required=True))
    spec = SchemeSpec(
        year=year,
        name=r.text(data, "name", "name", required=True),
        rules_text=str(data.get("rules_text") or "")[:100_000],
        score_places=int(r.number(settings, "score_places", "settings.score_places", default=2)),
        warning=(
            r.number(warning, "yellow", "settings.warning.yellow", default=0.0),
            r.number(warning, "orange", "settings.warning.orange", default=5.0),
            r.number(warning, "red", "settings.warning.red", default=15.0),
        ),
        appraisal=appraisal,
        categories=categories,
        data_items=data_items,
        sources=sources,
        indicators=tuple(indicators),
    )
    problems = r.problems + validate_spec(spec)
    if problems:
        raise SchemeFileError(problems)
    return spec


def parse_json(content: bytes) -> SchemeSpec:
    """Parse a JSON scheme file's bytes (size checked first)."""
    if len(content) > MAX_BYTES:
        raise SchemeFileError([Problem("file", "too_large", {"limit": MAX_BYTES // MIB})])
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemeFileError([Problem("file", "not_json", {"detail": exc})]) from None
    return spec_from_data(data)


def spec_to_data(spec: SchemeSpec) -> dict[str, Any]:
    """The JSON document of a scheme, in the documented field order."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "year": spec.year,
        "name": spec.name,
        "rules_text": spec.rules_text,
        "settings": {
            "score_places": spec.score_places,
            "warning": dict(zip(("yellow", "orange", "red"), spec.warning, strict=True)),
            **({"appraisal": spec.appraisal} if spec.appraisal else {}),
        },
        "categories": [
            {
                "code": c.code,
                "name": c.name,
                "name_en": c.name_en,
                "kind": c.kind,
                "total_points": c.total_points,
            }
            for c in spec.categories
        ],
        "data_items": [
            {
                "code": d.code,
                "name": d.name,
                "unit_of_measure": d.unit_of_measure,
                "cumulative": d.cumulative,
            }
            for d in spec.data_items
        ],
        "source_indicators": [{"code": s.code, "name": s.name} for s in spec.sources],
        "indicators": [
            {
                "code": i.code,
                "parent": i.parent,
                "name": i.name,
                "name_en": i.name_en,
                "unit_of_measure": i.unit_of_measure,
                "direction": i.direction,
                "frequency": i.frequency,
                "cumulative": i.cumulative,
                "assessor": i.assessor,
                "leader": i.leader,
                "source": i.source,
                "evidence_required": i.evidence_required,
                "formula": i.formula,
                "method": i.method,
                "points": i.points,
            }
            for i in spec.indicators
        ],
    }


def to_json(spec: SchemeSpec) -> bytes:
    return json.dumps(spec_to_data(spec), ensure_ascii=False, indent=2).encode("utf-8")
