"""The demo county's closed loop: notices at every stage (a reminder escalated to a supervision
order, another carried on to an admonition talk; rectifications accepted and returned),
inspections by the five supervision offices, a dozen difficult problems, monthly help visits and
the cadence jobs' first runs. All synthetic; written through the loop's own services, so the
numbers, statuses and audit trail are what real use would leave."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.appraisal.applications import cadre_action_record
from kaohe.appraisal.models import CadreActionKind, RoundResult, RoundStatus
from kaohe.demo.files import text_pdf
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.models import Cadre, Role, Unit, User
from kaohe.schemes.models import Scheme
from kaohe.supervision import records, services
from kaohe.supervision.cadence import job_run
from kaohe.supervision.models import Job, Notice, NoticeKind

SYNTHETIC = "（演示数据）"
PDF = text_pdf(["Kaohe demo county - synthetic evidence", "Rectification report"])

PROBLEMS = [
    ("工业园区标准厂房用地报批进度慢", "T02", True),
    ("农村饮水安全工程资金缺口较大", "T03", True),
    ("重点项目征地拆迁遗留问题", "T01", True),
    ("乡村振兴产业项目市场销路不畅", "T04", True),
    ("招商引资项目落地后配套电力不足", "T05", False),
    ("城镇污水处理厂管网覆盖不足", "T06", False),
    ("义务教育学校教师结构性缺编", "T07", True),
    ("村级集体经济收入增长乏力", "T08", False),
    ("重点工程施工许可办理周期长", "T09", True),
    ("森林防火通道建设资金不到位", "T10", False),
    ("农产品冷链物流设施不足", "T11", False),
    ("易地搬迁安置点后续产业就业岗位不足", "T12", True),
]
ACTIONS = "倒排工期、挂图作战，主要负责人包保推进，每周调度一次。"


def _users(county_id: int) -> dict[str, User]:
    return {
        role: User.objects.filter(county_id=county_id, role=role).order_by("pk").first()  # type: ignore[misc]
        for role in (Role.OFFICE, Role.SUPERVISOR, Role.UNIT)
    }


def _draft(office: Unit, warning: object, today: dt.date) -> Notice:
    w = warning
    return services.notice_create(
        user=None,
        county=office.county,
        kind=NoticeKind.REMINDER,
        issuer=office,
        recipient=w.unit,  # type: ignore[attr-defined]
        indicators=[w.indicator],  # type: ignore[attr-defined]
        title=f"关于{w.indicator.name}推进滞后的提醒",  # type: ignore[attr-defined]
        situation=f"截至{w.as_of:%Y年%-m月%-d日}，{w.unit.name}{w.indicator.name}"  # type: ignore[attr-defined]
        f"进度落后于时序进度，预警等级为{w.get_level_display()}。{SYNTHETIC}",  # type: ignore[attr-defined]
        required_actions="请认真分析滞后原因，制定整改方案，明确整改措施、责任人和完成时限，"
        "并附佐证材料报送整改进展。",
        deadline=today + dt.timedelta(days=15),
        warning=w,  # type: ignore[arg-type]
    )


def _talk_decision(scheme: Scheme, chain: list[Notice], today: dt.date) -> None:
    """After the admonition talk, the organisation department's reminder talk (提醒谈话) with
    the unit's principal, resting on the unit's latest final result and the notices."""
    talk = chain[-1]
    result = (
        RoundResult.objects.filter(
            round__scheme=scheme, round__status=RoundStatus.FINAL, unit_id=talk.recipient_id
        )
        .select_related("round")
        .order_by("-round__number")
        .first()
    )
    principal = Cadre.objects.filter(unit_id=talk.recipient_id).order_by("code").first()
    organisation = User.objects.filter(county_id=scheme.county_id, role=Role.ORGANISATION).first()
    if result is None or principal is None or organisation is None:
        return
    cadre_action_record(
        user=organisation,
        cadre=principal,
        kind=CadreActionKind.REMINDER,
        year=scheme.year,
        results=[result],
        notices=chain,
        basis=f"{talk.recipient.name}{'、'.join(n.number for n in chain)}逾期未整改，"
        f"已被约谈；第{result.round.number}季度考评{result.grade}。{SYNTHETIC}",
        decided_on=today,
    )


def demo_supervision_build(*, scheme: Scheme, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Build the demo's loop as it stands on ``today``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values, not secrets
    county = scheme.county
    users = _users(county.pk)
    office_user, supervisor, unit_user = users["office"], users["supervisor"], users["unit"]
    office = services.settings_of(county).performance_office
    if office is None or unit_user is None or office_user is None or supervisor is None:
        return {}
    assert unit_user.unit_id is not None  # the demo's unit account belongs to a unit
    latest = latest_warnings(county_id=county.pk, published_only=True).select_related(
        "unit", "indicator"
    )
    own = list(latest.filter(unit_id=unit_user.unit_id).order_by("-level", "completion")[:3])
    others, seen = [], {unit_user.unit_id}
    for w in latest.filter(level__gte=2).order_by("-level", "completion"):
        if w.unit_id not in seen:
            others.append(w)
            seen.add(w.unit_id)
        if len(others) == 6:
            break
    if len(own) < 3 or len(others) < 6:
        return {}

    def issue(w: object, days_ago: int, by: User = office_user) -> Notice:
        on = today - dt.timedelta(days=days_ago)
        notice = _draft(office, w, on)
        return services.notice_issue(user=by, notice=notice, today=on)

    # Issued in date order, so the numbers run with the dates.
    # Never answered: escalated to a supervision order when its deadline passed, and that
    # order, unanswered too, to an admonition talk below (提醒单 -> 督办单 -> 约谈).
    unanswered = issue(others[5], 75)
    (order,) = services.notices_escalate_overdue(county=county, today=today - dt.timedelta(59))
    late = issue(others[0], 45)  # never answered: escalated below
    closed = issue(own[0], 30)
    pending = issue(own[2], 20)
    returned = issue(own[1], 12)
    issue(others[1], 8, supervisor)
    issue(others[2], 5)
    for w in others[3:5]:
        _draft(office, w, today)
    pdf = SimpleUploadedFile("整改报告（演示）.pdf", PDF)
    for notice in (closed, returned, pending):
        services.rectification_submit(
            user=unit_user,
            notice=notice,
            plan=f"成立专班，制定整改方案。{SYNTHETIC}",
            actions=ACTIONS,
            files=[pdf],
        )
    services.rectification_decide(
        user=office_user,
        rectification=closed.rectifications.get(),
        accept=True,
        reason="",
        today=today - dt.timedelta(days=18),
    )
    services.rectification_decide(
        user=office_user,
        rectification=returned.rectifications.get(),
        accept=False,
        reason="整改措施不够具体，请补充项目清单和时间节点。",
        today=today - dt.timedelta(days=10),
    )
    escalated = services.notices_escalate_overdue(county=county, today=today)
    assert order.parent_id == unanswered.pk
    assert {n.parent_id for n in escalated} == {order.pk, late.pk}
    talk = next(n for n in escalated if n.kind == NoticeKind.TALK)
    _talk_decision(scheme, [unanswered, order, talk], today)

    # Inspections by the five supervision offices, one a month.
    offices = list(Unit.objects.filter(county=county, is_supervision=True).order_by("code"))
    inspections = []
    for n, w in enumerate(others[:5]):
        inspections.append(
            records.inspection_record(
                user=supervisor,
                office=offices[n % len(offices)],
                kind="surprise" if n % 2 else "regular",
                date=today - dt.timedelta(days=25 * n + 3),
                unit=w.unit,
                indicators=[w.indicator],
                findings=f"{w.indicator.name}推进缓慢，项目台账不完整，部分措施未落实。{SYNTHETIC}",
            )
        )
    records.inspection_to_notice(user=supervisor, inspection=inspections[1], today=today)
    found = records.inspection_to_problem(user=supervisor, inspection=inspections[0], today=today)

    # Difficult problems: assigned to a county leader and a department, some solved.
    leaders = list(Cadre.objects.filter(county=county, is_county_leader=True).order_by("code"))
    departments = list(
        Unit.objects.filter(county=county, is_assessing=True, is_supervision=False).order_by("code")
    )
    problems = [found]
    for n, (title, code, assign) in enumerate(PROBLEMS):
        unit = Unit.objects.filter(county=county, code=code).first() or others[0].unit
        problem = records.problem_raise(
            user=office_user,
            title=title,
            description=f"{title}，需县级层面协调解决。{SYNTHETIC}",
            source="unit" if n % 3 else "supervision",
            unit=unit,
            raised_on=today - dt.timedelta(days=10 * n + 5),
            leader=rng.choice(leaders) if assign and leaders else None,
            department=rng.choice(departments) if assign and departments else None,
        )
        if assign:
            state = "solved" if n % 2 == 0 else "in_progress"
            records.problem_update(
                user=office_user,
                problem=problem,
                status=state,
                leader=problem.leader,
                department=problem.department,
                resolution="县领导现场协调，明确责任单位和时限，已解决。"
                if state == "solved"
                else "",
                today=today - dt.timedelta(days=5 * n),
            )
        problems.append(problem)

    # A help visit to a lagging unit each month.
    for month in range(6):
        w = others[month % len(others)]
        leader = leaders[month % len(leaders)] if leaders else None
        records.visit_record(
            user=supervisor,
            date=today - dt.timedelta(days=30 * month + 7),
            unit=w.unit,
            visitors=f"{leader.name if leader else ''}、县绩效办工作人员",
            leader=leader,
            indicators=[w.indicator],
            problems=[problems[month + 1]],
            outcome=f"现场调度{w.indicator.name}，明确整改措施和完成时限。{SYNTHETIC}",
        )

    for job in (Job.WEEKLY, Job.MONTHLY, Job.QUARTERLY):
        job_run(job=job, county=county, today=today)
    return {
        "notices": Notice.objects.filter(county=county).count(),
        "problems": len(problems),
        "inspections": len(inspections),
    }
