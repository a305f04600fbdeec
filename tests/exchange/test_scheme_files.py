"""Scheme files: every problem found at once, with where it is; nothing written unless valid."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.exchange.problems import SchemeFileError
from kaohe.exchange.scheme_excel import parse_xlsx, to_xlsx
from kaohe.exchange.scheme_json import parse_json, to_json
from kaohe.exchange.services import scheme_import, scheme_spec
from kaohe.schemes.models import Indicator, Scheme
from tests.factories import World

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "scheme.json"


def _example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _problems(content: bytes, parse: Any = parse_json) -> list[tuple[str, str]]:
    with pytest.raises(SchemeFileError) as err:
        parse(content)
    return [(p.location, p.code) for p in err.value.problems]


def _mutated(change: Any) -> bytes:
    data = copy.deepcopy(_example())
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def _leaf(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in data["indicators"] if i["code"] == code)


JSON_CASES: list[tuple[str, Any, tuple[str, str]]] = [
    ("wrong format", lambda d: d.update(format="other"), ("format", "wrong_format")),
    ("wrong version", lambda d: d.update(version=9), ("version", "wrong_version")),
    ("missing year", lambda d: d.pop("year"), ("year", "missing")),
    ("year as text", lambda d: d.update(year="明年"), ("year", "wrong_type")),
    (
        "indicators not a list",
        lambda d: d.update(indicators={"a": 1}),
        ("indicators", "wrong_type"),
    ),
    (
        "duplicate code",
        lambda d: d["indicators"].append(dict(_leaf(d, "A2"))),
        ("indicators[5].code", "duplicate"),
    ),
    (
        "unknown parent",
        lambda d: _leaf(d, "A2").update(parent="Z"),
        ("indicators[2].parent", "unknown_parent"),
    ),
    ("cycle", lambda d: d["indicators"][0].update(parent="A1"), ("indicators[0].parent", "cycle")),
    (
        "leaf without points",
        lambda d: _leaf(d, "A2").pop("points"),
        ("indicators[2].points", "leaf_without_points"),
    ),
    (
        "points on a branch",
        lambda d: d["indicators"][0].update(points={"XZ": 1}),
        ("indicators[0].points", "points_on_branch"),
    ),
    (
        "unknown category",
        lambda d: _leaf(d, "A2")["points"].update(QT=5),
        ("indicators[2].points", "unknown_category"),
    ),
    (
        "negative points",
        lambda d: _leaf(d, "A2")["points"].update(XZ=-30),
        ("indicators[2].points", "negative_points"),
    ),
    (
        "points do not add up",
        lambda d: _leaf(d, "A2")["points"].update(XZ=31),
        ("categories[0].total_points", "totals"),
    ),
    (
        "points as text",
        lambda d: _leaf(d, "A2")["points"].update(XZ="三十"),
        ("indicators[2].points.XZ", "wrong_type"),
    ),
    (
        "unknown method",
        lambda d: _leaf(d, "A2")["method"].update(kind="magic"),
        ("indicators[2].method", "bad_method"),
    ),
    (
        "bad parameter",
        lambda d: _leaf(d, "A2")["method"].update(cap=-1),
        ("indicators[2].method", "bad_method"),
    ),
    (
        "missing parameter",
        lambda d: _leaf(d, "B1")["method"].pop("per_event"),
        ("indicators[4].method", "bad_method"),
    ),
    (
        "formula names a missing item",
        lambda d: _leaf(d, "A1").update(formula="GDP / GDP_2020"),
        ("indicators[1].formula", "unknown_data_item"),
    ),
    (
        "formula that is not arithmetic",
        lambda d: _leaf(d, "A1").update(formula="__import__('os')"),
        ("indicators[1].formula", "bad_formula"),
    ),
    (
        "bad direction",
        lambda d: _leaf(d, "A1").update(direction="up"),
        ("indicators[1].direction", "bad_choice"),
    ),
    (
        "bad frequency",
        lambda d: _leaf(d, "A1").update(frequency="daily"),
        ("indicators[1].frequency", "bad_choice"),
    ),
    (
        "unknown higher-level indicator",
        lambda d: _leaf(d, "A1").update(source="Z999"),
        ("indicators[1].source", "unknown_source"),
    ),
    (
        "control characters",
        lambda d: _leaf(d, "A1").update(name="增速\x00"),
        ("indicators[1].name", "control_chars"),
    ),
    (
        "huge name",
        lambda d: _leaf(d, "A1").update(name="长" * 10_000),
        ("indicators[1].name", "too_long"),
    ),
    (
        "boolean as points",
        lambda d: _leaf(d, "A2")["points"].update(XZ=True),
        ("indicators[2].points.XZ", "wrong_type"),
    ),
]


@pytest.mark.parametrize(("why", "change", "expected"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_a_malformed_json_scheme_names_its_problem_and_where(
    why: str, change: Any, expected: tuple[str, str]
) -> None:
    assert expected in _problems(_mutated(change))


def test_every_problem_is_reported_at_once() -> None:
    def many(d: dict[str, Any]) -> None:
        _leaf(d, "A1").update(direction="up", formula="X + 1")
        _leaf(d, "A2")["method"].update(kind="magic")

    codes = {code for _where, code in _problems(_mutated(many))}
    assert {"bad_choice", "unknown_data_item", "bad_method"} <= codes


def test_problems_are_told_in_chinese_and_english() -> None:
    with pytest.raises(SchemeFileError) as err:
        parse_json(_mutated(lambda d: _leaf(d, "A2")["points"].update(XZ=31)))
    line = err.value.problems[0].line()
    assert "categories[0].total_points" in line
    assert "101" in line and "100" in line
    assert "类别" in line and "category" in line


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"{not json", "not_json"),
        (b"\xff\xfe\x00garbage", "not_json"),
        (b"[]", "wrong_format"),
        (b" " * (6 * 1024 * 1024), "too_large"),
    ],
)
def test_files_that_are_not_scheme_files_are_refused(content: bytes, code: str) -> None:
    assert code in {c for _w, c in _problems(content)}


def _xlsx_of_example() -> bytes:
    return to_xlsx(parse_json(EXAMPLE.read_bytes()))


def _edit_xlsx(edit: Any) -> bytes:
    book = load_workbook(io.BytesIO(_xlsx_of_example()))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_excel_template_round_trips_the_scheme() -> None:
    spec = parse_json(EXAMPLE.read_bytes())
    assert parse_xlsx(to_xlsx(spec)) == spec


@pytest.mark.parametrize(
    ("why", "edit", "expected"),
    [
        (
            "a wrong header",
            lambda b: b["指标 Indicators"].cell(1, 3, "标题"),
            ("指标 Indicators!C1", "bad_header"),
        ),
        (
            "a missing sheet",
            lambda b: b.remove(b["类别 Categories"]),
            ("类别 Categories", "missing_sheet"),
        ),
        (
            "an Excel formula",
            lambda b: b["指标 Indicators"].cell(3, 16, "=SUM(1,2)"),
            ("指标 Indicators!P3", "excel_formula"),
        ),
        (
            "text in a points cell",
            lambda b: b["指标 Indicators"].cell(4, 16, "三十"),
            ("indicators[2].points.XZ", "wrong_type"),
        ),
        (
            "points that do not add up",
            lambda b: b["指标 Indicators"].cell(4, 16, 35),
            ("categories[0].total_points", "totals"),
        ),
        (
            "malformed parameters",
            lambda b: b["指标 Indicators"].cell(3, 15, "cap"),
            ("指标 Indicators!O3", "wrong_type"),
        ),
    ],
)
def test_a_malformed_excel_scheme_names_its_problem_and_cell(
    why: str, edit: Any, expected: tuple[str, str]
) -> None:
    assert expected in _problems(_edit_xlsx(edit), parse_xlsx)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04broken", "not_xlsx"),
        (b"MZ\x90\x00 an executable", "not_xlsx"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(content: bytes, code: str) -> None:
    assert code in {c for _w, c in _problems(content, parse_xlsx)}


def test_a_zip_bomb_posing_as_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"\x00" * (60 * 1024 * 1024))
    assert ("file", "expands") in _problems(out.getvalue(), parse_xlsx)


def _counts() -> tuple[int, int, int]:
    return Scheme.objects.count(), Indicator.objects.count(), AuditEvent.objects.count()


def test_import_into_a_county_checks_its_units_and_writes_nothing_when_wrong(world: World) -> None:
    before = _counts()
    spec = parse_json(
        _mutated(
            lambda d: (_leaf(d, "A2").update(assessor="D99", leader="L77"), d.update(year=2030))
        )
    )
    with pytest.raises(SchemeFileError) as err:
        scheme_import(spec=spec, county=world.county)
    assert {p.code for p in err.value.problems} == {"unknown_unit", "unknown_leader"}
    assert _counts() == before


def test_export_then_import_gives_back_the_same_scheme(world: World) -> None:
    spec = parse_json(
        _mutated(
            lambda d: (_leaf(d, "A2").update(assessor="D01", leader="L01"), d.update(year=2030))
        )
    )
    scheme = scheme_import(spec=spec, county=world.county)
    assert scheme.status == "draft" and scheme.indicators.count() == 5
    exported = scheme_spec(scheme)
    assert parse_json(to_json(exported)) == exported == spec
    assert AuditEvent.objects.filter(action="scheme.import", object_id=str(scheme.pk)).exists()


def test_a_second_import_for_the_same_year_is_refused(world: World) -> None:
    spec = parse_json(_mutated(lambda d: d.update(year=world.scheme.year)))
    with pytest.raises(SchemeFileError) as err:
        scheme_import(spec=spec, county=world.county)
    assert [p.code for p in err.value.problems] == ["exists"]


@pytest.mark.parametrize(("why", "change", "expected"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_importing_a_malformed_file_leaves_the_database_unchanged(
    world: World, tmp_path: Path, why: str, change: Any, expected: tuple[str, str]
) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.json"
    path.write_bytes(_mutated(change))
    before = _counts()
    with pytest.raises(CommandError):
        call_command(
            "scheme", "import", str(path), "--county", world.county.code, stdout=io.StringIO()
        )
    assert _counts() == before
