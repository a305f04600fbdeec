"""The round rules on a page: checked field by field, previewed without writing, saved as
numbered, audited versions, used by the next round, and carried by the scheme file."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.appraisal import services as round_services
from kaohe.appraisal.inputs import DEFAULT_RULES, rules_for
from kaohe.appraisal.models import Rating, RatingGroup, Round, RulesVersion
from kaohe.appraisal.rules import form_from_rules, read_form, rules_clean, rules_errors
from kaohe.appraisal.rules_services import rules_history, rules_preview, rules_save
from kaohe.appraisal.services import round_compute
from kaohe.audit.models import AuditEvent
from kaohe.exchange.scheme_json import parse_json, spec_to_data
from kaohe.exchange.services import scheme_import, scheme_spec
from kaohe.schemes.models import Scheme
from tests.appraisal.golden import RULES, build_golden
from tests.factories import World

TODAY = dt.date(2027, 1, 10)  # the world's year (2026) has ended
GROUPS = [
    {"code": "leaders", "name": "县领导", "weight": 0.5, "drop_extremes": False},
    {"code": "peers", "name": "互评", "weight": 0.4, "drop_extremes": True},
    {"code": "public", "name": "服务对象", "weight": 0.3, "drop_extremes": False},
]


def _post(form: Any, **changes: str) -> QueryDict:
    """The POST the page sends for a RulesForm, with some fields changed."""
    data = QueryDict(mutable=True)
    for code, value in form.components.items():
        data[f"component-{code}"] = value
    for k, g in enumerate(form.grades):
        data[f"grade_name-{k}"] = g["name"]
        data[f"grade_minimum-{k}"] = g["minimum"]
        data[f"quota_kind-{k}"] = g["quota_kind"]
        data[f"quota_value-{k}"] = g["quota_value"]
        data[f"quota_rounding-{k}"] = g["quota_rounding"]
    for code, cap in form.vetoes.items():
        data[f"veto-{code}"] = cap
    data["bonus_cap"], data["deduction_cap"] = form.bonus_cap, form.deduction_cap
    data["places"], data["boundary_ties"] = form.places, form.boundary_ties
    for k, g in enumerate(form.groups):
        data[f"group_code-{k}"] = g["code"]
        data[f"group_name-{k}"] = g["name"]
        data[f"group_weight-{k}"] = g["weight"]
        if g["drop_extremes"]:
            data[f"group_drop-{k}"] = "on"
    for key, value in changes.items():
        data[key.replace("__", "-")] = value
    return data


@pytest.fixture
def golden(world: World) -> World:
    """The golden round's county, whose scheme file set the annual rules to RULES."""
    build_golden(world)
    Scheme.objects.filter(pk=world.scheme.pk).update(appraisal_rules={"annual": RULES})
    world.scheme.refresh_from_db()
    return world


def test_the_form_reads_back_the_rules_it_shows() -> None:
    for kind, rules in DEFAULT_RULES.items():
        form = form_from_rules(rules, [])
        _form, read, unreadable = read_form(_post(form))
        assert unreadable == {}
        assert read == rules_clean(copy.deepcopy(rules)), kind


def test_group_weights_adding_up_to_1_2_are_refused_next_to_the_groups() -> None:
    rules = RULES | {"rating_groups": GROUPS}
    with translation.override("zh-hans"):
        assert rules_errors(rules) == {"groups": ["权重合计为1.2，须合计为1。"]}
    with translation.override("en"):
        assert rules_errors(rules) == {
            "groups": ["The weights add up to 1.2; they must add up to 1."]
        }


def test_every_problem_is_put_by_its_field_in_chinese() -> None:
    form = form_from_rules(RULES, [])
    post = _post(
        form,
        component__own="0.7",
        grade_minimum__1="96",  # above 优秀's 95
        quota_value__0="1.5",
        bonus_cap="三分",
        group_code__0="a",
        group_name__0="甲组",
        group_weight__0="x",
    )
    with translation.override("zh-hans"):
        _form, rules, unreadable = read_form(post)
        errors = unreadable | {k: v for k, v in rules_errors(rules).items() if k not in unreadable}
    assert errors["components"] == ["权重合计为0.9，须合计为1。"]
    assert errors["grade_minimum-1"] == ["良好的最低分须低于优秀的最低分。"]
    assert errors["quota-0"] == ["比例须在0到1之间（0.3即30%）。"]
    assert errors["bonus_cap"] == ["三分不是数字。"]
    assert errors["group_weight-0"] == ["x不是数字。"]


def test_a_preview_shows_the_units_that_move_and_writes_nothing(golden: World) -> None:
    office = golden.user("office")
    events = AuditEvent.objects.count()
    preview = rules_preview(
        user=office,
        scheme=golden.scheme,
        kind="annual",
        number=0,
        rules=RULES | {"quotas": {}},
        today=TODAY,
    )
    assert not preview.provisional and preview.as_of == dt.date(2026, 12, 31)
    # Without the 40 % quota, 乙镇 and 丙镇 keep the 优秀 their scores reach... except 乙镇's
    # veto caps it at 良好: only 丙镇 moves.
    moved = {r.unit: (r.before, r.after) for r in preview.moved}
    assert moved == {"丙镇": (("95.20", 4, "良好"), ("95.20", 4, "优秀"))}
    assert len(preview.rows) == 5
    assert AuditEvent.objects.count() == events
    assert not Round.objects.exists() and not RulesVersion.objects.exists()
    golden.scheme.refresh_from_db()
    assert golden.scheme.appraisal_rules == {"annual": RULES}


def test_saving_keeps_the_rules_before_as_version_1_and_audits_version_2(golden: World) -> None:
    office = golden.user("office")
    new = rules_clean(RULES | {"quotas": {"优秀": {"share": 0.6, "rounding": "down"}}})
    saved = rules_save(
        user=office,
        scheme=golden.scheme,
        kind="annual",
        rules=new,
        reason="县委常委会决定放宽优秀比例",
        version=golden.scheme.version,
    )
    assert saved.number == 2
    first = RulesVersion.objects.get(scheme=golden.scheme, number=1)
    assert first.rules == {"annual": RULES}
    golden.scheme.refresh_from_db()
    assert golden.scheme.appraisal_rules["annual"] == new
    assert golden.scheme.version == 2
    event = AuditEvent.objects.get(action="round_rules.save")
    assert event.after["version"] == 2 and event.after["reason"] == "县委常委会决定放宽优秀比例"
    assert ["优秀的名额", "至多占类别的0.4，向下取整", "至多占类别的0.6，向下取整"] in event.after[
        "changes"
    ]
    # The next round is computed with the saved rules.
    rnd = round_compute(user=office, scheme=golden.scheme, kind="annual", number=0, today=TODAY)
    assert rnd.rules["quotas"] == {"优秀": {"share": 0.6, "rounding": "down"}}
    history = rules_history(user=office, scheme=golden.scheme)
    assert [e.version.number for e in history] == [2, 1]
    assert history[0].changes == [
        ("优秀的名额", "至多占类别的0.4，向下取整", "至多占类别的0.6，向下取整")
    ]


def test_a_save_is_refused_without_a_reason_on_a_stale_form_or_with_no_change(
    golden: World,
) -> None:
    office = golden.user("office")
    new = rules_clean(RULES | {"bonus_cap": 5})
    with pytest.raises(ValidationError) as err:
        rules_save(user=office, scheme=golden.scheme, kind="annual", rules=new, reason=" ")
    assert err.value.message_dict == {"reason": ["请说明规则修改的理由。"]}
    with pytest.raises(ValidationError, match="其他人"):
        rules_save(
            user=office, scheme=golden.scheme, kind="annual", rules=new, reason="x", version=0
        )
    with pytest.raises(ValidationError, match="没有变化"):
        rules_save(
            user=office, scheme=golden.scheme, kind="annual", rules=rules_clean(RULES), reason="x"
        )
    with pytest.raises(ValidationError) as err:
        rules_save(
            user=office,
            scheme=golden.scheme,
            kind="annual",
            rules=new | {"rating_groups": GROUPS},
            reason="x",
        )
    assert "groups" in err.value.message_dict
    assert not RulesVersion.objects.exists()
    assert AuditEvent.objects.filter(action="round_rules.save").count() == 0


def test_the_rules_groups_weigh_the_ballots_and_unweighed_ballots_stop_the_round(
    golden: World,
) -> None:
    office = golden.user("office")
    peers = RatingGroup.objects.create(
        county=golden.county, scheme=golden.scheme, code="peers", name="互评", weight=1
    )
    for unit_id in Rating.objects.values_list("unit_id", flat=True).distinct():
        Rating.objects.create(group=peers, unit_id=unit_id, evaluator=1, points=60)
    with pytest.raises(ValidationError, match="peers"):
        round_compute(
            user=office,
            scheme=golden.scheme,
            kind="annual",
            number=0,
            today=TODAY,
            rules=RULES | {"rating_groups": [GROUPS[0] | {"weight": 1}]},
        )
    groups = [GROUPS[0] | {"weight": 0.75}, GROUPS[1] | {"weight": 0.25}]
    rnd = round_compute(
        user=office,
        scheme=golden.scheme,
        kind="annual",
        number=0,
        today=TODAY,
        rules=RULES | {"rating_groups": groups},
    )
    assert [(g["code"], g["weight"]) for g in rnd.inputs["ratings"]["groups"]] == [
        ("leaders", 0.75),
        ("peers", 0.25),
    ]
    t05 = rnd.results.get(unit__code="T05")  # 80 from the leaders, 60 from the peers
    assert t05.components["rating"] == 75.0


def test_the_saved_rules_round_trip_through_the_scheme_file(golden: World) -> None:
    office = golden.user("office")
    new = rules_clean(RULES | {"rating_groups": [GROUPS[0] | {"weight": 1}], "bonus_cap": None})
    rules_save(user=office, scheme=golden.scheme, kind="annual", rules=new, reason="新年度规则")
    golden.scheme.refresh_from_db()
    data = spec_to_data(scheme_spec(golden.scheme))
    assert data["settings"]["appraisal"] == {"annual": new}
    data["year"] = 2031
    again = scheme_import(
        spec=parse_json(json.dumps(data, ensure_ascii=False).encode()), county=golden.county
    )
    assert rules_for(again, "annual") == rules_for(golden.scheme, "annual")


def test_the_saved_rules_round_trip_through_the_scheme_workbook(golden: World) -> None:
    from kaohe.exchange.scheme_excel import parse_xlsx, to_xlsx

    office = golden.user("office")
    new = rules_clean(RULES | {"rating_groups": [GROUPS[0] | {"weight": 1}]})
    rules_save(user=office, scheme=golden.scheme, kind="annual", rules=new, reason="新年度规则")
    golden.scheme.refresh_from_db()
    spec = parse_xlsx(to_xlsx(scheme_spec(golden.scheme)))
    assert spec.appraisal == {"annual": new}


def test_the_page_refuses_bad_weights_by_the_field_previews_and_saves(
    golden: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(round_services, "appraisal_today", lambda: TODAY)
    client = Client()
    client.force_login(golden.user("office"))
    url = reverse("appraisal:rules") + "?kind=annual"
    page = client.get(url).content.decode()
    assert 'value="leaders"' in page and "县领导" in page  # the groups as imported
    form = form_from_rules(RULES, [GROUPS[0] | {"weight": 1}])
    bad = _post(form, group_weight__0="1.2", action="preview")
    page = client.post(url, bad).content.decode()
    assert "权重合计为1.2，须合计为1。" in page
    assert 'data-testid="preview"' not in page
    good = _post(form, quota_kind__0="", quota_value__0="", action="preview")
    page = client.post(url, good).content.decode()
    assert 'data-testid="moved"' in page and "丙镇" in page
    assert not RulesVersion.objects.exists()
    saved = _post(form, quota_kind__0="", quota_value__0="", action="save", reason="取消优秀比例")
    saved["scheme_version"] = str(golden.scheme.version)
    response = client.post(url, saved, follow=True)
    page = response.content.decode()
    assert "考核规则第2版已保存" in page
    assert 'data-testid="version-2"' in page and "取消优秀比例" in page
    golden.scheme.refresh_from_db()
    assert golden.scheme.appraisal_rules["annual"]["quotas"] == {}
    # The ballots page says the weights now come from the rules.
    inputs = client.get(reverse("appraisal:inputs")).content.decode()
    assert 'data-testid="rules-groups"' in inputs and "县领导 1" in inputs


def test_only_the_office_opens_the_rules_and_the_rounds_page_links_to_them(golden: World) -> None:
    client = Client()
    client.force_login(golden.user("office"))
    assert reverse("appraisal:rules") in client.get(reverse("appraisal:rounds")).content.decode()
    client.force_login(golden.user("leader"))
    assert client.get(reverse("appraisal:rules")).status_code == 403


def test_the_demo_saves_a_second_version_of_the_annual_rules_with_its_reason(
    golden: World,
) -> None:
    from kaohe.demo.rules_demo import REASON, demo_round_rules
    from tests.factories import UserFactory

    UserFactory(username="office", county=golden.county, role="office")
    demo_round_rules(scheme=golden.scheme)
    version = RulesVersion.objects.get(scheme=golden.scheme, number=2)
    assert version.reason == REASON and "演示数据" in version.reason
    annual = version.rules["annual"]
    assert annual["bonus_cap"] == 5
    assert annual["rating_groups"] == [
        {"code": "leaders", "name": "县领导", "weight": 1.0, "drop_extremes": False}
    ]


def test_when_the_rules_in_force_cannot_compute_the_preview_says_so_and_lists_every_unit(
    world: World,
) -> None:
    build_golden(world)  # the default annual rules weigh quarterly rounds; none is published
    preview = rules_preview(
        user=world.user("office"),
        scheme=world.scheme,
        kind="annual",
        number=0,
        rules=RULES,
        today=TODAY,
    )
    assert "季度考评" in preview.in_force_problem
    assert preview.moved == [] and len(preview.rows) == 5


def test_another_countys_scheme_is_not_found_and_a_closed_schemes_rules_stay(
    golden: World,
) -> None:
    from tests.factories import build_world

    other = build_world(code="900002")
    client = Client()
    client.force_login(golden.user("office"))
    response = client.get(reverse("appraisal:rules") + f"?scheme={other.scheme.pk}")
    assert response.status_code == 404
    Scheme.objects.filter(pk=golden.scheme.pk).update(status="closed")
    with pytest.raises(ValidationError, match="已关闭"):
        rules_save(
            user=golden.user("office"),
            scheme=golden.scheme,
            kind="annual",
            rules=rules_clean(RULES | {"bonus_cap": 5}),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        rules_save(
            user=other.user("office"),
            scheme=golden.scheme,
            kind="annual",
            rules=rules_clean(RULES | {"bonus_cap": 5}),
            reason="x",
        )
