"""The published JSON Schema describes the files Kaohe writes and reads."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "scheme.schema.json").read_text(encoding="utf-8"))


def test_the_schema_is_a_valid_2020_12_schema_and_accepts_the_example() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(
        json.loads((DOCS / "examples" / "scheme.json").read_text(encoding="utf-8")), SCHEMA
    )


def test_the_schema_refuses_a_file_of_another_format() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "other", "version": 1}, SCHEMA)


def test_the_schema_names_every_method_a_leaf_can_use() -> None:
    from kaohe.scoring.registry import METHODS

    indicator = SCHEMA["properties"]["indicators"]["items"]["properties"]
    assert set(indicator["method"]["properties"]["kind"]["enum"]) == set(METHODS)
