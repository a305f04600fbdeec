"""Pages show explanations and names in the reader's language: Chinese by default, English when
the reader chooses it, from the same stored (English) arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.appraisal.services import round_compute
from kaohe.monitoring.models import Warning
from kaohe.scoring.warnings import warning_levels
from tests.appraisal.golden import RULES, build_golden
from tests.factories import World

ENGLISH_NAME = "Investment attracted"


def _client(world: World, lang: str) -> Client:
    client = Client()
    client.cookies["django_language"] = lang
    client.force_login(world.user("office"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        (
            "zh-hans",
            ["完成率 40 / 100 = 40%; 时序进度 50%; 进度差距 10 个百分点 在 (5, 15] 之间 → 橙色",
             "招商引资到位资金"],
            ["completion 40 / 100", ENGLISH_NAME],
        ),
        (
            "en",
            ["completion 40 / 100 = 40%; schedule 50%; gap 10 pt in (5, 15] → orange",
             ENGLISH_NAME],
            ["完成率", "招商引资到位资金"],
        ),
    ],
)  # fmt: skip
def test_the_cell_page_explains_the_warning_in_the_reader_s_language(
    world: World, lang: str, expected: list[str], absent: list[str]
) -> None:
    world.leaf.name_en = ENGLISH_NAME
    world.leaf.save(update_fields=["name_en"])
    batch = warning_levels([40.0], [100.0], 0.5)
    Warning.objects.create(
        county=world.county,
        unit=world.town,
        indicator=world.leaf,
        as_of=dt.date(2026, 6, 30),
        level=int(batch.levels[0]),
        value=Decimal(40),
        target=Decimal(100),
        completion=0.4,
        schedule=0.5,
        explanation=batch.explanations[0].as_dict(),
    )
    url = reverse("dashboard:cell", args=[world.town.pk, world.leaf.pk])
    html = _client(world, lang).get(url).content.decode()
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("zh-hans", ["(3 票)", "评议", "扣分 ：信访扣分", "招商引资到位资金"],
         ["3 votes", "deduction :", ENGLISH_NAME]),
        ("en", ["(3 votes)", "Evaluators&#x27; rating", "deduction : 信访扣分", ENGLISH_NAME],
         ["3 票", "扣分 ：", "招商引资到位资金"]),
    ],
)  # fmt: skip
def test_the_appraisal_result_explains_itself_in_the_reader_s_language(
    world: World, lang: str, expected: list[str], absent: list[str]
) -> None:
    units = build_golden(world)
    world.leaf.name_en = ENGLISH_NAME
    world.leaf.save(update_fields=["name_en"])
    office = world.user("office")
    rnd = round_compute(user=office, scheme=world.scheme, kind="annual", number=0, rules=RULES)
    result = rnd.results.get(unit=units["T05"])
    html = _client(world, lang).get(reverse("appraisal:result", args=[result.pk])).content.decode()
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text
