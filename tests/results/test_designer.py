"""The scheme designer: live preview with validation as you type, and the what-if ranks."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from kaohe.reporting.models import Target
from kaohe.reporting.services import report_approve, report_submit
from kaohe.results.whatif import Override, category_standings
from kaohe.schemes.models import Indicator, IndicatorPoints
from tests.factories import UserFactory, World

FORM = {
    "kind": "completion_ratio",
    "completion_ratio__cap": "100",
    "completion_ratio__floor": "0",
    "points": "10",
}


def _office(world: World) -> Client:
    client = Client()
    client.force_login(world.user("office"))
    return client


def test_the_preview_explains_the_sample_score(world: World) -> None:
    url = reverse("results:designer_preview", args=[world.leaf.pk])
    page = _office(world).post(url, {**FORM, "sample_value": "85", "sample_target": "100"})
    text = page.content.decode()
    assert "85 against a target of 100 gives 8.50 points" in text or "85，目标100，得8.50分" in text
    assert "10 × min(85 / 100, 1.0) = 10 × 0.85 = 8.50" in text


def test_the_preview_flags_a_bad_parameter_as_it_is_typed_naming_the_field(world: World) -> None:
    url = reverse("results:designer_preview", args=[world.leaf.pk])
    page = _office(world).post(
        url, {**FORM, "completion_ratio__cap": "-1", "sample_value": "85", "sample_target": "100"}
    )
    assert page.context["explanation"] is None
    # The cap is typed in per cent, and the error is in Chinese on the cap's own field.
    assert page.context["form"].errors["completion_ratio__cap"] == ["封顶不得小于1%。"]
    assert "封顶不得小于1%。" in page.content.decode() and "cap" not in page.content.decode()
    page = _office(world).post(url, {**FORM, "completion_ratio__cap": "abc"})
    assert "completion_ratio__cap" in page.context["form"].errors


def test_the_panel_shows_each_methods_parameters_as_labelled_fields_prefilled(
    world: World,
) -> None:
    Indicator.objects.filter(pk=world.leaf.pk).update(
        method={"kind": "completion_ratio", "cap": 1.2, "floor": 0}
    )
    page = _office(world).get(
        reverse("results:designer_indicator", args=[world.leaf.pk]),
        {"category": world.category.code},
    )
    text = page.content.decode()
    form = page.context["form"]
    assert form["completion_ratio__cap"].value() == 120
    assert "封顶" in text and "保底" in text and "百分比" in text
    # Every method's fields are there, only the stored method's enabled.
    assert 'data-kind="completion_ratio"' in text and 'data-kind="rank_points"' in text
    fieldsets = {kind: chosen for kind, _name, chosen, _fields in form.fieldsets()}
    assert fieldsets["completion_ratio"] and not fieldsets["rank_points"]
    assert "各名次得分" in text and "数列，用逗号分隔" in text


def test_changing_the_method_never_keeps_the_old_methods_parameters(world: World) -> None:
    url = reverse("results:designer_preview", args=[world.leaf.pk])
    form = {
        "kind": "completion_ratio",
        "completion_ratio__cap": "120",
        "rank_points__step_share": "5",  # left over from rank points: not the chosen method's
        "points": "10",
        "sample_value": "85",
        "sample_target": "100",
    }
    page = _office(world).post(url, form)
    assert page.context["form"].is_valid()
    assert page.context["form"].method() == {"kind": "completion_ratio", "cap": 1.2}
    page = _office(world).post(url, {**form, "kind": "rank_points"})
    assert page.context["form"].method() == {"kind": "rank_points", "step_share": 0.05}


def test_a_required_parameter_missing_is_named_in_words(world: World) -> None:
    page = _office(world).post(
        reverse("results:designer_preview", args=[world.leaf.pk]),
        {"kind": "efficacy_coefficient", "points": "100", "sample_value": "5"},
    )
    errors = page.context["form"].errors
    assert errors["efficacy_coefficient__satisfactory"] == ["请填写满意值。"]
    assert errors["efficacy_coefficient__not_allowed"] == ["请填写不允许值。"]


def _second_leaf_with_data(world: World) -> Indicator:
    """A second indicator on which the other town leads, so weights decide the ranking."""
    other_leaf = Indicator.objects.create(
        county=world.county,
        scheme=world.scheme,
        parent=world.root,
        code="A02",
        name="新增市场主体",
        level=2,
        position=3,
        assessor=world.assessor_unit,
        method={"kind": "completion_ratio", "cap": 1.0},
    )
    IndicatorPoints.objects.create(
        indicator=other_leaf, category=world.category, points=Decimal("5")
    )
    other_user = UserFactory(county=world.county, role="unit", unit=world.other_town)
    for unit, user, leaf_values in [
        (world.town, world.user("unit"), {world.leaf: "1200", other_leaf: "10"}),
        (world.other_town, other_user, {world.leaf: "600", other_leaf: "100"}),
    ]:
        for leaf, value in leaf_values.items():
            target, _ = Target.objects.get_or_create(
                county=world.county,
                scheme=world.scheme,
                unit=unit,
                indicator=leaf,
                defaults={
                    "annual_target": Decimal("1200") if leaf == world.leaf else Decimal("100")
                },
            )
            r = report_submit(
                user=user, target=target, period=world.months[9], value=value, note=""
            )
            report_approve(user=world.user("assessor"), report=r, version=r.version)
    return other_leaf


def test_what_if_shows_which_ranks_a_weight_change_moves(world: World) -> None:
    other_leaf = _second_leaf_with_data(world)
    # Now: 甲镇 10 + 0.5 = 10.5, 乙镇 5 + 5 = 10 -> 甲镇 first.
    rows = category_standings(scheme=world.scheme, category=world.category)
    assert [(r.unit.code, r.after_total, r.after_rank) for r in rows] == [
        ("T01", 10.5, 1),
        ("T02", 10.0, 2),
    ]
    # Worth 20 instead of 5, the second indicator puts 乙镇 first: 5 + 20 = 25 against 10 + 2 = 12.
    override = Override(other_leaf.pk, points=20.0, method={"kind": "completion_ratio", "cap": 1.0})
    rows = category_standings(scheme=world.scheme, category=world.category, override=override)
    assert [(r.unit.code, r.before_rank, r.after_rank, r.moved) for r in rows] == [
        ("T02", 2, 1, 1),
        ("T01", 1, 2, -1),
    ]
    page = _office(world).post(
        reverse("results:designer_whatif", args=[other_leaf.pk]),
        {**FORM, "points": "20", "category": world.category.code},
    )
    assert "↑1" in page.content.decode() and "↓1" in page.content.decode()


def test_the_designer_page_lists_the_tree_with_the_categorys_points(world: World) -> None:
    page = _office(world).get(reverse("results:designer"))
    assert page.status_code == 200
    assert (world.leaf, Decimal("10.00")) in page.context["tree"]
