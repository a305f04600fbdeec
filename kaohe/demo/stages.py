"""The demo county at every stage of its year, beyond reports, rounds and the closed loop: the
task, measures and responsibility lists of every target, evidence files on reports, the
office's bulletins, and the closed earlier year (kaohe.demo.closed_year). All synthetic.

The demo unit's own lists and every bulletin go through their services (an audit event each, as
real use leaves); the other units' lists are written in bulk under one audit event (as the
builder does for its bulk rows). Evidence files are checked on their content like an upload
and each leaves the event an upload leaves.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.dashboard.bulletins import KIND_OF_PERIOD, bulletin_issue
from kaohe.demo.closed_year import demo_closed_year_build
from kaohe.demo.files import progress_png, text_pdf
from kaohe.monitoring.models import Warning
from kaohe.org.models import Cadre, Role, User
from kaohe.reporting.evidence import evidence_check
from kaohe.reporting.models import (
    Evidence,
    Period,
    ProgressReport,
    ReportStatus,
    Target,
    TargetLists,
)
from kaohe.reporting.plans import target_lists_save
from kaohe.reporting.services import evidence_store
from kaohe.schemes.models import Scheme

MEASURES = (
    "主要负责人亲自抓、分管负责人具体抓，每月专题调度一次",
    "建立工作台账，挂图作战、对账销号，滞后事项倒排工期",
    "对照时序进度查找差距，每月分析一次进展，及时纠偏",
    "积极争取上级政策、项目和资金支持",
    "纳入单位内部绩效考核，与干部评先评优挂钩",
    "按时报送进度数据和佐证材料，确保数据真实、准确、完整",
)
# Contacts of the lists: names drawn from these, not anyone's.
_SURNAMES = "彭向田龙石吴杨张王李刘陈黄周胡谭梁麻滕唐宋姚"
_GIVEN = "明华军平志勇伟强林文红英芳丽斌涛辉波亮鹏飞俊杰峰敏静燕霞云春"
# Reports of each unit that carry an evidence file; the demo unit's account shows more.
EVIDENCE_PER_UNIT = 1
EVIDENCE_DEMO_UNIT = 6
# Bulletins issued: the monthly dispatch bulletin of the last month that ended, the latest
# quarterly evaluation and semi-annual summary (each costs a scoring of the county as of its
# date, so a few); earlier periods are left for the office to try issuing.
MONTHLY_BULLETINS = 1
ISSUE_AFTER_DAYS = {"month": 16, "quarter": 21, "half": 25}


def _amount(value: Decimal, uom: str) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{uom}"


def _lists_of(
    target: Target, year: int, rng: random.Random
) -> tuple[list[dict[str, str]], list[str]]:
    """The task and measures lists of one target: its work broken down by the time schedule
    (时间过半、任务过半), and three measures."""
    ind = target.indicator
    goal = _amount(target.annual_target, ind.unit_of_measure)
    reach = f"完成{goal}" if ind.higher_is_better else f"控制在{goal}以内"
    tasks = [
        {
            "title": f"分解{ind.name}目标任务，制定工作方案",
            "deadline": f"{year}-02-28",
            "milestone": "工作方案印发，责任落实到人",
        }
    ]
    if ind.cumulative:
        tasks += [
            {
                "title": "时间过半、任务过半",
                "deadline": f"{year}-06-30",
                "milestone": "完成年度目标的50%",
            },
            {
                "title": "前三季度完成年度目标的75%",
                "deadline": f"{year}-09-30",
                "milestone": "完成年度目标的75%",
            },
        ]
    else:
        tasks.append(
            {
                "title": f"逐月跟踪{ind.name}，对标目标值调度",
                "deadline": f"{year}-06-30",
                "milestone": f"上半年{reach}",
            }
        )
    tasks.append(
        {
            "title": f"全面完成年度目标（{reach}）",
            "deadline": f"{year}-12-20",
            "milestone": "整理佐证材料，迎接年度考核",
        }
    )
    measures = rng.sample(MEASURES, 2)
    if ind.assessor is not None:
        measures.append(f"加强与考核责任部门{ind.assessor.name}的对接，及时沟通数据口径")
    return tasks, measures


def _contact(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return f"{rng.choice(_SURNAMES)}{given}（绩效联络员）"


def demo_lists_build(*, scheme: Scheme, rng: random.Random) -> int:
    """The task, measures and responsibility lists (三个清单 beside target and progress) of
    every target: the unit's principal answers for it, its deputy is in charge. The demo
    unit's account saves its own lists through the service; the others are written in bulk."""
    cadres: dict[int, list[Cadre]] = {}
    for cadre in Cadre.objects.filter(county_id=scheme.county_id, unit__isnull=False).order_by(
        "code"
    ):
        cadres.setdefault(cadre.unit_id, []).append(cadre)  # type: ignore[arg-type]
    unit_user = User.objects.filter(
        county_id=scheme.county_id, role=Role.UNIT, username="unit"
    ).first()
    contacts: dict[int, str] = {}
    bulk = []
    county = scheme.county
    targets = (
        Target.objects.filter(scheme=scheme)
        .select_related("indicator__assessor")
        .order_by("unit__code", "indicator__position")
    )
    for target in targets:
        tasks, measures = _lists_of(target, scheme.year, rng)
        of_unit = cadres.get(target.unit_id, [])
        principal = of_unit[0] if of_unit else None
        deputy = of_unit[1] if len(of_unit) > 1 else principal
        if target.unit_id not in contacts:
            contacts[target.unit_id] = _contact(rng)
        contact = contacts[target.unit_id]
        in_charge = f"{deputy.name}（{deputy.post}）" if deputy else ""
        if unit_user is not None and target.unit_id == unit_user.unit_id:
            target.scheme, target.county = scheme, county  # what the service reads, at hand
            target_lists_save(
                user=unit_user,
                target=target,
                tasks=tasks,
                measures=measures,
                leader_id=principal.pk if principal else None,
                person_in_charge=in_charge,
                contact=contact,
            )
            continue
        bulk.append(
            TargetLists(
                target=target,
                tasks=tasks,
                measures=measures,
                leader=principal,
                person_in_charge=in_charge[:64],
                contact=contact[:64],
            )
        )
    TargetLists.objects.bulk_create(bulk, batch_size=2000)
    return len(bulk)


def _evidence_reports(scheme: Scheme, unit_user: User | None) -> list[ProgressReport]:
    """Reports that carry evidence: each unit's approved or confirmed reports of the latest
    period on its first leaves, more of them for the demo unit."""
    latest: dict[tuple[int, int], tuple[str, int, int]] = {}
    for pk, unit_id, code, indicator_id, position in (
        ProgressReport.objects.filter(
            period__scheme=scheme, status__in=[ReportStatus.APPROVED, ReportStatus.CONFIRMED]
        )
        .order_by("period__end")
        .values_list("pk", "unit_id", "unit__code", "indicator_id", "indicator__position")
    ):
        latest[(unit_id, indicator_id)] = (code, position, pk)
    chosen: list[int] = []
    taken: dict[int, int] = {}
    demo_unit = unit_user.unit_id if unit_user else None
    for (unit_id, _i), (_code, _position, pk) in sorted(latest.items(), key=lambda kv: kv[1]):
        wanted = EVIDENCE_DEMO_UNIT if unit_id == demo_unit else EVIDENCE_PER_UNIT
        if taken.get(unit_id, 0) < wanted:
            chosen.append(pk)
            taken[unit_id] = taken.get(unit_id, 0) + 1
    return list(
        ProgressReport.objects.filter(pk__in=chosen)
        .select_related("unit__county", "indicator", "period")
        .order_by("unit__code", "indicator__position")
    )


def demo_evidence_build(*, scheme: Scheme) -> list[Evidence]:
    """Evidence files on some reports (佐证材料): a progress chart (PNG) or a one-page statement
    (PDF), made in code, checked on content and stored by hash, as an upload is."""
    unit_user = User.objects.filter(
        county_id=scheme.county_id, role=Role.UNIT, username="unit"
    ).first()
    reports = _evidence_reports(scheme, unit_user)
    colours = {
        (w.unit_id, w.indicator_id, w.as_of): w
        for w in Warning.objects.filter(
            indicator_id__in={r.indicator_id for r in reports},
            unit_id__in={r.unit_id for r in reports},
        )
    }
    made = []
    for n, report in enumerate(reports):
        warning = colours.get((report.unit_id, report.indicator_id, report.period.end))
        label = f"{report.period.end:%Y-%m}"
        if n % 2 == 0 and warning is not None:
            content = progress_png(warning.completion or 0.0, warning.schedule, warning.level)
            name = f"{report.indicator.name}进度图（{label}，演示）.png"
        else:
            content = text_pdf(
                [
                    "Kaohe demo county - synthetic evidence",
                    f"Unit {report.unit.code}, indicator {report.indicator.code}",
                    f"Period ending {report.period.end.isoformat()}",
                    f"Value reported: {report.value}",
                ]
            )
            name = f"{report.indicator.name}完成情况说明（{label}，演示）.pdf"
        upload = ContentFile(content, name=name)
        # As an upload is kept, by the unit's account where it has one: the demo's other units
        # have no account, so the system attached theirs.
        uploader = unit_user if unit_user and report.unit_id == unit_user.unit_id else None
        evidence = evidence_store(
            uploader=uploader, report=report, upload=upload, check=evidence_check(upload)
        )
        made.append(evidence)
    return made


def _bulletin_periods(scheme: Scheme, today: dt.date) -> list[tuple[Period, dt.date]]:
    ended = [
        p
        for p in Period.objects.filter(scheme=scheme, kind__in=list(KIND_OF_PERIOD)).order_by("end")
        if p.end < today - dt.timedelta(days=1)
    ]
    chosen = [p for p in ended if p.kind == "month"][-MONTHLY_BULLETINS:]
    for kind in ("quarter", "half"):
        chosen += [p for p in ended if p.kind == kind][-1:]
    out = []
    for p in chosen:
        issued = min(p.end + dt.timedelta(days=ISSUE_AFTER_DAYS[p.kind]), today - dt.timedelta(1))
        out.append((p, issued))
    return sorted(out, key=lambda pi: (pi[1], pi[0].end))


def demo_bulletins_issue(*, scheme: Scheme, today: dt.date) -> int:
    """The office issues the bulletins of the latest periods (月调度、季评估、半年总结通报), in the
    order of their dates, so the numbers run with them."""
    office = User.objects.get(county_id=scheme.county_id, role=Role.OFFICE, username="office")
    issued = 0
    for period, on in _bulletin_periods(scheme, today):
        now = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
        bulletin_issue(user=office, period=period, now=now)
        issued += 1
    return issued


def demo_stages_build(*, scheme: Scheme, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Build the stages above on the demo's year as it stands on ``today``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values, not secrets
    counts: dict[str, Any] = {"lists_bulk": demo_lists_build(scheme=scheme, rng=rng)}
    audit_record(
        actor="demo",
        action="demo.lists",
        county_code=scheme.county.code,
        object_type="scheme",
        object_id=scheme.pk,
        after=counts,
    )
    counts["evidence"] = len(demo_evidence_build(scheme=scheme))
    counts["bulletins"] = demo_bulletins_issue(scheme=scheme, today=today)
    counts |= demo_closed_year_build(scheme=scheme, today=today)
    return counts
