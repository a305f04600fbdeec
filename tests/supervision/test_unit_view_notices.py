"""A unit's own view on the battle map lists the notices it received, never drafts."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from kaohe.supervision.models import Notice
from tests.factories import World


def test_the_unit_view_lists_its_issued_notices(world: World) -> None:
    common = {
        "county": world.county,
        "kind": "reminder",
        "issuer": world.assessor_unit,
        "recipient": world.town,
        "required_actions": "限期整改",
        "deadline": dt.date(2026, 7, 31),
    }
    Notice.objects.create(
        **common, status="issued", title="关于招商引资进度滞后的提醒", number="保绩提〔2026〕7号"
    )
    Notice.objects.create(**common, status="draft", title="尚未签发的提醒单")
    client = Client()
    client.force_login(world.user("unit"))
    page = client.get(reverse("dashboard:unit", args=[world.town.pk])).content.decode()
    assert "保绩提〔2026〕7号" in page and "关于招商引资进度滞后的提醒" in page
    assert "尚未签发的提醒单" not in page
