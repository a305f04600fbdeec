"""The published JSON Schema describes the files Kaohe writes and reads."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kaohe.exchange.scheme_json import spec_to_data
from kaohe.exchange.services import scheme_spec
from kaohe.schemes.models import Scheme

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "scheme.schema.json").read_text(encoding="utf-8"))


def test_the_schema_is_a_valid_2020_12_schema_and_accepts_the_example() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(
        json.loads((DOCS / "examples" / "scheme.json").read_text(encoding="utf-8")), SCHEMA
    )


@pytest.mark.django_db
def test_an_exported_demo_scheme_conforms_to_the_schema(settings) -> None:  # type: ignore[no-untyped-def]
    from kaohe.demo.builder import demo_build

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_build()
    jsonschema.validate(
        spec_to_data(scheme_spec(Scheme.objects.get(county__code="433125"))), SCHEMA
    )


def test_the_schema_refuses_a_file_of_another_format() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "other", "version": 1}, SCHEMA)
