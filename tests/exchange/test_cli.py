"""The command line: kaohe scheme validate|import|export and kaohe score (no database)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kaohe.schemes.models import Scheme
from tests.factories import World

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_validate_says_valid_or_lists_every_problem(tmp_path: Path) -> None:
    out = StringIO()
    call_command("scheme", "validate", str(EXAMPLES / "scheme.json"), stdout=out)
    assert out.getvalue().startswith("valid:")
    bad = json.loads((EXAMPLES / "scheme.json").read_text(encoding="utf-8"))
    bad["indicators"][2]["points"]["XZ"] = 31
    bad["indicators"][1]["direction"] = "up"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("scheme", "validate", str(path), stdout=out)
    assert (
        "categories[0].total_points" in out.getvalue()
        and "indicators[1].direction" in out.getvalue()
    )


def test_import_then_export_in_both_formats(world: World, tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "scheme.json").read_text(encoding="utf-8"))
    data["year"] = 2031
    source = tmp_path / "s.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("scheme", "import", str(source), "--county", world.county.code, stdout=out)
    assert "imported as draft" in out.getvalue()
    assert Scheme.objects.get(county=world.county, year=2031).indicators.count() == 5
    xlsx = tmp_path / "s.xlsx"
    call_command(
        "scheme",
        "export",
        "--county",
        world.county.code,
        "--year",
        "2031",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
    )
    out = StringIO()
    call_command("scheme", "validate", str(xlsx), stdout=out)
    assert out.getvalue().startswith("valid:")


def test_score_checks_a_scheme_offline_with_the_hand_worked_result(tmp_path: Path) -> None:
    # No database fixture: pytest-django makes any query in this test raise.
    out = tmp_path / "scores.json"
    call_command(
        "score",
        str(EXAMPLES / "scheme.json"),
        str(EXAMPLES / "values.csv"),
        "--format",
        "json",
        "--output",
        str(out),
    )
    results = {r["unit"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    # 乙镇: growth 4.5 of 6 → 40 × 0.75 = 30; 1200 of 1000 capped → 30; no accident → 30.
    # 甲镇: growth 6 of 6 → 40; 900 of 1000 → 27; two accidents → 30 − 10 = 20.
    assert (results["乙镇"]["total"], results["乙镇"]["rank"]) == ("90.00", 1)
    assert (results["甲镇"]["total"], results["甲镇"]["rank"]) == ("87.00", 2)
    b1 = next(i for i in results["甲镇"]["indicators"] if i["code"] == "B1")
    assert b1["explanation"] == "30 − (2 × 5), at least 0 = 20.00"


def test_score_refuses_a_values_file_with_a_wrong_header_or_text_for_a_number(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "v.csv"
    bad.write_text("unit,value\n甲镇,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="first row"):
        call_command("score", str(EXAMPLES / "scheme.json"), str(bad))
    bad.write_text("unit,category,code,value,target\n甲镇,XZ,A2,很多,1000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a number"):
        call_command("score", str(EXAMPLES / "scheme.json"), str(bad))


def _scheme_without_targets(tmp_path: Path) -> Path:
    """The example scheme with its two townships scored by methods that need no target."""
    data = json.loads((EXAMPLES / "scheme.json").read_text(encoding="utf-8"))
    methods = {
        "A1": {"kind": "efficacy_coefficient", "satisfactory": 6, "not_allowed": 0},
        "A2": {"kind": "proportional_to_best"},
    }
    for indicator in data["indicators"]:
        if indicator["code"] in methods:
            indicator["method"] = methods[indicator["code"]]
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _values_without_targets(tmp_path: Path, *, drop: str = "") -> Path:
    lines = (EXAMPLES / "values.csv").read_text(encoding="utf-8").splitlines()
    kept = (
        [lines[0]]
        + [
            ",".join(line.split(",")[:4]) + ","  # the target cell left empty
            for line in lines[1:]
            if not line.startswith(drop) or not drop
        ]
    )
    path = tmp_path / "values.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_score_needs_a_target_only_for_the_methods_that_use_one(tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    call_command(
        "score",
        str(_scheme_without_targets(tmp_path)),
        str(_values_without_targets(tmp_path)),
        "--format",
        "json",
        "--output",
        str(out),
    )
    results = {r["unit"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    # 甲镇: growth 6 at the satisfactory 6 → 40; 900 of the best 1200 → 30 × 0.75 = 22.5;
    # two accidents → 30 − 10 = 20; total 82.5. 乙镇: growth 4.5 → 40 × (0.6 + 0.4 × 4.5 / 6)
    # = 36; the best → 30; no accident → 30; total 96.
    scores = {u: {i["code"]: i["score"] for i in r["indicators"]} for u, r in results.items()}
    assert scores["甲镇"] == {"A1": "40.00", "A2": "22.50", "B1": "20.00"}
    assert scores["乙镇"] == {"A1": "36.00", "A2": "30.00", "B1": "30.00"}
    assert (results["乙镇"]["total"], results["乙镇"]["rank"]) == ("96.00", 1)
    assert (results["甲镇"]["total"], results["甲镇"]["rank"]) == ("82.50", 2)


def test_score_names_every_cell_it_cannot_score_and_fails_unless_gaps_are_allowed(
    tmp_path: Path,
) -> None:
    scheme = _scheme_without_targets(tmp_path)
    values = _values_without_targets(tmp_path, drop="乙镇,XZ,A2")
    err = StringIO()
    with pytest.raises(CommandError, match="1 cell"):
        call_command("score", str(scheme), str(values), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == "乙镇 A2: no value → 0"
    # The example's A2 needs a target (completion ratio): without one it is a gap too.
    err, out = StringIO(), StringIO()
    call_command(
        "score",
        str(EXAMPLES / "scheme.json"),
        str(_values_without_targets(tmp_path)),
        "--allow-gaps",
        stdout=out,
        stderr=err,
    )
    assert set(err.getvalue().split("\n")[:-1]) == {
        "甲镇 A1: no target → 0",
        "甲镇 A2: no target → 0",
        "乙镇 A1: no target → 0",
        "乙镇 A2: no target → 0",
    }
    assert "乙镇,XZ,B1,30.00" in out.getvalue()
