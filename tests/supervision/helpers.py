"""Building blocks for the loop's tests: an issuing office, warnings, notices, rectifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.monitoring.models import Warning
from kaohe.org.models import Unit
from kaohe.supervision import records, services
from kaohe.supervision.models import Inspection, Notice, Problem, Rectification
from tests.factories import World

TODAY = dt.date(2026, 6, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


def office(world: World) -> Unit:
    """The county's performance office (a supervision office), made once."""
    unit, _ = Unit.objects.get_or_create(
        county=world.county,
        code="S03",
        defaults={
            "name": "县绩效办",
            "kind": "department",
            "is_assessed": False,
            "is_supervision": True,
        },
    )
    return unit


def warning(
    world: World, level: int, unit: Unit | None = None, as_of: dt.date | None = None
) -> Warning:
    return Warning.objects.create(
        county=world.county,
        unit=unit or world.town,
        indicator=world.leaf,
        as_of=as_of or dt.date(2026, 5, 31),
        level=level,
        value=Decimal("100"),
        target=Decimal("1200"),
        completion=0.2,
        schedule=0.41,
    )


def draft(world: World, unit: Unit | None = None) -> Notice:
    office(world)
    warning(world, 3, unit=unit)
    made = services.notices_draft_from_warnings(county=world.county, today=TODAY)
    return next(n for n in made if n.recipient_id == (unit or world.town).pk)


def issued(world: World, unit: Unit | None = None, today: dt.date = TODAY) -> Notice:
    return services.notice_issue(user=world.user("office"), notice=draft(world, unit), today=today)


def pdf_file(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def rectified(world: World) -> Rectification:
    notice = issued(world)
    return services.rectification_submit(
        user=world.user("unit"),
        notice=notice,
        plan="倒排工期，挂图作战",
        actions="已签约项目两个",
        files=[pdf_file()],
    )


def inspection(world: World) -> Inspection:
    return records.inspection_record(
        user=world.user("supervisor"),
        office=office(world),
        kind="surprise",
        date=TODAY,
        unit=world.town,
        indicators=[world.leaf],
        findings="项目推进缓慢，台账不全",
    )


def problem(world: World) -> Problem:
    return records.problem_raise(
        user=world.user("office"),
        title="项目用地指标不足",
        description="",
        source="unit",
        unit=world.town,
        raised_on=TODAY,
        leader=world.leader,
        department=world.assessor_unit,
    )
