"""The demo county shows the scheme's lifecycle: an amendment saved and next year's draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from kaohe.demo.schemes_demo import REASON, demo_schemes_build
from kaohe.org.models import User
from kaohe.schemes.models import Scheme
from tests.conftest import shared_demo

TODAY = dt.date(2026, 10, 20)
demo = shared_demo(TODAY)


def test_the_demo_shows_an_amendment_and_next_years_draft(demo: Any, db: None) -> None:
    scheme = Scheme.objects.get(is_demo=True, status="published")
    demo_schemes_build(scheme=scheme)
    assert demo_schemes_build(scheme=scheme) == {"scheme_amendments": 0, "scheme_drafts": 0}
    client = Client()
    client.force_login(User.objects.get(username="office", county_id=scheme.county_id))
    page = client.get(reverse("schemes:list"))
    statuses = {r["row"].scheme.year: r["row"].scheme.status for r in page.context["rows"]}
    assert statuses[scheme.year + 1] == "draft" and statuses[scheme.year] == "published"
    assert REASON in page.content.decode()
    assert "封顶 110%" in page.content.decode()
