"""The demo county as `make demo` builds it: organisation, scheme, a year of data, accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.audit.services import audit_verify
from kaohe.demo.builder import ACCOUNTS, demo_build
from kaohe.monitoring.models import Warning
from kaohe.org.models import Category, County, Unit, User
from kaohe.reporting.models import ProgressReport
from kaohe.schemes.models import Indicator, IndicatorPoints
from kaohe.schemes.selectors import category_totals, coverage_list

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_build(today=TODAY)


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
    indicators = Indicator.objects.filter(county__code="433125")
    assert indicators.filter(level=1).count() == 5
    assert indicators.filter(level=3).count() == 140
    for category in Category.objects.filter(county__code="433125"):
        total = IndicatorPoints.objects.filter(category=category).aggregate(s=Sum("points"))["s"]
        assert total == Decimal("1000"), category.name
    scheme = Indicator.objects.filter(county__code="433125").first().scheme  # type: ignore[union-attr]
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
