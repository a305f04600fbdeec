"""The year's scores in one place: every unit × leaf scored by the leaf's own method.

Every number a page, a bulletin, a round or the offline scorer shows for a unit's leaf comes from
``score_cells`` (DESIGN.md, "One read model"): the battle map's cell page, the standings, the
bulletins, the designer's what-if, the rounds' own appraisal and ``kaohe score`` all call it, so
that the number on the map is the number published in the round.

Rules, the same everywhere:

- a leaf applies to a unit when it has points for the unit's category;
- each leaf is scored per category in one call to its method through the registry
  (``registry.score_method``), so the methods that compare units (rank points, proportional to
  the best) see the whole category;
- a unit with no value cannot be scored on a leaf, nor can a unit with no target on a leaf whose
  method needs one (completion ratio, stepped completion, shortfall deduction): the cell scores 0
  and says why (``gap``: "no value", "no target"), and it takes no part in its category's
  ranking; a leaf whose method is not valid scores 0 for everyone with "not scored: <problem>";
- a unit's total is the sum of its leaf scores; ranks are within the category, ties sharing the
  better rank.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from kaohe.scoring.batch import ScoreBatch
from kaohe.scoring.explain import Explanation
from kaohe.scoring.registry import score_method
from kaohe.scoring.standings import competition_ranks

#: The leaf methods that compare a value with a target; the others need none.
NEEDS_TARGET = frozenset({"completion_ratio", "stepped_completion", "shortfall_deduction"})

NO_VALUE = "no value"
NO_TARGET = "no target"

Key = tuple[Any, Any]  # (unit, leaf): ids of any hashable kind


def method_of(method: Mapping[str, Any] | None) -> dict[str, Any]:
    """A leaf's method description, completion ratio when the scheme names none."""
    return {"kind": "completion_ratio", **(method or {})}


@dataclass(frozen=True)
class LeafRule:
    """How one leaf is scored: its method, direction and points per category (absent: the leaf
    does not apply to that category)."""

    id: Any  # hashable: a database id or a code
    code: str
    method: Mapping[str, Any]
    higher_is_better: bool
    points: Mapping[str, float]


@dataclass(frozen=True)
class CellScore:
    """One unit's score on one leaf; ``gap`` says why it could not be scored ("" when scored).

    The explanation is built only when read (``ScoreBatch`` builds them lazily: a bulletin or a
    what-if totals thousands of cells and reads none)."""

    unit: Hashable
    leaf: Hashable
    points: float
    score: Decimal
    gap: str = ""
    _batch: ScoreBatch | None = field(default=None, repr=False, compare=False)
    _index: int = field(default=0, repr=False, compare=False)

    @property
    def explanation(self) -> Explanation | None:
        return None if self._batch is None else self._batch.explanations[self._index]

    @property
    def arithmetic(self) -> str:
        explanation = self.explanation
        if explanation is not None:
            return explanation.arithmetic
        return f"{self.gap} → 0"


@dataclass(frozen=True)
class UnitTotal:
    unit: Hashable
    category: str
    total: Decimal
    points: float
    rank: int
    of: int
    cells: list[CellScore] = field(default_factory=list)


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def score_cells(
    leaves: Sequence[LeafRule],
    units: Sequence[tuple[Hashable, str]],
    values: Mapping[Key, float | None],
    targets: Mapping[Key, float | None],
    *,
    places: int = 2,
) -> dict[Key, CellScore]:
    """Every applicable (unit, leaf) cell scored by the leaf's method, per category.

    ``units`` are (unit, category) pairs; ``values`` and ``targets`` are keyed by (unit, leaf id),
    a missing key or None meaning none. The result is keyed the same way, in leaf order.
    """
    by_category: dict[str, list[Hashable]] = {}
    for unit, category in units:
        by_category.setdefault(category, []).append(unit)
    out: dict[Key, CellScore] = {}
    for leaf in leaves:
        method = method_of(leaf.method)
        wants_target = method["kind"] in NEEDS_TARGET
        for category, members in by_category.items():
            points = leaf.points.get(category)
            if points is None:
                continue
            points = float(points)
            scorable: list[Hashable] = []
            for unit in members:
                value = _number(values.get((unit, leaf.id)))
                target = _number(targets.get((unit, leaf.id)))
                gap = ""
                if wants_target and math.isnan(target):
                    gap = NO_TARGET
                elif math.isnan(value):
                    gap = NO_VALUE
                if gap:
                    out[(unit, leaf.id)] = CellScore(unit, leaf.id, points, Decimal(0), gap)
                else:
                    scorable.append(unit)
            if not scorable:
                continue
            try:
                batch = score_method(
                    method,
                    np.array([_number(values.get((u, leaf.id))) for u in scorable]),
                    np.array([_number(targets.get((u, leaf.id))) for u in scorable]),
                    points,
                    higher_is_better=leaf.higher_is_better,
                    places=places,
                )
            except ValueError as exc:
                for unit in scorable:
                    out[(unit, leaf.id)] = CellScore(
                        unit, leaf.id, points, Decimal(0), f"not scored: {exc}"
                    )
                continue
            for k, unit in enumerate(scorable):
                out[(unit, leaf.id)] = CellScore(
                    unit, leaf.id, points, batch.scores[k], _batch=batch, _index=k
                )
    return out


def unit_totals(
    cells: Mapping[Key, CellScore], units: Sequence[tuple[Hashable, str]]
) -> list[UnitTotal]:
    """Each unit's total of its leaf scores and its rank in its category (ties share the better
    rank), in the order of ``units``."""
    mine: dict[Hashable, list[CellScore]] = {u: [] for u, _c in units}
    for (unit, _leaf), cell in cells.items():
        if unit in mine:
            mine[unit].append(cell)
    totals = {u: sum((c.score for c in mine[u]), Decimal(0)) for u, _c in units}
    ranks: dict[Hashable, tuple[int, int]] = {}
    by_category: dict[str, list[Hashable]] = {}
    for unit, category in units:
        by_category.setdefault(category, []).append(unit)
    for members in by_category.values():
        for unit, rank in zip(
            members, competition_ranks([float(totals[u]) for u in members]), strict=True
        ):
            ranks[unit] = (int(rank), len(members))
    return [
        UnitTotal(
            unit=u,
            category=c,
            total=totals[u],
            points=math.fsum(cell.points for cell in mine[u]),
            rank=ranks[u][0],
            of=ranks[u][1],
            cells=mine[u],
        )
        for u, c in units
    ]


def gaps(cells: Iterable[CellScore]) -> list[CellScore]:
    """The cells that could not be scored, with their reasons."""
    return [c for c in cells if c.gap]


def score_sample(
    method: Mapping[str, Any],
    value: float,
    target: float | None,
    points: float,
    *,
    higher_is_better: bool = True,
    places: int = 2,
) -> CellScore:
    """One sample value scored as a leaf alone in its category would be (the designer's
    preview); ValueError when the method's parameters cannot score."""
    rule = LeafRule("sample", "sample", method, higher_is_better, {"sample": points})
    key = ("sample", "sample")
    cell = score_cells([rule], [key], {key: value}, {key: target}, places=places)[key]
    if cell.gap.startswith("not scored: "):
        raise ValueError(cell.gap.removeprefix("not scored: "))
    return cell
