"""Official bulletins (通报): what the office tells the county about a period, and issuing them.

A bulletin's content is computed for any past period from stored history only: the warnings
kept per unit, indicator and date (the latest row on or before the period's end), and the
approved values of reports of periods ending by then, scored as kaohe.results scores them. A
later approval therefore never changes an earlier month's bulletin. The content is a plain
JSON dict, in Chinese whatever the reader's interface language (it is the document itself), so
it can be frozen and hashed when the office issues it: an issued bulletin prints again from its
frozen content, and ``bulletin_matches_history`` tells whether history still gives the same.

The PDF and the Excel workbook are drawn from the same tables (bulletin_views.bulletin_tables),
so they always carry the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.dashboard.models import Bulletin, BulletinKind
from kaohe.dashboard.standings import Standing, annual_standings, scores_as_of
from kaohe.documents.official import chinese_date, document_number
from kaohe.jobs.models import BackgroundJob
from kaohe.jobs.services import job_start_system
from kaohe.monitoring.models import Warning
from kaohe.monitoring.selectors import latest_warnings
from kaohe.org.access import Permission, county_id_of, has_perm, require
from kaohe.org.models import County, Unit, User
from kaohe.reporting.models import Period
from kaohe.schemes.models import Indicator, Scheme

KIND_OF_PERIOD: dict[str, str] = {
    "month": BulletinKind.MONTHLY,
    "quarter": BulletinKind.QUARTERLY,
    "half": BulletinKind.SEMIANNUAL,
    "year": BulletinKind.ANNUAL,
}
# The middle of a document number after the county's short name: 保绩通〔2026〕3号 is the
# third monthly dispatch bulletin of 2026. Each kind numbers on its own, from 1 every year.
NUMBER_PREFIX: dict[str, str] = {
    BulletinKind.MONTHLY: "绩通",
    BulletinKind.QUARTERLY: "绩评",
    BulletinKind.SEMIANNUAL: "绩总",
    BulletinKind.ANNUAL: "绩考",
}
LEVEL_NAME = {-1: "暂无数据", 0: "绿色", 1: "黄色", 2: "橙色", 3: "红色"}
CN_DIGITS = "〇一二三四五六七八九"
CONTENT_VERSION = 1
# The job kind that draws and stores an issued bulletin's files (kaohe/dashboard/tasks.py).
RENDER_KIND = "bulletins.render"


# -- names and labels ------------------------------------------------------------------------


def issuer_of(county: County) -> str:
    """The issuing office: the county's performance office (县绩效办)."""
    return f"{county.name}绩效考核办公室"


def number_prefix(county: County, kind: str) -> str:
    return (county.short_name or county.name[:1]) + NUMBER_PREFIX[kind]


def period_label(period: Period) -> str:
    """The period as a document names it: 2026年10月, 2026年第三季度, 2026年上半年, 2026年度."""
    year = period.scheme.year
    if period.kind == "month":
        return f"{year}年{period.number}月"
    if period.kind == "quarter":
        return f"{year}年第{CN_DIGITS[period.number]}季度"
    if period.kind == "half":
        return f"{year}年{'上' if period.number == 1 else '下'}半年"
    return f"{year}年度"


def bulletin_title(kind: str, period: Period) -> str:
    label = period_label(period)
    titles: dict[str, str] = {
        BulletinKind.MONTHLY: f"关于{label}份绩效考核指标月调度情况的通报",
        BulletinKind.QUARTERLY: f"关于{label}绩效考评情况的通报",
        BulletinKind.SEMIANNUAL: f"关于{label}绩效考核工作总结情况的通报",
        BulletinKind.ANNUAL: f"关于{label}绩效考核结果的通报",
    }
    return titles[kind]


def _pct(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _amount(value: Decimal | None, uom: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{uom}"


# -- scores and warnings as of a date ----------------------------------------------------------


def _latest_warnings(scheme: Scheme, as_of: dt.date) -> dict[tuple[int, int], Warning]:
    """The colour of every unit and indicator as it stood on as_of (latest row on or before)."""
    rows = latest_warnings(county_id=scheme.county_id, scheme_id=scheme.pk, as_of=as_of)
    fields = ("unit_id", "indicator_id", "level", "value", "target", "completion", "schedule")
    return {(w.unit_id, w.indicator_id): w for w in rows.only(*fields)}


def _previous(period: Period) -> Period | None:
    if period.number <= 1:
        return None
    return Period.objects.filter(
        scheme=period.scheme, kind=period.kind, number=period.number - 1
    ).first()


# -- content --------------------------------------------------------------------------------


def _counts(warnings: dict[tuple[int, int], Warning]) -> dict[str, int]:
    counts = {str(level): 0 for level in LEVEL_NAME}
    for w in warnings.values():
        counts[str(w.level)] += 1
    return counts


def bulletin_compose(*, period: Period, number: str, issued_on: dt.date) -> dict[str, Any]:
    """The whole content of a period's bulletin, computed from stored history, as JSON data."""
    kind = KIND_OF_PERIOD[period.kind]
    scheme = period.scheme
    county = scheme.county
    as_of = period.end
    if kind == BulletinKind.ANNUAL:
        standings = annual_standings(scheme=scheme, as_of=as_of)
    else:
        standings = scores_as_of(scheme=scheme, as_of=as_of)
    now = _latest_warnings(scheme, as_of)
    previous = _previous(period)
    before = _latest_warnings(scheme, previous.end) if previous else {}
    indicators = {i.pk: i for i in Indicator.objects.filter(scheme=scheme)}
    units = {u.pk: u for u in Unit.objects.filter(county=county)}
    lag_by_unit: dict[int, dict[int, int]] = {}
    for (unit_id, _i), w in now.items():
        if w.level >= 2:
            lag_by_unit.setdefault(unit_id, {2: 0, 3: 0})[w.level] += 1

    def key(pair: tuple[int, int]) -> tuple[str, int]:
        return (units[pair[0]].code, indicators[pair[1]].position)

    lagging = []
    for pair in sorted(
        (p for p, w in now.items() if w.level >= 2),
        key=lambda p: (_unit_order(units[p[0]]), -now[p].level, -_gap(now[p]), *key(p)),
    ):
        w, ind = now[pair], indicators[pair[1]]
        lagging.append(
            {
                "unit": units[pair[0]].name,
                "indicator": ind.name,
                "value": _amount(w.value, ind.unit_of_measure),
                "target": _amount(w.target, ind.unit_of_measure),
                "completion": _pct(w.completion),
                "schedule": _pct(w.schedule),
                "level": w.level,
            }
        )
    improved = []
    for pair in sorted(
        (p for p, w in now.items() if p in before and 0 <= w.level < before[p].level),
        key=lambda p: (now[p].level - before[p].level, *key(p)),
    ):
        w, was = now[pair], before[pair]
        improved.append(
            {
                "unit": units[pair[0]].name,
                "indicator": indicators[pair[1]].name,
                "before": was.level,
                "after": w.level,
                "completion_before": _pct(was.completion),
                "completion_after": _pct(w.completion),
            }
        )
    counts = _counts(now)
    most_lagging = sorted(
        ((sum(c.values()), units[u].code, _short(units[u])) for u, c in lag_by_unit.items()),
        key=lambda t: (-t[0], t[1]),
    )[:10]
    content: dict[str, Any] = {
        "version": CONTENT_VERSION,
        "kind": kind,
        "period": {"id": period.pk, "kind": period.kind, "number": period.number},
        "period_label": period_label(period),
        "as_of": f"{as_of.month}月{as_of.day}日",
        "previous_label": period_label(previous) if previous else "",
        "scheme": scheme.name,
        "issuer": issuer_of(county),
        "number": number,
        "title": bulletin_title(kind, period),
        "issued_on": chinese_date(issued_on),
        "demo": county.is_demo or scheme.is_demo,
        "units": len(standings),
        "counts": counts,
        "previous_counts": _counts(before) if previous else None,
        "standings": [
            {
                "category": s.unit.category.name if s.unit.category else "",
                "unit": s.unit.name,
                "score": str(s.score),
                "points": _amount(s.points, ""),
                "rank": s.rank,
                **({"grade": s.grade} if s.grade else {}),
                "red": lag_by_unit.get(s.unit.pk, {}).get(3, 0),
                "orange": lag_by_unit.get(s.unit.pk, {}).get(2, 0),
            }
            for s in sorted(standings, key=_standing_order)
        ],
        "lagging": lagging,
        "improved": improved,
        "most_lagging": [[name, total] for total, _code, name in most_lagging],
    }
    content["paragraphs"] = _paragraphs(content, scheme)
    return content


def _short(unit: Unit) -> str:
    """A department's name without the leading 县 (县财政局 -> 财政局), for chart labels."""
    return unit.name[1:] if unit.kind != "township" and unit.name.startswith("县") else unit.name


def _unit_order(unit: Unit) -> tuple[bool, str]:
    """Townships first, then county departments, each by code (the order of the annexes)."""
    return (unit.kind != "township", unit.code)


def _standing_order(s: Standing) -> tuple[bool, str, int, str]:
    """Townships' categories first, then departments'; by rank within a category."""
    category = s.unit.category.code if s.unit.category else ""
    return (s.unit.kind != "township", category, s.rank, s.unit.code)


def _gap(w: Warning) -> float:
    return w.schedule - (w.completion or 0.0)


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the content's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


INTRO = {
    BulletinKind.MONTHLY: "{label}份考核指标推进情况进行了调度",
    BulletinKind.QUARTERLY: "{label}考核指标完成情况进行了考评",
    BulletinKind.SEMIANNUAL: "{label}绩效考核工作进行了总结",
    BulletinKind.ANNUAL: "{label}考核指标完成情况进行了考核",
}
REQUIREMENTS = [
    "（一）压实工作责任。各单位主要负责人要亲自过问滞后指标，分管县领导要加强调度，"
    "确保各项指标按时序进度推进。",
    "（二）抓好整改落实。对红色预警指标，县绩效考核办公室将会同督查部门下发督办单，"
    "必要时约谈单位主要负责人；对橙色预警指标下发提醒单，责任单位须在下期调度前报送整改情况。",
    "（三）确保数据质量。各考核责任部门要严格审核报送数据及佐证材料，确保数据真实、准确、完整。",
]
ANNUAL_REQUIREMENTS = [
    "（一）抓好结果运用。考核结果作为干部选拔任用、评先评优和绩效奖励的重要依据。",
    "（二）持续整改提升。对年末仍为红色、橙色预警的指标，责任单位要深入剖析原因，"
    "在新一年度考核方案中明确整改措施。",
    "（三）年度考核等次经县绩效考核工作领导小组审定后另行公布。",
]


def _change(now: int, before: int) -> str:
    if now == before:
        return "持平"
    return f"{'增加' if now > before else '减少'}{abs(now - before)}项"


def _paragraphs(c: dict[str, Any], scheme: Scheme) -> dict[str, Any]:
    """The document's prose, written from its figures (part of the hashed content)."""
    n = c["counts"]
    total = sum(n.values())
    overall = (
        f"截至{c['as_of']}，全县{c['units']}个被考核单位的{total}项指标任务纳入预警监测，"
        f"其中绿色{n['0']}项、黄色{n['1']}项、橙色{n['2']}项、红色{n['3']}项"
    )
    if n["-1"]:
        overall += f"，暂无数据{n['-1']}项"
    overall += "。"
    if c["previous_counts"] is not None:
        p = c["previous_counts"]
        overall += (
            f"与{c['previous_label']}相比，红色预警{_change(n['3'], p['3'])}，"
            f"橙色预警{_change(n['2'], p['2'])}，{len(c['improved'])}项指标预警等级好转。"
        )
    red, orange = n["3"], n["2"]
    if c["lagging"]:
        lagging = (
            f"截至{c['as_of']}，共有{len(c['lagging'])}项指标任务完成进度明显滞后于时序进度"
            f"（红色预警{red}项、橙色预警{orange}项），明细见附件1。请相关单位认真分析原因，"
            "逐项制定整改措施，限期补齐短板。"
        )
    else:
        lagging = "本期无橙色、红色预警指标。"
    if c["kind"] == BulletinKind.ANNUAL:
        improved = "年度考核按全年完成情况评定，不作环比。"
    elif c["previous_counts"] is None:
        improved = "本期为本年度首期，不作环比。"
    elif c["improved"]:
        improved = (
            f"与{c['previous_label']}相比，{len(c['improved'])}项指标任务预警等级好转，"
            "明细见附件2，予以肯定。"
        )
    else:
        improved = "与上期相比，本期无预警等级好转的指标。"
    return {
        "intro": (
            "为深入推进“周推进、月调度、季评估、半年一总结”工作机制，压实指标责任，"
            f"根据《{c['scheme']}》，县绩效考核办公室对全县各乡镇、县直各单位"
            + INTRO[c["kind"]].format(label=c["period_label"])
            + "。现将有关情况通报如下。"
        ),
        "overall": overall,
        "standings": (
            "按截至本期末审核通过的数据计分（各指标按方案规定的计分方法计分，得分保留"
            f"{scheme.score_places}位小数），各单位得分及在本类别中的排名如下，得分相同者并列。"
        ),
        "lagging": lagging,
        "improved": improved,
        "requirements": ANNUAL_REQUIREMENTS if c["kind"] == BulletinKind.ANNUAL else REQUIREMENTS,
        "demo": "注：本通报由演示县数据生成，除2022年改革报告所列数字外均为虚构。"
        if c["demo"]
        else "",
    }


# -- reading: what each role may see ---------------------------------------------------------


def draft_number(county: County, kind: str, year: int) -> str:
    """The number line of a draft: the number is left blank until the office issues it."""
    return f"{number_prefix(county, kind)}〔{year}〕　号"


def draft_content(*, period: Period, today: dt.date) -> dict[str, Any]:
    """A draft's content: computed afresh, never stored, free to render as often as wanted."""
    kind = KIND_OF_PERIOD[period.kind]
    number = draft_number(period.scheme.county, kind, today.year)
    return bulletin_compose(period=period, number=number, issued_on=today)


def bulletin_periods(*, user: User, today: dt.date) -> list[tuple[Period, Bulletin | None]]:
    """The office's list: every ended period a bulletin can cover, newest first, with its
    issued bulletin if there is one."""
    require(user, Permission.BULLETIN_ISSUE)
    periods = list(
        Period.objects.filter(
            county_id=county_id_of(user),
            scheme__status__in=["published", "closed"],
            kind__in=list(KIND_OF_PERIOD),
            end__lt=today,
        )
        .select_related("scheme")
        .order_by("-end", "kind")
    )
    issued = {b.period_id: b for b in Bulletin.objects.filter(county_id=county_id_of(user))}
    return [(p, issued.get(p.pk)) for p in periods]


def bulletins_issued(*, user: User) -> QuerySet[Bulletin]:
    """Issued bulletins of the user's county: every business role reads them (they are sent to
    every township and department, so a unit reads the whole document, not only its row)."""
    require(user, Permission.RESULT_VIEW)
    return (
        Bulletin.objects.filter(county_id=county_id_of(user))
        .select_related("period__scheme", "issued_by")
        .order_by("-issued_at")
    )


def bulletin_get(*, user: User, pk: int) -> Bulletin:
    """An issued bulletin of the user's county, with the job drawing its files; else a 404."""
    try:
        return bulletins_issued(user=user).select_related("render_job").get(pk=pk)
    except Bulletin.DoesNotExist:
        raise Http404 from None


def bulletin_period_get(*, user: User, pk: int) -> Period:
    """A period of the office's county that a bulletin can cover; any other is a 404."""
    require(user, Permission.BULLETIN_ISSUE)
    period = (
        Period.objects.filter(pk=pk, county_id=county_id_of(user), kind__in=list(KIND_OF_PERIOD))
        .select_related("scheme__county")
        .first()
    )
    if period is None:
        raise Http404
    return period


def bulletin_matches_history(bulletin: Bulletin) -> bool:
    """True when stored history still gives the issued content (no report of the period has
    been reopened and changed since): the content is recomputed and its hash compared."""
    again = bulletin_compose(
        period=bulletin.period,
        number=bulletin.document_number,
        issued_on=timezone.localdate(bulletin.issued_at),
    )
    return content_hash(again) == bulletin.content_hash


def bulletin_intact(bulletin: Bulletin) -> bool:
    """True when the stored content still has the hash it was issued with."""
    return content_hash(bulletin.content) == bulletin.content_hash


def can_issue(user: User) -> bool:
    return has_perm(user, Permission.BULLETIN_ISSUE)


# -- the one write ---------------------------------------------------------------------------


@transaction.atomic
def bulletin_issue(*, user: User, period: Period, now: dt.datetime | None = None) -> Bulletin:
    """Issue the bulletin of an ended period: assign the next number of its kind and year,
    freeze its content with the content's hash, audit it, and (once committed) start the job
    that draws its PDF and Excel once and stores them with their hashes.

    Numbers are gap-free per county, kind and year: they are taken under a lock on the county
    row, and a failed issue rolls back with the number it would have taken. A period has one
    bulletin; issuing it again is refused.
    """
    require(user, Permission.BULLETIN_ISSUE)
    if period.county_id != county_id_of(user):
        raise PermissionDenied("another county's period")
    kind = KIND_OF_PERIOD.get(period.kind)
    if kind is None:
        raise ValidationError(_("No bulletin covers this kind of period."))
    now = now or timezone.now()
    issued_on = timezone.localdate(now)
    if period.end >= issued_on:
        raise ValidationError(_("A bulletin can be issued only after its period has ended."))
    county = County.objects.select_for_update().get(pk=period.county_id)
    if Bulletin.objects.filter(county=county, period=period).exists():
        raise ValidationError(_("The bulletin of this period has already been issued."))
    last = Bulletin.objects.filter(county=county, kind=kind, year=issued_on.year).aggregate(
        last=Max("number")
    )["last"]
    seq = (last or 0) + 1
    number = document_number(number_prefix(county, kind), issued_on.year, seq)
    content = bulletin_compose(period=period, number=number, issued_on=issued_on)
    digest = content_hash(content)
    bulletin = Bulletin.objects.create(
        county=county,
        kind=kind,
        period=period,
        year=issued_on.year,
        number=seq,
        document_number=number,
        title=content["title"],
        issued_at=now,
        issued_by=user,
        content=content,
        content_hash=digest,
    )
    audit_record(
        actor=user,
        action="bulletin.issue",
        county_code=county.code,
        object_type="bulletin",
        object_id=bulletin.pk,
        after={
            "kind": kind,
            "period": period.pk,
            "number": number,
            "title": bulletin.title,
            "content_hash": digest,
        },
    )
    # Once the issue has committed: a failed issue leaves no job. Should the process stop in
    # between, the bulletin's first reader starts the job instead (bulletin_render_ensure).
    pk = bulletin.pk
    transaction.on_commit(lambda: bulletin_render_ensure(pk=pk))
    return bulletin


# -- its files: one render job at a time (drawn and stored by kaohe.dashboard.bulletin_files) --


def bulletin_render_job(bulletin: Bulletin) -> BackgroundJob | None:
    """The latest job drawing this bulletin's files (its progress shows on the bulletin page):
    the one the bulletin points to, read by its key (the page asks every second)."""
    return bulletin.render_job


@transaction.atomic
def bulletin_render_ensure(*, pk: int) -> BackgroundJob | None:
    """Make sure an issued bulletin's files are on their way: start the system job that draws
    and stores them (audited) unless they are stored or a job is already waiting or running,
    and point the bulletin to it. A finished job that left no files (it failed, or was marked
    failed by the jobs' stale-job reaper after its worker died) counts as none: a new one is
    started. The check and the start run under the bulletin row's lock, so readers asking at
    once start one job, not one each. Returns the job drawing them; None when they are stored.
    """
    bulletin = (
        Bulletin.objects.select_for_update(of=("self",))
        .select_related("county", "render_job")
        .get(pk=pk)
    )
    if bulletin.files_stored:
        return None
    job = bulletin.render_job
    if job is not None and not job.finished:
        return job
    job = job_start_system(
        county=bulletin.county,
        kind=RENDER_KIND,
        label=_("Draw the files of bulletin %(number)s") % {"number": bulletin.document_number},
        params={"bulletin": bulletin.pk},
    )
    bulletin.render_job = job
    bulletin.save(update_fields=["render_job"])
    return job
