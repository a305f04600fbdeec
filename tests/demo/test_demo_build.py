"""The demo county as `make demo` builds it: organisation, scheme, a year of data, accounts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.audit.services import audit_verify
from kaohe.demo.builder import ACCOUNTS
from kaohe.demo.history import YEARS
from kaohe.monitoring.models import Forecast, HistoricalValue, HistorySource, Warning
from kaohe.org.models import Category, County, Unit, User
from kaohe.reporting.models import ProgressReport, Target
from kaohe.schemes.models import Indicator, IndicatorPoints
from kaohe.schemes.selectors import category_totals, coverage_list
from kaohe.supervision.models import HelpVisit, Inspection, JobRun, Notice, Problem
from tests.conftest import shared_demo

TODAY = dt.date(2026, 11, 24)


built = shared_demo(TODAY)


@pytest.fixture
def demo(built: object, db: None) -> object:
    return built


def test_it_builds_baojing_with_its_townships_departments_and_peers(demo: None) -> None:
    county = County.objects.get(code="433125")
    assert (
        county.name == "保靖县" and county.prefecture == "湘西土家族苗族自治州" and county.is_demo
    )
    assert Unit.objects.filter(county=county, kind="township", is_assessed=True).count() == 12
    assert Unit.objects.filter(county=county, kind="department", is_assessed=True).count() == 32
    assert Unit.objects.filter(county=county, is_supervision=True).count() == 5
    peers = County.objects.filter(prefecture_code="433100", is_hosted=False)
    assert sorted(peers.values_list("name", flat=True)) == sorted(
        ["吉首市", "泸溪县", "凤凰县", "花垣县", "古丈县", "永顺县", "龙山县"]
    )


def test_its_scheme_has_five_first_level_and_140_leaf_indicators_worth_1000_per_category(
    demo: None,
) -> None:
    # This year's scheme (last year's, closed, is a copy of it: kaohe.demo.closed_year).
    indicators = Indicator.objects.filter(county__code="433125", scheme__year=TODAY.year)
    assert indicators.filter(level=1).count() == 5
    assert indicators.filter(level=3).count() == 140
    for category in Category.objects.filter(county__code="433125"):
        total = IndicatorPoints.objects.filter(
            category=category, indicator__scheme__year=TODAY.year
        ).aggregate(s=Sum("points"))["s"]
        assert total == Decimal("1000"), category.name
    scheme = indicators.first().scheme  # type: ignore[union-attr]
    assert all(t.balanced for t in category_totals(scheme=scheme))
    assert [s.code for s in coverage_list(scheme=scheme)] == ["Z139", "Z140"]


def test_it_fills_the_year_with_reports_and_warning_history_up_to_today(demo: None) -> None:
    assert not ProgressReport.objects.filter(period__end__gte=TODAY).exists()
    assert ProgressReport.objects.filter(status="confirmed").count() > 5000
    assert ProgressReport.objects.filter(status="submitted").exists()
    levels = set(Warning.objects.values_list("level", flat=True))
    assert {0, 1, 2, 3} <= levels
    # A monthly indicator carries a colour for each month that has ended.
    pair = (
        Warning.objects.filter(indicator__frequency="monthly").values("unit", "indicator").first()
    )
    assert pair is not None
    assert Warning.objects.filter(**pair).count() == 10


def test_every_role_has_an_account_that_can_log_in(demo: None) -> None:
    for username, *_rest in ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("org:login"), {"username": username, "password": "Kaohe@2026"}
        )
        assert response.status_code == 302, username
    assert User.objects.get(username="unit").unit.name == "迁陵镇"  # type: ignore[union-attr]


def test_the_demo_unit_has_work_due_that_its_assessor_reviews(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(username="unit"))
    items = client.get(reverse("reporting:due")).context["items"]
    assert items
    assessor = User.objects.get(username="assessor")
    monthly = [i for i in items if i.target.indicator.frequency == "monthly"]
    assert monthly[0].target.indicator.assessor_id == assessor.unit_id


def test_the_build_is_audited_and_the_chain_verifies(demo: None) -> None:
    assert audit_verify() == []


def test_a_second_build_with_if_empty_changes_nothing(demo: None) -> None:
    before = ProgressReport.objects.count()
    out = StringIO()
    call_command("demo", "build", "--if-empty", stdout=out)
    assert ProgressReport.objects.count() == before
    assert "unit" in out.getvalue()


def test_the_battle_map_needs_as_many_queries_for_44_units_as_for_two(demo: None) -> None:
    from tests.factories import build_world

    small = build_world(code="900009")
    # Same kind of account on both sides: an office user bound to a unit.
    small.user("office").unit = small.assessor_unit
    small.user("office").save()
    counts = []
    for user in (small.user("office"), User.objects.get(username="office")):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard:battlemap")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12


def test_peer_ranking_puts_baojing_first_where_the_report_says(demo: None) -> None:
    from kaohe.dashboard.peers import peer_table

    office = User.objects.get(username="office")
    table = peer_table(user=office)
    assert table.period == "2022Q3" and len(table.counties) == 8
    for metric in ("fixed_asset_investment", "deposits", "loans", "disposable_income"):
        assert table.own_ranks[metric] == 1, metric
    client = Client()
    client.force_login(office)
    page = client.get(reverse("dashboard:peers")).content.decode()
    assert "14.7" in page and "17.0" in page and "吉首市" in page and "虚构" in page


def test_the_demo_has_synthetic_history_forecasts_and_a_backtest(demo: object) -> None:
    cumulative = Target.objects.filter(indicator__cumulative=True, scheme__year=TODAY.year).count()
    history = HistoricalValue.objects.all()
    assert history.count() == cumulative * YEARS * 12
    assert set(history.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert set(history.values_list("source", flat=True)) == {HistorySource.SYNTHETIC}
    # Cumulative values never fall within a year.
    some = list(
        history.filter(unit__code="T01", year=2024)
        .order_by("indicator_code", "month")
        .values_list("indicator_code", "value")
    )
    for (code_a, a), (code_b, b) in itertools.pairwise(some):
        assert code_a != code_b or b >= a
    # Forecasts go with warnings of cumulative indicators, those with a value from history.
    forecasts = Forecast.objects.select_related("warning__indicator")
    assert forecasts.exists()
    assert all(f.warning.indicator.cumulative for f in forecasts)
    latest_dates = {w.as_of for w in Warning.objects.filter(indicator__cumulative=True)}
    assert {f.warning.as_of for f in forecasts} <= latest_dates
    with_value = [f for f in forecasts if f.year_end is not None]
    # Every forecast rests on the three years, but those of the events a unit should not have
    # (accidents, petitions: scored by deduction), where a year without any has no shape.
    events = [f for f in with_value if f.warning.indicator.method.get("kind") == "deduction"]
    amounts = [f for f in with_value if f not in events]
    assert amounts and all(f.history_years == YEARS for f in amounts)
    assert events
    assert 0 < sum(1 for f in with_value if (f.miss_probability or 0) > 0.5) < len(with_value)
    out = StringIO()
    call_command("forecast_backtest", "--months", "3-10", stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines()[2:]]
    assert [r[0] for r in rows] == [str(m) for m in range(3, 11)]
    mape = [float(r[2].rstrip("%")) for r in rows]
    assert mape[-1] < mape[0] < 25  # the forecast improves as the year goes on


def test_the_demo_has_the_loop_at_every_stage(demo: Any) -> None:
    county = demo.county
    notices = Notice.objects.filter(county=county)
    statuses = set(notices.values_list("status", flat=True))
    assert {"draft", "issued", "rectifying", "returned", "accepted", "escalated"} <= statuses
    # One reminder escalated to a supervision order; another on to an admonition talk.
    assert set(notices.values_list("kind", flat=True)) == {"reminder", "order", "talk"}
    escalated = notices.get(status="escalated", kind="reminder", children__status="issued")
    assert escalated.children.get().kind == "order"
    talk = notices.get(kind="talk")
    assert talk.parent.kind == "order" and talk.parent.parent.kind == "reminder"  # type: ignore[union-attr]
    numbers = sorted(
        notices.filter(kind="reminder").exclude(seq=None).values_list("seq", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    assert notices.get(seq=1, kind="reminder").number == "保绩提〔2026〕1号"
    assert Problem.objects.filter(county=county).count() >= 12
    assert Problem.objects.filter(county=county, status="solved").exists()
    assert Inspection.objects.filter(county=county).count() == 5
    assert HelpVisit.objects.filter(county=county).count() == 6
    assert JobRun.objects.filter(county=county, outcome="ok").count() == 5  # with cadence_demo
    assert audit_verify(chain=county.code) == []

    client = Client()
    client.force_login(User.objects.get(username="office"))
    for name in ["notices", "loops", "cadence", "inspections", "problems", "visits"]:
        assert client.get(reverse(f"supervision:{name}")).status_code == 200, name
    page = client.get(reverse("supervision:notice", args=[escalated.pk])).content.decode()
    assert escalated.number in page
    client.force_login(User.objects.get(username="unit"))
    mine = client.get(reverse("supervision:notices")).content.decode()
    assert "保绩提" in mine


def test_an_exported_demo_scheme_conforms_to_the_schema(demo: object) -> None:
    import json
    from pathlib import Path

    import jsonschema

    from kaohe.exchange.scheme_json import spec_to_data
    from kaohe.exchange.services import scheme_spec
    from kaohe.schemes.models import Scheme

    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "scheme.schema.json").read_text("utf-8")
    )
    for scheme in Scheme.objects.filter(county__code="433125"):  # this year's and last year's
        jsonschema.validate(spec_to_data(scheme_spec(scheme)), schema)


def test_the_demo_has_final_quarters_a_preview_year_and_cadre_decisions(demo: object) -> None:
    from kaohe.appraisal.models import CadreAction, Round
    from kaohe.appraisal.services import round_verify

    rounds = {
        (r.kind, r.number): r
        for r in Round.objects.filter(scheme__county__code="433125", scheme__year=TODAY.year)
    }
    # Quarters that ended 20 days before 24 November: Q1 to Q3, final; the year a preview.
    assert {k: r.status for k, r in rounds.items()} == {
        ("quarterly", 1): "final",
        ("quarterly", 2): "final",
        ("quarterly", 3): "final",
        ("annual", 0): "computed",
    }
    assert all(r.results.count() == 44 for r in rounds.values())
    assert all(round_verify(r) == [] for r in rounds.values())
    # Four on the latest final quarter, and a reminder talk after an admonition talk.
    actions = CadreAction.objects.filter(county__code="433125", year=TODAY.year)
    assert actions.count() == 5
    assert actions.filter(kind="reminder", notices__kind="talk").count() == 1
    client = Client()
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("appraisal:round", args=[rounds[("annual", 0)].pk]))
    assert page.status_code == 200 and "迁陵镇" in page.content.decode()
