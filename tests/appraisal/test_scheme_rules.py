"""A scheme file can define how its rounds add up; bad rules are refused with their place."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kaohe.appraisal.inputs import DEFAULT_RULES, rules_for
from kaohe.exchange.problems import SchemeFileError
from kaohe.exchange.scheme_json import parse_json, spec_to_data
from kaohe.exchange.services import scheme_import, scheme_spec
from tests.factories import World

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "scheme.json"
ANNUAL = {"components": {"own": 0.7, "rating": 0.3}, "quotas": {"优秀": {"share": 0.2}}}


def _file(appraisal: Any) -> bytes:
    data = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    data["year"] = 2030  # the world already has this year's scheme
    data.setdefault("settings", {})["appraisal"] = appraisal
    return json.dumps(data, ensure_ascii=False).encode()


def test_the_schemes_rules_override_the_defaults_and_round_trip(world: World) -> None:
    spec = parse_json(_file({"annual": ANNUAL}))
    scheme = scheme_import(spec=spec, county=world.county)
    rules = rules_for(scheme, "annual")
    assert rules["components"] == {"own": 0.7, "rating": 0.3}
    assert rules["quotas"] == {"优秀": {"share": 0.2}}
    assert rules["grades"] == DEFAULT_RULES["annual"]["grades"]  # not given: the default
    assert rules_for(scheme, "quarterly") == DEFAULT_RULES["quarterly"]
    assert spec_to_data(scheme_spec(scheme))["settings"]["appraisal"] == {"annual": ANNUAL}


def test_bad_rules_are_refused_with_their_place() -> None:
    with pytest.raises(SchemeFileError) as err:
        parse_json(_file({"annual": {"components": {"luck": 1}}, "monthly": {}}))
    found = {(p.location, p.code) for p in err.value.problems}
    assert ("settings.appraisal.annual", "bad_appraisal") in found
    assert ("settings.appraisal.monthly", "bad_choice") in found
    line = next(p for p in err.value.problems if p.code == "bad_appraisal").line()
    assert "luck" in line
