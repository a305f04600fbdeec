"""One score everywhere, over the whole demo county: for every unit × leaf, the cell page, the
standings, the monthly bulletin, a round on the same data and the offline `kaohe score` on the
exported scheme and values agree."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from kaohe.appraisal.inputs import DEFAULT_RULES
from kaohe.dashboard.bulletins import draft_content
from kaohe.dashboard.standings import scores_as_of
from kaohe.exchange.offline import read_values, score_table
from kaohe.exchange.services import scheme_spec
from kaohe.org.models import User
from kaohe.reporting.models import Period
from kaohe.reporting.selectors import report_in_force
from kaohe.results.selectors import indicator_score
from kaohe.results.state import assessed_units, year_state
from kaohe.schemes.models import Scheme
from kaohe.scoring.rounds import compute_round
from tests.conftest import shared_demo

TODAY = dt.date(2026, 12, 3)
AS_OF = dt.date(2026, 11, 30)  # the last month that ended: the demo's data date

demo = shared_demo(TODAY)


def _scheme() -> Scheme:
    return Scheme.objects.get(is_demo=True, year=TODAY.year)


def test_the_demo_scores_leaves_by_more_methods_than_the_completion_ratio(
    demo: Any, db: None
) -> None:
    state = year_state(scheme=_scheme(), as_of=AS_OF, with_warnings=False)
    used = {c.score.explanation.method for c in state.cells.values() if c.score.explanation}
    assert len(used) > 1, used  # a county's real scheme names several; so does the demo's


def test_every_cell_scores_the_same_alone_with_its_category_as_in_the_whole_state(
    demo: Any, db: None
) -> None:
    scheme = _scheme()
    state = year_state(scheme=scheme, as_of=AS_OF, with_warnings=False)
    assert len(state.cells) > 3000  # every applicable unit × leaf of the demo
    categories = {u.category_id for u in state.units}
    for leaf in state.leaves:
        for category in categories:
            alone = year_state(
                scheme=scheme,
                as_of=AS_OF,
                units=assessed_units(scheme, [category]),
                leaves=[leaf],
                with_warnings=False,
            )
            for key, cell in alone.cells.items():
                assert cell.score == state.cells[key].score, (leaf.code, key)
    # And the selector the cell page shows, for one unit of each category on every leaf.
    sample = {u.category_id: u for u in state.units}.values()
    for unit in sample:
        for leaf in state.leaves:
            mine = state.cell(unit.pk, leaf.pk)
            shown = indicator_score(unit=unit, indicator=leaf, as_of=AS_OF)
            assert (shown is None) == (mine is None)
            if shown is not None and mine is not None:
                assert (shown.score, shown.gap) == (mine.score.score, mine.score.gap)


def test_the_cell_page_shows_the_state_s_score_by_the_leaf_s_method(demo: Any, db: None) -> None:
    scheme = _scheme()
    state = year_state(scheme=scheme, with_warnings=False)  # today, as the page reads it
    client = Client()
    client.force_login(User.objects.get(username="office"))
    by_method: dict[str, Any] = {}
    for cell in state.cells.values():
        if cell.score.explanation is not None:
            by_method.setdefault(cell.score.explanation.method, cell)
    for method, cell in by_method.items():
        page = client.get(reverse("dashboard:cell", args=[cell.unit_id, cell.indicator_id]))
        assert page.status_code == 200
        assert page.context["score"].score == cell.score.score, method
        assert f"{cell.score.score}" in page.content.decode()


def test_standings_bulletin_and_a_round_on_the_same_data_give_the_same_scores(
    demo: Any, db: None
) -> None:
    scheme = _scheme()
    state = year_state(scheme=scheme, as_of=AS_OF, with_warnings=False)
    standings = {s.unit.pk: s for s in scores_as_of(scheme=scheme, as_of=AS_OF)}
    for unit in state.units:
        total = state.totals[unit.pk]
        assert total.total == sum((c.score for c in total.cells), Decimal(0))
        assert (standings[unit.pk].score, standings[unit.pk].rank) == (total.total, total.rank)
    november = Period.objects.get(scheme=scheme, kind="month", number=11)
    bulletin = draft_content(period=november, today=TODAY)
    printed = {(s["unit"], s["score"], s["rank"]) for s in bulletin["standings"]}
    assert printed == {
        (u.name, str(state.totals[u.pk].total), state.totals[u.pk].rank) for u in state.units
    }
    # A round's own appraisal on the same values and targets scores each leaf the same.
    inputs: dict[str, Any] = {
        "round": {"kind": "annual", "number": 0, "year": scheme.year, "as_of": AS_OF.isoformat()},
        "rules": DEFAULT_RULES["quarterly"]
        | {"components": {"own": 1.0}, "places": scheme.score_places},
        "categories": {},
        "units": [
            {"id": u.pk, "code": u.code, "name": u.name, "category": u.category.code}
            for u in state.units
        ],
        "indicators": [
            {
                "id": rule.id,
                "code": rule.code,
                "name": "",
                "method": rule.method,
                "higher_is_better": rule.higher_is_better,
                "points": dict(rule.points),
            }
            for rule in state.rules
        ],
        "values": [
            [c.unit_id, c.indicator_id, None if c.value is None else float(c.value), c.target]
            for c in state.cells.values()
        ],
        "adjustments": [],
    }
    results = compute_round(inputs)["units"]
    for unit in state.units:
        lines = {
            line["indicator"]: line["score"] for line in results[str(unit.pk)]["explanation"]["own"]
        }
        mine = {
            rule.code: float(state.cells[(unit.pk, rule.id)].score.score)
            for rule in state.rules
            if (unit.pk, rule.id) in state.cells
        }
        assert lines == mine, unit.code


def test_kaohe_score_on_the_exported_scheme_and_values_gives_the_same_totals_and_ranks(
    demo: Any, db: None
) -> None:
    scheme = _scheme()
    state = year_state(scheme=scheme, as_of=AS_OF, with_warnings=False)
    spec = scheme_spec(scheme)
    formulas = {i.code for i in spec.indicators if i.formula}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "category", "code", "value", "target"])
    for cell in state.cells.values():
        unit = next(u for u in state.units if u.pk == cell.unit_id)
        leaf = next(i for i in state.leaves if i.pk == cell.indicator_id)
        value = "" if cell.value is None else str(cell.value)
        target = "" if cell.target is None else repr(cell.target)
        writer.writerow([unit.code, unit.category.code, leaf.code, value, target])
        if leaf.code in formulas and cell.value is not None:
            # A formula leaf is computed from its data items, as the unit reported them.
            report = report_in_force(unit_id=unit.pk, indicator_id=leaf.pk, as_of=AS_OF)
            assert report is not None
            for code, item in (report.items or {}).items():
                writer.writerow([unit.code, unit.category.code, code, item, ""])
    results = {r.unit: r for r in score_table(spec, read_values(out.getvalue().encode("utf-8")))}
    codes = {i.pk: i.code for i in state.leaves}
    for unit in state.units:
        total = state.totals[unit.pk]
        mine = {codes[c.leaf]: c.score for c in total.cells}
        theirs = {code: score for code, score, _a in results[unit.code].lines}
        assert theirs == mine, unit.code
        assert (results[unit.code].total, results[unit.code].rank) == (total.total, total.rank)
