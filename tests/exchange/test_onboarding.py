"""Onboarding a county: the platform system administrator creates it and imports its
organisation through a check and an import job; the platform security administrator grants the
roles from the same file; the county's people then work in it with no code change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.jobs.models import BackgroundJob
from kaohe.org.models import Cadre, Category, County, Unit, User
from kaohe.org.onboarding import (
    AccountRow,
    CadreRow,
    CategoryRow,
    Organisation,
    RoleGrant,
    UnitRow,
    county_create,
    organisation_import,
    roles_grant,
)
from tests.exchange.onboarding_book import shaped, workbook
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform() -> dict[str, User]:
    return {
        "sysadmin": UserFactory(username="platform-sys", county=None, role="sysadmin"),
        "secadmin": UserFactory(username="platform-sec", county=None, role="secadmin"),
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_county(client: Client, code: str = "522701") -> County:
    response = client.post(
        reverse("onboarding:county_new"),
        {
            "code": code,
            "name": "新岭县",
            "short_name": "岭",
            "prefecture": "黔南州",
            "prefecture_code": "522700",
            "province": "贵州省",
        },
    )
    county = County.objects.get(code=code)
    assert response.status_code == 302 and response.url == reverse(
        "onboarding:county", args=[county.pk]
    )
    return county


def _upload(client: Client, route: str, county: County, content: bytes) -> BackgroundJob:
    response = client.post(
        reverse(route, args=[county.pk]),
        {"file": SimpleUploadedFile("组织架构.xlsx", content)},
    )
    assert response.status_code == 302, response
    return BackgroundJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def _confirm(client: Client, job: BackgroundJob) -> BackgroundJob:
    response = client.post(reverse("jobs:next", args=[job.pk]))
    return BackgroundJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_a_county_of_19_townships_and_85_departments_is_created_checked_imported_and_granted(
    platform: dict[str, User],
) -> None:
    sysadmin, secadmin = _client(platform["sysadmin"]), _client(platform["secadmin"])
    county = _new_county(sysadmin)
    content = workbook(shaped(townships=19, township_categories=2, departments=85))

    check = _upload(sysadmin, "onboarding:import_check", county, content)
    assert check.status == "done", check.outcome
    assert "7个类别、107个单位、24名干部和9个账号可以导入" in check.outcome["summary"]
    assert check.outcome["confirm_kind"] == "onboarding.import"
    station = next(row for row in check.outcome["table"] if row[1] == "T0101")
    assert station[:3] == ["单位", "T0101", "第1镇农业服务站"] and "隶属T01" in station[3]
    assert not Unit.objects.filter(county=county).exists()  # the check writes nothing

    imported = _confirm(sysadmin, check)
    assert imported.status == "done", imported.outcome
    assert Category.objects.filter(county=county).count() == 7
    assert Unit.objects.filter(county=county, kind="township", is_assessed=True).count() == 19
    assert Unit.objects.filter(county=county, kind="department", is_assessed=True).count() == 85
    assert Unit.objects.get(county=county, code="T0101").parent.code == "T01"  # type: ignore[union-attr]
    assert Cadre.objects.filter(county=county).count() == 24
    office = User.objects.get(username="office")
    assert office.county == county and office.role == "" and office.unit.code == "S01"  # type: ignore[union-attr]
    assert not office.has_usable_password()
    actions = set(AuditEvent.objects.filter(chain=county.code).values_list("action", flat=True))
    assert {"county.create", "organisation.import", "account.create"} <= actions

    grant_check = _upload(secadmin, "onboarding:roles_check", county, content)
    assert grant_check.status == "done", grant_check.outcome
    assert grant_check.outcome["table"][1] == ["office", "绩效办", "—", "绩效办", "S01"]
    assert User.objects.get(username="office").role == ""  # nothing granted before confirming
    granted = _confirm(secadmin, grant_check)
    assert granted.status == "done", granted.outcome
    roles = dict(User.objects.filter(county=county).values_list("username", "role"))
    assert roles == {
        "office": "office",
        "t01": "unit",
        "d01": "assessor",
        "leader": "leader",
        "supervisor": "supervisor",
        "organisation": "organisation",
        "sysadmin": "sysadmin",
        "secadmin": "secadmin",
        "auditadmin": "auditadmin",
    }
    assert AuditEvent.objects.filter(chain=county.code, action="account.role").count() == 9

    # Its people work in it with no code change: the office opens the battle map and the
    # scheme page, the county's own system administrator its accounts page.
    User.objects.filter(county=county).update(password=platform["sysadmin"].password)
    office_client = _client(User.objects.get(username="office"))
    battle_map = office_client.get(reverse("dashboard:battlemap"))
    assert battle_map.status_code == 200 and "新岭县" in battle_map.content.decode()
    # A new county has no scheme yet: the office starts from the schemes page (list, import).
    assert office_client.get(reverse("schemes:list")).status_code == 200
    assert office_client.get(reverse("schemefiles:upload")).status_code == 200
    accounts = _client(User.objects.get(username="sysadmin")).get(reverse("org:accounts"))
    assert accounts.status_code == 200 and "supervisor" in accounts.content.decode()


def _departments(n: int) -> Organisation:
    """n departments, each with one cadre and one account tied to both."""
    return Organisation(
        categories=(CategoryRow("BM1", "1类部门", "department"),),
        units=tuple(
            UnitRow(f"D{i:03d}", f"县第{i}局", "department", "BM1", None, True, True, False)
            for i in range(n)
        ),
        cadres=tuple(
            CadreRow(f"C{i:03d}", f"局长{i}", f"D{i:03d}", "局长", "正科级", False, "")
            for i in range(n)
        ),
        accounts=tuple(
            AccountRow(f"d{i:03d}", f"县第{i}局 审核员", "", f"D{i:03d}", f"C{i:03d}", "assessor")
            for i in range(n)
        ),
    )


# What one account costs inside the import and the grant: its audit event (read the chain
# head, insert the event, move the head) and, for a grant, its own save. Anything more per
# account is a query per row (an N+1) that a county of hundreds of accounts would feel.
AUDIT_QUERIES = 3


def test_importing_and_granting_50_accounts_costs_a_bounded_number_of_queries(
    platform: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    args = {"name": "新岭县", "prefecture": "黔南州", "prefecture_code": "522700"}
    county = county_create(actor=platform["sysadmin"], code="522701", province="贵州省", **args)
    organisation = _departments(50)
    with django_assert_max_num_queries(AUDIT_QUERIES * 50 + 20):
        organisation_import(actor=platform["sysadmin"], county=county, organisation=organisation)
    assert User.objects.filter(county=county, cadre__unit__code="D049").exists()
    # The audit event of each account names its unit and cadre without loading them.
    event = AuditEvent.objects.get(action="account.create", after__username="d007")
    assert event.after["unit"] == "D007" and event.after["cadre"] == "C007"

    grants = [RoleGrant(a.username, "assessor", a.unit) for a in organisation.accounts]
    with django_assert_max_num_queries((AUDIT_QUERIES + 1) * 50 + 10):
        changed = roles_grant(actor=platform["secadmin"], county=county, grants=grants)
    assert len(changed) == 50
    event = AuditEvent.objects.filter(action="account.role").latest("seq")
    assert event.before == {"role": "", "unit": "D049"} and event.after["role"] == "assessor"


def test_the_county_page_lists_its_accounts_a_hundred_at_a_time_with_their_count(
    platform: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    sysadmin = _client(platform["sysadmin"])
    county = _new_county(sysadmin)
    organisation_import(actor=platform["sysadmin"], county=county, organisation=_departments(250))
    User.objects.filter(username="d000").update(password=platform["sysadmin"].password)
    url = reverse("onboarding:county", args=[county.pk])

    with django_assert_max_num_queries(20):  # as many for 250 accounts as for 2
        first = sysadmin.get(url)
    html = first.content.decode()
    assert [a.username for a in first.context["accounts"]][:2] == ["d000", "d001"]
    assert len(first.context["accounts"]) == 100
    assert "250个账号" in html and "249个账号尚无密码" in html
    assert "第1–100个账号，共250个" in html and 'href="?page=2"' in html
    assert "d099" in html and "d100" not in html

    last = sysadmin.get(url, {"page": 3}).content.decode()
    assert "第201–250个账号，共250个" in last and "d249" in last and "d199" not in last
    assert 'href="?page=2"' in last and 'data-testid="accounts-next"' not in last
    # A page past the end or not a number shows the last or the first page, not an error.
    assert "d249" in sysadmin.get(url, {"page": 99}).content.decode()
    assert "d000" in sysadmin.get(url, {"page": "x"}).content.decode()


def test_a_file_with_problems_fails_its_check_with_each_cell_and_offers_no_import(
    platform: dict[str, User],
) -> None:
    sysadmin = _client(platform["sysadmin"])
    county = _new_county(sysadmin)
    rows = shaped(townships=3, departments=3)
    rows["units"][1][3] = "T9"
    rows["accounts"][0][5] = "超级管理员"
    job = _upload(sysadmin, "onboarding:import_check", county, workbook(rows))
    assert job.status == "done" and "未写入任何数据" in job.outcome["summary"]
    assert job.outcome["problems"] == [
        "单位 Units!D3: 类别T9不存在。",
        "账号 Accounts!F2: 角色超级管理员不存在。",
    ]
    page = sysadmin.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "单位 Units!D3" in page and "job-confirm" not in page
    assert sysadmin.post(reverse("jobs:next", args=[job.pk])).status_code == 302
    assert BackgroundJob.objects.count() == 1  # no import was started
    assert not Unit.objects.filter(county=county).exists()


def test_the_import_checks_again_and_writes_nothing_when_the_county_changed_meanwhile(
    platform: dict[str, User],
) -> None:
    sysadmin = _client(platform["sysadmin"])
    county = _new_county(sysadmin)
    check = _upload(
        sysadmin, "onboarding:import_check", county, workbook(shaped(townships=2, departments=2))
    )
    UserFactory(username="t01")  # someone took a user name of the file in between
    imported = _confirm(sysadmin, check)
    assert imported.status == "failed"
    assert imported.outcome["problems"] == ["账号 Accounts!A3: 用户名t01已被占用。"]
    assert not Unit.objects.filter(county=county).exists()


def test_a_file_larger_than_5_mb_is_refused_before_it_is_stored(platform: dict[str, User]) -> None:
    sysadmin = _client(platform["sysadmin"])
    county = _new_county(sysadmin)
    response = sysadmin.post(
        reverse("onboarding:import_check", args=[county.pk]),
        {"file": SimpleUploadedFile("big.xlsx", b"x" * (5 * 1024 * 1024 + 10))},
        follow=True,
    )
    assert "至多接受 5 MB" in response.content.decode() or "5 MB" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_the_separation_of_powers_holds_at_the_platform_level(platform: dict[str, User]) -> None:
    sysadmin, secadmin = _client(platform["sysadmin"]), _client(platform["secadmin"])
    county = _new_county(sysadmin)
    content = workbook(shaped(townships=2, departments=2))
    upload = {"file": SimpleUploadedFile("f.xlsx", content)}
    assert (
        sysadmin.post(reverse("onboarding:roles_check", args=[county.pk]), upload).status_code
        == 403
    )
    upload = {"file": SimpleUploadedFile("f.xlsx", content)}
    assert (
        secadmin.post(reverse("onboarding:import_check", args=[county.pk]), upload).status_code
        == 403
    )
    assert secadmin.get(reverse("onboarding:county_new")).status_code == 403
    assert secadmin.post(reverse("onboarding:passwords", args=[county.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        organisation_import(actor=platform["secadmin"], county=county, organisation=Organisation())


def test_platform_administrators_see_the_counties_and_no_business_data(
    platform: dict[str, User], world: Any
) -> None:
    for role, user in platform.items():
        client = _client(user)
        assert client.get(reverse("dashboard:home"), follow=True).redirect_chain[-1][0] == reverse(
            "onboarding:counties"
        )
        page = client.get(reverse("onboarding:counties")).content.decode()
        assert world.county.name in page and "县区管理" in page
        assert client.get(reverse("onboarding:county", args=[world.county.pk])).status_code == 200
        assert client.get(reverse("onboarding:template")).status_code == 200
        for name in ("dashboard:battlemap", "schemes:current", "audit:log", "org:account_create"):
            assert client.get(reverse(name)).status_code == 403, (role, name)
    assert _client(platform["sysadmin"]).get(reverse("onboarding:county_new")).status_code == 200


@pytest.mark.parametrize("role", ["office", "sysadmin", "secadmin", "auditadmin", "unit"])
def test_no_county_account_may_open_the_counties_pages(world: Any, role: str) -> None:
    """Platform administrators are not a Role of a county; the route table walks the county
    roles (all refused), this walks the platform's."""
    client = _client(world.user(role))
    for name, args in (
        ("onboarding:counties", []),
        ("onboarding:county", [world.county.pk]),
        ("onboarding:template", []),
        ("onboarding:county_new", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert "县区管理" not in client.get(reverse("org:inbox")).content.decode()


def test_initial_passwords_are_shown_once_stored_hashed_and_changed_at_first_login(
    platform: dict[str, User],
) -> None:
    sysadmin = _client(platform["sysadmin"])
    county = _new_county(sysadmin)
    _confirm(
        sysadmin,
        _upload(
            sysadmin,
            "onboarding:import_check",
            county,
            workbook(shaped(townships=2, departments=2)),
        ),
    )
    response = sysadmin.post(reverse("onboarding:passwords", args=[county.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = response.context["issued"]
    assert len(rows) == 9
    office, password = next((u, p) for u, p in rows if u.username == "office")
    assert password not in User.objects.get(pk=office.pk).password
    issued = AuditEvent.objects.filter(action="password.issue", chain=county.code)
    assert issued.count() == 9 and not any(password in str(e.after) for e in issued)
    again = sysadmin.post(reverse("onboarding:passwords", args=[county.pk]), follow=True)
    assert "均已有密码" in again.content.decode()  # a second press reveals nothing

    login = Client().post(reverse("org:login"), {"username": "office", "password": password})
    assert login.status_code == 302 and login.url == reverse("org:password")
    client = Client()
    client.post(reverse("org:login"), {"username": "office", "password": password})
    client.post(
        reverse("org:password"),
        {"old_password": password, "new_password": PASSWORD, "new_password2": PASSWORD},
    )
    assert not User.objects.get(pk=office.pk).must_change_password


def test_a_county_code_already_hosted_is_refused_and_a_peer_becomes_hosted(
    platform: dict[str, User], world: Any
) -> None:
    peer = County.objects.create(
        code="433101",
        name="吉首市",
        prefecture="湘西州",
        prefecture_code="433100",
        province="湖南省",
        is_hosted=False,
    )
    args = {"name": "x", "prefecture": "p", "prefecture_code": "1", "province": "q"}
    with pytest.raises(Exception) as caught:
        county_create(actor=platform["sysadmin"], code=world.county.code, **args)
    assert "code" in caught.value.message_dict  # type: ignore[attr-defined]
    hosted = county_create(actor=platform["sysadmin"], code="433101", **args)
    assert hosted.pk == peer.pk and hosted.is_hosted


def test_a_demo_peer_county_is_not_taken_over_by_a_real_one(
    platform: dict[str, User], world: Any
) -> None:
    County.objects.create(
        code="433122",
        name="泸溪县",
        prefecture="湘西州",
        prefecture_code="433100",
        province="湖南省",
        is_hosted=False,
        is_demo=True,
    )
    args = {
        "name": "泸溪县",
        "prefecture": "湘西州",
        "prefecture_code": "433100",
        "province": "湖南省",
    }
    with pytest.raises(ValidationError) as caught:
        county_create(actor=platform["sysadmin"], code="433122", **args)
    assert "code" in caught.value.message_dict
    assert not County.objects.get(code="433122").is_hosted


def test_the_operator_command_creates_a_platform_administrator_with_a_one_time_password(
    capsys: Any,
) -> None:
    call_command("platform_admin", "create", "--role", "secadmin", "--username", "prov-sec")
    out = capsys.readouterr().out
    user = User.objects.get(username="prov-sec")
    password = out.strip().rsplit(" ", 1)[-1]
    assert user.county is None and user.role == "secadmin" and user.must_change_password
    assert user.check_password(password)
    assert AuditEvent.objects.filter(action="platform_admin.create").exists()


# Who of the platform may open each counties page, and the status they get (the route table
# of tests/test_access_routes.py walks the county roles, which are all refused).
PLATFORM_ROUTES = {
    "onboarding:counties": ({"sysadmin", "secadmin"}, 200),
    "onboarding:county": ({"sysadmin", "secadmin"}, 200),
    "onboarding:template": ({"sysadmin", "secadmin"}, 200),
    "onboarding:county_new": ({"sysadmin"}, 200),
    "onboarding:import_check": ({"sysadmin"}, 302),  # no file: back to the county page
    "onboarding:roles_check": ({"secadmin"}, 302),
    "onboarding:passwords": ({"sysadmin"}, 302),  # every account has one: back to the county
}


def test_the_platform_table_names_every_counties_route() -> None:
    from tests.exchange.onboarding_routes import ROUTES

    assert set(PLATFORM_ROUTES) == set(ROUTES)


@pytest.mark.parametrize("name", sorted(PLATFORM_ROUTES))
def test_each_platform_administrator_gets_what_the_platform_table_says(
    platform: dict[str, User], world: Any, name: str
) -> None:
    from tests.exchange.onboarding_routes import ROUTES

    args_of, method, _county_roles, _status = ROUTES[name]
    allowed, status = PLATFORM_ROUTES[name]
    url = reverse(name, args=args_of(world))
    for role, user in platform.items():
        client = _client(user)
        got = (client.post(url) if method == "post" else client.get(url)).status_code
        assert got == (status if role in allowed else 403), (name, role, got)
    disabled = UserFactory(username="platform-off", county=None, role="sysadmin", is_active=False)
    client = _client(disabled)
    refused = client.post(url) if method == "post" else client.get(url)
    assert refused.status_code == 302 and refused.url.startswith(reverse("org:login"))


def test_the_demo_has_a_platform_system_and_security_administrator() -> None:
    from kaohe.demo.platform_demo import demo_platform

    rows = demo_platform(password=PASSWORD)
    assert [r[0] for r in rows] == ["platform-sys", "platform-sec"]
    for username, role in (("platform-sys", "sysadmin"), ("platform-sec", "secadmin")):
        user = User.objects.get(username=username)
        assert user.county is None and user.role == role and not user.must_change_password
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        assert client.get(reverse("onboarding:counties")).status_code == 200
    assert demo_platform(password=PASSWORD) == rows  # building twice creates nothing twice
