"""A county of any shape, built through the services: N townships in K categories, M
departments in L categories, a published scheme, targets, approved reports, warnings, a notice
and one account per role.

The demo county has twelve townships and 32 departments; real counties have 1 to 40 townships
and up to a hundred departments. ``build_shape`` makes one of any size, so that every page can
be opened on it (tests/test_county_shapes.py) and beside another county
(tests/test_county_isolation.py). It returns a ``ShapeWorld``, a ``tests.factories.World`` with
the whole county's units, so the route table's argument builders work on it unchanged.

Every name carries the shape's prefix (``青石07镇``, ``青石直属12局``), so a test can tell its
units from another county's in any page.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.test.utils import override_settings

from kaohe.exchange.services import scheme_import
from kaohe.exchange.spec import CategorySpec, IndicatorSpec, SchemeSpec
from kaohe.monitoring.services import warning_refresh
from kaohe.org.models import Cadre, Category, County, Role, Unit, User
from kaohe.reporting.bulk import EnteredRow, reports_enter_by_assessor
from kaohe.reporting.calendar import month_end, periods_create
from kaohe.reporting.models import Period, Target
from kaohe.schemes.models import Indicator
from kaohe.schemes.services import scheme_publish
from kaohe.supervision.models import NoticeKind
from kaohe.supervision.services import notice_create, notice_issue
from tests.factories import UserFactory, World

W = TypeVar("W", bound=World)
YEAR = 2026
ANNUAL_TARGET = Decimal("1200")
# The first-level indicators and their leaves: (code, name, parent, township points, department
# points). Each category's leaves add up to 100 points, as scheme_publish requires.
LEAVES = (
    ("A", "经济发展", None, 0, 0),
    ("A01", "招商引资到位资金", "A", 30, 20),
    ("A02", "固定资产投资", "A", 20, 30),
    ("B", "民生保障", None, 0, 0),
    ("B01", "城镇新增就业", "B", 30, 25),
    ("C", "党的建设", None, 0, 0),
    ("C01", "基层党建任务完成", "C", 20, 25),
)
# How far along each unit is, as a share of its time schedule: mostly on pace or a little
# behind (green, yellow), some well behind (orange); the county's first township is far
# behind (red) on every leaf, so that the loop's helpers find a red warning to act on.
PACE = (1.02, 1.0, 0.97, 1.05, 0.98, 0.9, 1.0)
RED_PACE = 0.6
# Warnings at three month ends, none on 31 May (tests/supervision/helpers.py writes that one).
WARNING_MONTHS = (6, 7, 8)
# Approved values for January to August: September onwards stays open for the tests to submit.
APPROVED_MONTHS = 8


@dataclass(frozen=True)
class Shape:
    """How big a county is: townships and departments, and how many categories of each."""

    townships: int
    township_categories: int
    departments: int
    department_categories: int
    code: str = "900040"
    short: str = "青石"

    @property
    def county_name(self) -> str:
        return f"{self.short}县"

    def township_name(self, n: int) -> str:
        return f"{self.short}{n:02d}镇"

    def department_name(self, n: int) -> str:
        return f"{self.short}直属{n:02d}局"


@dataclass
class ShapeWorld(World):
    """A World (tests/factories.py) with every unit, category and leaf of the county."""

    shape: Shape = field(default_factory=lambda: Shape(2, 1, 0, 0))
    townships: list[Unit] = field(default_factory=list)
    departments: list[Unit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    leaves: list[Indicator] = field(default_factory=list)
    office_unit: Unit | None = None

    @property
    def assessed(self) -> list[Unit]:
        return [*self.townships, *self.departments]

    def unit_names(self) -> list[str]:
        """Every unit name of the county (for pages that must not show them elsewhere)."""
        return list(Unit.objects.filter(county=self.county).values_list("name", flat=True))


def _spread(n: int, groups: int) -> list[int]:
    """Which of ``groups`` categories each of n units falls in: as even as can be, in order."""
    return [k * groups // max(n, 1) for k in range(n)]


def _categories(shape: Shape) -> list[CategorySpec]:
    towns = [
        CategorySpec(f"T{k + 1}", f"{shape.short}{k + 1}类乡镇", "", "township", 100)
        for k in range(shape.township_categories)
    ]
    depts = [
        CategorySpec(f"D{k + 1}", f"{shape.short}{k + 1}类部门", "", "department", 100)
        for k in range(shape.department_categories)
    ]
    return towns + depts


def _spec(shape: Shape, categories: list[CategorySpec]) -> SchemeSpec:
    indicators = []
    for code, name, parent, town_points, dept_points in LEAVES:
        points = {
            c.code: float(town_points if c.kind == "township" else dept_points) for c in categories
        }
        indicators.append(
            IndicatorSpec(
                code=code,
                name=name,
                parent=parent,
                unit_of_measure="万元" if parent else "",
                frequency="monthly",
                cumulative=True,
                assessor="S01" if parent else "",
                leader=("L01" if code.startswith("A") else "L02") if parent else "",
                method={"kind": "completion_ratio", "cap": 1.0} if parent else {},
                points=points if parent else {},
            )
        )
    return SchemeSpec(
        year=YEAR,
        name=f"{shape.county_name}{YEAR}年度绩效考核方案",
        categories=tuple(categories),
        indicators=tuple(indicators),
    )


def _units(shape: Shape, county: County) -> tuple[list[Unit], list[Unit], list[Category]]:
    """The county's categories (made by the scheme import) and its assessed units in them."""
    categories = list(Category.objects.filter(county=county).order_by("kind", "code"))
    town_cats = [c for c in categories if c.kind == "township"]
    dept_cats = [c for c in categories if c.kind == "department"]
    towns = Unit.objects.bulk_create(
        Unit(
            county=county,
            code=f"T{n + 1:03d}",
            name=shape.township_name(n + 1),
            kind="township",
            category=town_cats[k],
        )
        for n, k in enumerate(_spread(shape.townships, len(town_cats)))
    )
    depts = Unit.objects.bulk_create(
        Unit(
            county=county,
            code=f"D{n + 1:03d}",
            name=shape.department_name(n + 1),
            kind="department",
            category=dept_cats[k],
        )
        for n, k in enumerate(_spread(shape.departments, len(dept_cats)))
    )
    return towns, depts, categories


def _accounts(
    shape: Shape, county: County, town: Unit, assessor: Unit, leader: Cadre
) -> dict[str, User]:
    users: dict[str, User] = {}
    for role in Role.values:
        unit = {Role.UNIT: town, Role.ASSESSOR: assessor}.get(role)
        cadre = leader if role == Role.LEADER else None
        users[role] = UserFactory(
            username=f"{shape.code}-{role}", county=county, role=role, unit=unit, cadre=cadre
        )
    return users


def _approved_values(
    *, assessor: User, targets: list[Target], months: list[Period], red: Unit
) -> None:
    """January to August approved for every unit, as the assessing department enters them."""
    rows = []
    place = {unit_id: n for n, unit_id in enumerate(dict.fromkeys(t.unit_id for t in targets))}
    for target in targets:
        pace = RED_PACE if target.unit_id == red.pk else PACE[place[target.unit_id] % len(PACE)]
        for period in months[:APPROVED_MONTHS]:
            value = ANNUAL_TARGET * period.number / 12 * Decimal(str(pace))
            rows.append(EnteredRow(target, period, f"{value:.2f}", ""))
    reports_enter_by_assessor(user=assessor, rows=rows)


def build_shape(shape: Shape) -> ShapeWorld:
    """Build a county of the given shape through the services; see the module's docstring."""
    if shape.townships < 2:
        raise ValueError("A shape needs two townships (the World's town and other_town).")
    county = County.objects.create(
        code=shape.code,
        name=shape.county_name,
        prefecture="测试州",
        prefecture_code="990000",
        province="测试省",
    )
    assessor_unit = Unit.objects.create(
        county=county,
        code="S01",
        name=f"{shape.short}统计局",
        kind="department",
        is_assessing=True,
        is_assessed=False,
    )
    # The performance office runs the supervision loop (tests/supervision/helpers.py finds it
    # by its code, S03).
    office_unit = Unit.objects.create(
        county=county,
        code="S03",
        name=f"{shape.short}绩效办",
        kind="department",
        is_assessed=False,
        is_supervision=True,
    )
    leader = Cadre.objects.create(
        county=county, code="L01", name=f"{shape.short}甲", post="副县长", rank="副处级",
        is_county_leader=True,
    )  # fmt: skip
    Cadre.objects.create(
        county=county, code="L02", name=f"{shape.short}乙", post="副县长", rank="副处级",
        is_county_leader=True,
    )  # fmt: skip
    spec_categories = _categories(shape)
    scheme = scheme_import(spec=_spec(shape, spec_categories), county=county)
    towns, depts, categories = _units(shape, county)
    users = _accounts(shape, county, towns[0], assessor_unit, leader)
    scheme = scheme_publish(user=users[Role.OFFICE], scheme=scheme)
    indicators = list(Indicator.objects.filter(scheme=scheme).order_by("position"))
    leaves = [i for i in indicators if i.parent_id is not None]
    Target.objects.bulk_create(
        Target(county=county, scheme=scheme, unit=u, indicator=leaf, annual_target=ANNUAL_TARGET)
        for u in [*towns, *depts]
        for leaf in leaves
    )
    targets = list(
        Target.objects.filter(scheme=scheme)
        .select_related("unit", "indicator")
        .order_by("unit__kind", "unit__code", "indicator__position")
    )
    periods_create(scheme=scheme)
    # As in tests/factories.py: no review deadline, so periods never lock under a test's feet.
    Period.objects.filter(scheme=scheme).update(review_due=None)
    months = list(Period.objects.filter(scheme=scheme, kind="month").order_by("number"))
    _approved_values(assessor=users[Role.ASSESSOR], targets=targets, months=months, red=towns[0])
    for month in WARNING_MONTHS:
        for leaf in leaves:
            warning_refresh(indicator=leaf, as_of=month_end(YEAR, month))
    # One issued reminder, to the second township (the first is left to the loop's tests).
    notice = notice_create(
        user=users[Role.OFFICE],
        county=county,
        kind=NoticeKind.REMINDER,
        issuer=office_unit,
        recipient=towns[1],
        indicators=[leaves[0]],
        title=f"关于{towns[1].name}招商引资进度的提醒",
        situation="进度滞后于时序进度。",
        required_actions="分析原因，制定整改措施。",
        deadline=dt.date(YEAR, 9, 30),
    )
    notice_issue(user=users[Role.OFFICE], notice=notice, today=dt.date(YEAR, 9, 1))
    root = indicators[0]
    leaf = leaves[0]
    by_unit = {(t.unit_id, t.indicator_id): t for t in targets}
    return ShapeWorld(
        county=county,
        category=towns[0].category,  # type: ignore[arg-type]
        town=towns[0],
        other_town=towns[1],
        assessor_unit=assessor_unit,
        leader=leader,
        scheme=scheme,
        root=root,
        leaf=leaf,
        target=by_unit[(towns[0].pk, leaf.pk)],
        other_target=by_unit[(towns[1].pk, leaf.pk)],
        months=months,
        users=users,
        shape=shape,
        townships=towns,
        departments=depts,
        categories=categories,
        leaves=leaves,
        office_unit=office_unit,
    )


# The shapes the tests walk: a mid-sized county with many departments, and a county of many
# townships in one category (more than the 32 tiles the old fixed grid had room for).
MANY_DEPARTMENTS = Shape(19, 2, 85, 5, code="900019", short="青石")
MANY_TOWNSHIPS = Shape(40, 1, 6, 1, code="900040", short="云岭")


def built_once(*shapes: Shape, ids: list[str] | None = None) -> Any:
    """A module-scoped fixture: a county of each shape, built once for a module's tests.

    As ``tests.conftest.shared_demo``: built in a transaction rolled back when the module ends,
    each test in a savepoint within it (request ``db`` too), so what a test writes is undone.
    """

    @pytest.fixture(scope="module", params=shapes, ids=ids)
    def built(request: Any, django_db_setup: None, django_db_blocker: Any) -> Any:
        fast = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        )
        with django_db_blocker.unblock(), fast:
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build_shape(request.param)
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return built


def walked(world: W) -> W:
    """A fresh copy of a built world with what tests/test_access_routes.py's ``walked`` adds:
    the town's October report (with evidence) waiting for review, and a note in its inbox.

    A copy, because the route table's builders cache objects on the world (a round, its
    result) that the test's savepoint rolls back."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaohe.org.models import Notification
    from kaohe.reporting.services import report_submit

    w = copy.copy(world)
    w.report = report_submit(  # type: ignore[attr-defined]
        user=w.user("unit"),
        target=w.target,
        period=w.months[9],
        value="500",
        note="",
        files=[SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    w.evidence = w.report.evidence.get()  # type: ignore[attr-defined]
    w.note = Notification.objects.create(  # type: ignore[attr-defined]
        county=w.county, user=w.user("unit"), kind="test", key="k", title="t", url="/"
    )
    return w
