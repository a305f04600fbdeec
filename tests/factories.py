"""factory_boy factories and a small county with one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import factory

from kaohe.org.models import Cadre, Category, County, Role, Unit, User
from kaohe.reporting.calendar import periods_create
from kaohe.reporting.models import Period, Target
from kaohe.schemes.models import Indicator, IndicatorPoints, Scheme

PASSWORD = "Kaohe-Test-2026"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}县")
    prefecture = "测试州"
    prefecture_code = "990000"
    province = "测试省"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    kind = "township"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = "township"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    county = factory.SubFactory(CountyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


@dataclass
class World:
    """A county with two townships, an assessing department, a published scheme and accounts."""

    county: County
    category: Category
    town: Unit
    other_town: Unit
    assessor_unit: Unit
    leader: Cadre
    scheme: Scheme
    root: Indicator
    leaf: Indicator
    target: Target
    other_target: Target
    months: list[Period]
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


def build_world(year: int = 2026, code: str = "900001") -> World:
    county = County.objects.create(
        code=code, name="示范县", prefecture="示范州", prefecture_code="990000", province="示范省"
    )
    category = Category.objects.create(county=county, code="T1", name="一类乡镇", kind="township")
    town = Unit.objects.create(
        county=county, code="T01", name="甲镇", kind="township", category=category
    )
    other = Unit.objects.create(
        county=county, code="T02", name="乙镇", kind="township", category=category
    )
    assessor_unit = Unit.objects.create(
        county=county,
        code="D01",
        name="县统计局",
        kind="department",
        is_assessing=True,
        is_assessed=False,
    )
    leader = Cadre.objects.create(
        county=county, code="L01", name="张三", post="副县长", rank="副处级", is_county_leader=True
    )
    scheme = Scheme.objects.create(
        county=county, year=year, name=f"{year}年度绩效考核方案", status="published"
    )
    root = Indicator.objects.create(
        county=county, scheme=scheme, code="A", name="经济发展", level=1, position=1
    )
    leaf = Indicator.objects.create(
        county=county,
        scheme=scheme,
        parent=root,
        code="A01",
        name="招商引资到位资金",
        level=2,
        position=2,
        unit_of_measure="万元",
        frequency="monthly",
        assessor=assessor_unit,
        leader=leader,
        method={"kind": "completion_ratio", "cap": 1.0},
    )
    IndicatorPoints.objects.create(indicator=leaf, category=category, points=Decimal("10"))
    target = Target.objects.create(
        county=county, scheme=scheme, unit=town, indicator=leaf, annual_target=Decimal("1200")
    )
    other_target = Target.objects.create(
        county=county, scheme=scheme, unit=other, indicator=leaf, annual_target=Decimal("1200")
    )
    periods_create(scheme=scheme)
    # Tests run on any date: the world's periods carry no review deadline, so they never lock
    # under a test's feet. The lock itself is tested on its own (test_report_lock.py).
    Period.objects.filter(scheme=scheme).update(review_due=None)
    months = list(Period.objects.filter(scheme=scheme, kind="month").order_by("number"))
    users = {}
    for role in Role.values:
        unit = {"unit": town, "assessor": assessor_unit}.get(role)
        users[role] = UserFactory(username=f"{code}-{role}", county=county, role=role, unit=unit)
    return World(
        county,
        category,
        town,
        other,
        assessor_unit,
        leader,
        scheme,
        root,
        leaf,
        target,
        other_target,
        months,
        users,
    )
