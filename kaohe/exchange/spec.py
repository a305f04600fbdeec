"""A scheme as plain data (SchemeSpec): what scheme files hold and what import writes.

JSON and Excel files both parse into a SchemeSpec; a scheme in the database exports to one.
Each item remembers where it came from (``where``: a field name -> a location such as
``indicators[3].points`` or ``指标 Indicators!F5``) so that every problem can say where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT = "kaohe-scheme"
VERSION = 1
KINDS = ("township", "department")
DIRECTIONS = ("higher", "lower")
FREQUENCIES = ("weekly", "monthly", "quarterly", "half", "yearly")


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    kind: str
    total_points: float
    where: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class DataItemSpec:
    code: str
    name: str
    unit_of_measure: str = ""
    cumulative: bool = True
    where: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class SourceSpec:
    code: str
    name: str
    where: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    parent: str | None = None
    name_en: str = ""
    unit_of_measure: str = ""
    direction: str = "higher"
    frequency: str = "yearly"
    cumulative: bool = False
    assessor: str = ""
    leader: str = ""
    source: str = ""
    evidence_required: bool = False
    formula: str = ""
    method: dict[str, Any] = field(default_factory=dict)
    points: dict[str, float] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class SchemeSpec:
    year: int
    name: str
    rules_text: str = ""
    score_places: int = 2
    warning: tuple[float, float, float] = (0.0, 5.0, 15.0)
    appraisal: dict[str, Any] = field(default_factory=dict)
    categories: tuple[CategorySpec, ...] = ()
    data_items: tuple[DataItemSpec, ...] = ()
    sources: tuple[SourceSpec, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
