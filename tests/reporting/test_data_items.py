"""Reports per data item: an indicator with a formula is reported through its data items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.reporting.models import ProgressReport, Target
from kaohe.reporting.services import report_submit
from kaohe.schemes.models import Indicator, IndicatorPoints
from tests.factories import World
from tests.reporting.itemised import FORMULA, make_itemised


@pytest.fixture
def itemised(world: World) -> World:
    return make_itemised(world)


def _submit(world: World, items: dict[str, str], month: int = 10) -> ProgressReport:
    return report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[month - 1],
        value="",
        note="",
        items=items,
    )


def _client(world: World, role: str = "unit", lang: str | None = None) -> Client:
    client = Client()
    client.force_login(world.user(role))
    if lang:
        client.cookies["django_language"] = lang
    return client


def test_the_value_is_computed_from_the_items_and_the_items_are_kept_and_audited(
    itemised: World,
) -> None:
    report = _submit(itemised, {"GDP": "108", "GDP_LAST": "100"})
    report.refresh_from_db()
    assert report.value == Decimal("8.0000")
    assert report.items == {"GDP": "108.0000", "GDP_LAST": "100.0000"}
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert event.after is not None
    assert event.after["items"] == {"GDP": "108.0000", "GDP_LAST": "100.0000"}
    assert event.after["value"] == "8.0000"


def test_a_correction_records_the_items_before_and_after(itemised: World) -> None:
    report = _submit(itemised, {"GDP": "108", "GDP_LAST": "100"})
    ProgressReport.objects.filter(pk=report.pk).update(status="returned")
    report_submit(
        user=itemised.user("unit"),
        target=itemised.target,
        period=itemised.months[9],
        value="",
        note="更正",
        items={"GDP": "110", "GDP_LAST": "100"},
        version=report.version,
    )
    event = AuditEvent.objects.filter(action="report.submit").order_by("-seq").first()
    assert event is not None and event.before is not None and event.after is not None
    assert event.before["items"]["GDP"] == "108.0000"
    assert event.after["items"]["GDP"] == "110.0000"
    assert event.after["value"] == "10.0000"


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ({"GDP": "108"}, "item_GDP_LAST", "Enter the value of 上年同期地区生产总值."),
        (
            {"GDP": "108", "GDP_LAST": " "},
            "item_GDP_LAST",
            "Enter the value of 上年同期地区生产总值.",
        ),
        # In English an item is named by its English name where it has one (GDP), else in Chinese.
        ({"GDP": "一百零八", "GDP_LAST": "100"}, "item_GDP", "GDP: Enter a number."),
        ({"GDP": "1e12", "GDP_LAST": "100"}, "item_GDP", "GDP: The number is too large."),
        (
            {"GDP": "108", "GDP_LAST": "0"},
            "item_GDP_LAST",
            f"With these values the formula {FORMULA} divides by zero: check 上年同期地区生产总值.",
        ),
    ],
)
def test_bad_items_are_refused_with_a_clear_message_and_nothing_is_written(
    itemised: World, items: dict[str, str], field: str, message: str
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _submit(itemised, items)
    assert caught.value.message_dict[field] == [message]
    assert not ProgressReport.objects.exists()
    assert not AuditEvent.objects.filter(action="report.submit").exists()


def test_errors_are_translated_into_chinese(itemised: World) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _submit(itemised, {"GDP": "108", "GDP_LAST": "0"})
    assert "除数为零" in caught.value.message_dict["item_GDP_LAST"][0]


def test_an_indicator_without_a_formula_still_takes_one_value(world: World) -> None:
    report = report_submit(
        user=world.user("unit"),
        target=world.target,
        period=world.months[9],
        value="1000",
        note="",
        items={"GDP": "1"},  # ignored: the indicator has no formula
    )
    assert report.value == Decimal("1000.0000")
    assert report.items == {}


def test_the_form_shows_one_input_per_item_with_its_unit_and_description(
    itemised: World,
) -> None:
    url = reverse("reporting:fill", args=[itemised.target.pk, itemised.months[9].pk])
    page = _client(itemised).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="item_GDP"' in html and 'name="item_GDP_LAST"' in html
    assert 'name="value"' not in html  # the value is computed, not typed
    assert "地区生产总值" in html and "亿元" in html
    assert html.index('name="item_GDP"') < html.index('name="item_GDP_LAST"')  # formula order
    assert FORMULA in html


def test_the_form_submits_the_items_and_shows_errors_beside_them_in_chinese(
    itemised: World,
) -> None:
    url = reverse("reporting:fill", args=[itemised.target.pk, itemised.months[9].pk])
    client = _client(itemised)
    page = client.post(url, {"item_GDP": "108", "item_GDP_LAST": "", "note": ""})
    assert page.status_code == 200
    assert page.context["form"].errors["item_GDP_LAST"] == ["请填写上年同期地区生产总值。"]
    assert not ProgressReport.objects.exists()
    done = client.post(url, {"item_GDP": "108", "item_GDP_LAST": "100", "note": "稳增长"})
    assert done.status_code == 302
    report = ProgressReport.objects.get()
    assert report.value == Decimal("8") and report.items["GDP_LAST"] == "100.0000"
    # Opened again, the form shows what was reported.
    again = client.get(url).content.decode()
    assert 'value="108.0000"' in again


def test_the_check_shows_the_computed_value_as_the_unit_types(itemised: World) -> None:
    url = reverse("reporting:check", args=[itemised.target.pk, itemised.months[9].pk])
    page = _client(itemised).post(url, {"item_GDP": "108", "item_GDP_LAST": "100"})
    assert page.context["computed"] == Decimal("8")
    zero = _client(itemised, lang="en").post(url, {"item_GDP": "108", "item_GDP_LAST": "0"})
    assert "divides by zero" in zero.content.decode()


def test_a_figure_given_once_prefills_another_indicator_that_reads_it(itemised: World) -> None:
    _submit(itemised, {"GDP": "108", "GDP_LAST": "100"})
    other = Indicator.objects.create(
        county=itemised.county,
        scheme=itemised.scheme,
        parent=itemised.root,
        code="A02",
        name="地区生产总值总量",
        level=2,
        position=3,
        formula="GDP",
        frequency="monthly",
        assessor=itemised.assessor_unit,
    )
    IndicatorPoints.objects.create(indicator=other, category=itemised.category, points=5)
    target = Target.objects.create(
        county=itemised.county,
        scheme=itemised.scheme,
        unit=itemised.town,
        indicator=other,
        annual_target=500,
    )
    url = reverse("reporting:fill", args=[target.pk, itemised.months[9].pk])
    form = _client(itemised).get(url).context["form"]
    assert form["item_GDP"].value() == "108.0000"
    assert "item_GDP_LAST" not in form.fields


def test_the_assessor_sees_the_items_beside_the_value(itemised: World) -> None:
    _submit(itemised, {"GDP": "108", "GDP_LAST": "100"})
    html = _client(itemised, "assessor").get(reverse("reporting:queue")).content.decode()
    assert 'data-testid="report-items"' in html
    assert "地区生产总值" in html and "108" in html and "上年同期地区生产总值" in html
    report = ProgressReport.objects.get()
    detail = _client(itemised, "office").get(reverse("reporting:detail", args=[report.pk]))
    assert "上年同期地区生产总值" in detail.content.decode()


def test_the_grid_takes_the_items_of_an_itemised_indicator(itemised: World) -> None:
    client = _client(itemised)
    page = client.get(reverse("reporting:grid"))
    (item, *_rest, inputs) = page.context["rows"][0]
    names = [name for _d, name, _v in inputs]
    assert names == [f"item-{item.key}-GDP", f"item-{item.key}-GDP_LAST"]
    bad = client.post(reverse("reporting:grid"), {names[0]: "108", names[1]: "0"})
    assert bad.status_code == 200 and not ProgressReport.objects.exists()
    ok = client.post(reverse("reporting:grid"), {names[0]: "108", names[1]: "100"})
    assert ok.status_code == 302
    assert ProgressReport.objects.get().value == Decimal("8")


def test_the_demo_computes_several_indicators_from_its_data_items() -> None:
    from kaohe.demo import builder
    from kaohe.demo import indicators as tree
    from kaohe.scoring.formula import parse

    leaves = {leaf.name_en for leaf in tree.leaves()}
    codes = {code for code, *_rest in builder.DATA_ITEMS}
    assert len(builder.FORMULAS) >= 3
    for name, formula in builder.FORMULAS.items():
        assert name in leaves
        assert parse(formula).names <= codes
    # One figure feeds two indicators.
    assert sum("FAI" in parse(f).names for f in builder.FORMULAS.values()) == 2


def test_an_infinite_outlier_score_is_stored_and_shown_as_infinity(world: World) -> None:
    """All peers equal and this value not: the z-score is infinite, which PostgreSQL's JSON
    refuses; the report keeps None with a marker and the page shows ∞ (found by the rush)."""
    from kaohe.org.models import Unit
    from kaohe.reporting.templatetags.reporting_tags import flag_text

    period = world.months[9]
    for n in range(5):
        unit = Unit.objects.create(
            county=world.county,
            code=f"T9{n}",
            name=f"丙{n}镇",
            kind="township",
            category=world.category,
        )
        ProgressReport.objects.create(
            county=world.county,
            unit=unit,
            indicator=world.leaf,
            period=period,
            value=Decimal("100"),
            status="approved",
        )
    report = report_submit(
        user=world.user("unit"), target=world.target, period=period, value="900", note=""
    )
    report.refresh_from_db()
    (flag,) = [f for f in report.flags if f["code"] == "category_outlier"]
    assert flag["score"] is None and flag["infinite"] is True
    with translation.override("en"):
        assert "z-score ∞" in flag_text(flag)
