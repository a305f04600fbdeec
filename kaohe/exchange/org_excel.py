"""The organisation template: a county's categories, units, cadres and accounts in one workbook.

Sheets (headers in Chinese and English; a header cell may also hold just one of the two):
说明 Instructions, 类别 Categories, 单位 Units, 干部 Cadres, 账号 Accounts (docs/onboarding.md).
Reading checks every cell and every reference at once and names each problem by its cell
(``单位 Units!D7``), so a clerk fixes the whole file in one pass. Cells are read as values: a
cell holding an Excel formula is refused, never evaluated.

The same file serves both platform administrators: the system administrator's import reads all
sheets and creates everything without roles; the security administrator's grant reads the role
column of the Accounts sheet (``roles_from_xlsx``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.utils import get_column_letter

from kaohe.exchange.workbook import (
    FILE_MESSAGES,
    FileProblem,
    FileProblems,
    WorkbookRefused,
    cell_ref,
    header,
    is_formula,
    open_xlsx,
)
from kaohe.org.access import ROLES_NEEDING_UNIT
from kaohe.org.models import Cadre, Category, County, Role, Unit, UnitKind, User
from kaohe.org.onboarding import (
    AccountRow,
    CadreRow,
    CategoryRow,
    Organisation,
    RoleGrant,
    UnitRow,
    parent_cycles,
)

MAX_ROWS = 5000
INSTRUCTIONS = "说明 Instructions"
# key -> (sheet title, [(field, Chinese header, max length or None)])
SHEETS: dict[str, tuple[str, list[tuple[str, str, int | None]]]] = {
    "categories": (
        "类别 Categories",
        [("code", "编码", 16), ("name", "名称", 64), ("kind", "类型", None)],
    ),
    "units": (
        "单位 Units",
        [
            ("code", "编码", 16),
            ("name", "名称", 64),
            ("kind", "类型", None),
            ("category", "类别编码", 16),
            ("parent", "上级单位编码", 16),
            ("assessed", "被考核", None),
            ("assessing", "考核责任部门", None),
            ("supervision", "督查机构", None),
        ],
    ),
    "cadres": (
        "干部 Cadres",
        [
            ("code", "编码", 16),
            ("name", "姓名", 32),
            ("unit", "所在单位编码", 16),
            ("post", "职务", 64),
            ("rank", "职级", 32),
            ("county_leader", "县领导", None),
            ("portfolio", "分管工作", 200),
        ],
    ),
    "accounts": (
        "账号 Accounts",
        [
            ("username", "用户名", 150),
            ("display_name", "显示名称", 64),
            ("email", "电子邮箱", 254),
            ("unit", "单位编码", 16),
            ("cadre", "干部编码", 16),
            ("role", "角色", None),
        ],
    ),
}
REQUIRED = {
    "categories": {"code", "name", "kind"},
    "units": {"code", "name", "kind"},
    "cadres": {"code", "name", "post", "rank"},
    "accounts": {"username"},
}
FLAGS = {"assessed": True, "assessing": False, "supervision": False, "county_leader": False}
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", "✗"}
KINDS = {
    "township": UnitKind.TOWNSHIP,
    "乡镇": UnitKind.TOWNSHIP,
    "department": UnitKind.DEPARTMENT,
    "县直单位": UnitKind.DEPARTMENT,
    "县直部门": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
}
USERNAME = re.compile(r"^[\w.@+-]+\Z")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MESSAGES = {
    **FILE_MESSAGES,
    "missing_sheet": gettext_lazy("The workbook has no sheet %(sheet)s."),
    "bad_header": gettext_lazy("Column %(column)s should be headed %(expected)s."),
    "too_many_rows": gettext_lazy("Sheet %(sheet)s has more than %(limit)s rows."),
    "excel_formula": gettext_lazy("Cells may not contain Excel formulas; type the value instead."),
    "missing": gettext_lazy("%(field)s is missing."),
    "wrong_type": gettext_lazy("%(field)s must be text, not %(found)s."),
    "too_long": gettext_lazy("%(field)s is longer than %(limit)s characters."),
    "control_chars": gettext_lazy("%(field)s contains control characters."),
    "bad_kind": gettext_lazy(
        "Kind %(value)s is neither 乡镇 (township) nor 县直单位 (department)."
    ),
    "bad_flag": gettext_lazy("%(field)s must be 是 or 否 (yes or no), not %(value)s."),
    "duplicate": gettext_lazy("Code %(code)s appears more than once (first in row %(row)s)."),
    "exists": gettext_lazy("Code %(code)s already exists in this county."),
    "unknown_category": gettext_lazy("Unknown category %(code)s."),
    "category_kind": gettext_lazy(
        "Category %(code)s is for %(expected)s, but this unit is a %(found)s."
    ),
    "needs_category": gettext_lazy("An assessed unit needs a category."),
    "unknown_unit": gettext_lazy("Unknown unit %(code)s."),
    "self_parent": gettext_lazy("A unit cannot be its own parent."),
    "cycle": gettext_lazy("Unit %(code)s is its own ancestor (a cycle of parent units)."),
    "unknown_cadre": gettext_lazy("Unknown cadre %(code)s."),
    "bad_username": gettext_lazy(
        "User name %(value)s may hold only letters, digits and the characters @ . + - _."
    ),
    "duplicate_username": gettext_lazy(
        "User name %(value)s appears more than once (first in row %(row)s)."
    ),
    "taken": gettext_lazy("User name %(value)s is taken."),
    "bad_email": gettext_lazy("%(value)s is not a valid e-mail address."),
    "unknown_role": gettext_lazy("Unknown role %(value)s."),
    "role_needs_unit": gettext_lazy("The role %(role)s needs a unit code."),
    "nothing": gettext_lazy("The workbook lists no categories, units, cadres or accounts."),
    "not_an_account": gettext_lazy("%(value)s is not an account of this county."),
    "no_roles": gettext_lazy("The Accounts sheet lists no role to grant."),
}


class CellProblem(FileProblem):
    """A problem of the organisation file, at a cell (单位 Units!D7), a sheet or the file."""

    messages = MESSAGES


class OrgFileError(FileProblems):
    """An organisation file that cannot be imported; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__(problems, f"{len(problems)} problem(s) in the organisation file")


def _role_names() -> dict[str, str]:
    """Role by its code, its English label and its Chinese label (a clerk types either)."""
    names = {}
    for value, label in Role.choices:
        names[value.lower()] = value
        with translation.override("en"):
            names[str(label).lower()] = value
        with translation.override("zh-hans"):
            names[str(label)] = value
    return names


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Cell:
    """One cell's text (stripped; empty for a blank cell) and where it is."""

    text: str
    where: str


Row = dict[str, Cell]


class _Reader:
    def __init__(self, content: bytes) -> None:
        self.problems: list[CellProblem] = []
        self.content = content

    def add(self, where: str, problem: str, /, **params: Any) -> None:
        self.problems.append(CellProblem(where, problem, params))

    def open(self) -> Any:
        try:
            return open_xlsx(self.content)
        except WorkbookRefused as exc:
            raise OrgFileError([CellProblem(_("file"), exc.code, exc.params)]) from None

    def _text(self, value: Any, where: str, label: str, limit: int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, dt.date | dt.datetime | dt.time):
            self.add(where, "wrong_type", field=label, found=_("a date"))
            return ""
        text = str(value).strip()
        if is_formula(text):
            self.add(where, "excel_formula")
            return ""
        if CONTROL.search(text):
            self.add(where, "control_chars", field=label)
            return ""
        if limit is not None and len(text) > limit:
            self.add(where, "too_long", field=label, limit=limit)
        return text

    def sheet(self, book: Any, key: str) -> list[tuple[int, Row]] | None:
        """The sheet's non-blank rows (row number, cells by field), or None when unreadable."""
        title, columns = SHEETS[key]
        if title not in book.sheetnames:
            self.add(title, "missing_sheet", sheet=title)
            return None
        rows = list(book[title].iter_rows(max_row=MAX_ROWS + 2, values_only=True))
        if len(rows) > MAX_ROWS + 1:
            self.add(title, "too_many_rows", sheet=title, limit=MAX_ROWS)
            return None
        heads = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
        good = True
        for c, (fld, zh, _limit) in enumerate(columns):
            found = heads[c] if c < len(heads) else ""
            if found not in {header(zh, fld), fld, zh}:
                letter = get_column_letter(c + 1)
                self.add(
                    cell_ref(title, c + 1, 1), "bad_header", column=letter, expected=header(zh, fld)
                )
                good = False
        if not good:
            return None
        out = []
        for r, values in enumerate(rows[1:], start=2):
            if not values or all(v is None or str(v).strip() == "" for v in values):
                continue
            row: Row = {}
            for c, (fld, zh, limit) in enumerate(columns):
                where = cell_ref(title, c + 1, r)
                value = values[c] if c < len(values) else None
                row[fld] = Cell(self._text(value, where, header(zh, fld), limit), where)
                blank = value is None or (isinstance(value, str) and not value.strip())
                if fld in REQUIRED[key] and blank:
                    self.add(where, "missing", field=header(zh, fld))
            out.append((r, row))
        return out

    def flag(self, cell: Cell, fld: str, zh: str) -> bool:
        text = cell.text.lower()
        if not text:
            return FLAGS[fld]
        if text in YES:
            return True
        if text in NO:
            return False
        self.add(cell.where, "bad_flag", field=header(zh, fld), value=cell.text)
        return FLAGS[fld]

    def kind(self, cell: Cell) -> str:
        if not cell.text:
            return ""
        kind = KINDS.get(cell.text.lower()) or KINDS.get(cell.text)
        if kind is None:
            self.add(cell.where, "bad_kind", value=cell.text)
            return ""
        return str(kind)

    def unique(self, rows: list[tuple[int, Row]], fld: str, code: str) -> None:
        first: dict[str, int] = {}
        for r, row in rows:
            value = row[fld].text
            if value and value in first:
                params = {"code": value} if code == "duplicate" else {"value": value}
                self.add(row[fld].where, code, row=first[value], **params)
            first.setdefault(value, r)


def _kind_label(kind: str) -> str:
    return str(UnitKind(kind).label) if kind in UnitKind.values else kind


# --- the system administrator's import ---------------------------------------------------------


def organisation_from_xlsx(content: bytes, *, county: County) -> Organisation:
    """Read and check a filled template for `county`: the Organisation, or OrgFileError.

    References may point at rows of the file or at what the county already holds, so a second
    file can add units to a county imported before; a code that exists already is refused.
    """
    reader = _Reader(content)
    book = reader.open()
    sheets = {key: reader.sheet(book, key) for key in ("categories", "units", "cadres", "accounts")}
    book.close()
    cats_rows = sheets["categories"] or []
    unit_rows = sheets["units"] or []
    cadre_rows = sheets["cadres"] or []
    account_rows = sheets["accounts"] or []
    for rows, fld, code in (
        (cats_rows, "code", "duplicate"),
        (unit_rows, "code", "duplicate"),
        (cadre_rows, "code", "duplicate"),
        (account_rows, "username", "duplicate_username"),
    ):
        reader.unique(rows, fld, code)

    existing_cats = {c.code: str(c.kind) for c in Category.objects.filter(county=county)}
    existing_units = set(Unit.objects.filter(county=county).values_list("code", flat=True))
    existing_cadres = set(Cadre.objects.filter(county=county).values_list("code", flat=True))

    categories = []
    kind_of_category = dict(existing_cats)
    for _r, row in cats_rows:
        if row["code"].text in existing_cats:
            reader.add(row["code"].where, "exists", code=row["code"].text)
        kind = reader.kind(row["kind"])
        kind_of_category.setdefault(row["code"].text, kind)
        categories.append(CategoryRow(row["code"].text, row["name"].text, kind))

    unit_codes = existing_units | {row["code"].text for _r, row in unit_rows}
    units = []
    for _r, row in unit_rows:
        code, cat, parent = row["code"].text, row["category"].text, row["parent"].text
        if code in existing_units:
            reader.add(row["code"].where, "exists", code=code)
        kind = reader.kind(row["kind"])
        flags = {f: reader.flag(row[f], f, zh) for f, zh in _flag_columns("units")}
        if cat and cat not in kind_of_category:
            reader.add(row["category"].where, "unknown_category", code=cat)
        elif cat and kind and kind_of_category[cat] and kind_of_category[cat] != kind:
            reader.add(
                row["category"].where,
                "category_kind",
                code=cat,
                expected=_kind_label(kind_of_category[cat]),
                found=_kind_label(kind),
            )
        elif not cat and flags["assessed"]:
            reader.add(row["category"].where, "needs_category")
        if parent and parent == code:
            reader.add(row["parent"].where, "self_parent")
        elif parent and parent not in unit_codes:
            reader.add(row["parent"].where, "unknown_unit", code=parent)
        units.append(UnitRow(code, row["name"].text, kind, cat or None, parent or None, **flags))
    _cycles(reader, unit_rows)

    cadre_codes = existing_cadres | {row["code"].text for _r, row in cadre_rows}
    cadres = []
    for _r, row in cadre_rows:
        code, unit = row["code"].text, row["unit"].text
        if code in existing_cadres:
            reader.add(row["code"].where, "exists", code=code)
        if unit and unit not in unit_codes:
            reader.add(row["unit"].where, "unknown_unit", code=unit)
        leader = reader.flag(row["county_leader"], "county_leader", "县领导")
        cadres.append(
            CadreRow(
                code,
                row["name"].text,
                unit or None,
                row["post"].text,
                row["rank"].text,
                leader,
                row["portfolio"].text,
            )
        )

    names = [row["username"].text for _r, row in account_rows]
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    roles = _role_names()
    accounts = []
    for _r, row in account_rows:
        username = row["username"].text
        if username and not USERNAME.match(username):
            reader.add(row["username"].where, "bad_username", value=username)
        elif username in taken:
            reader.add(row["username"].where, "taken", value=username)
        email = row["email"].text
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reader.add(row["email"].where, "bad_email", value=email)
        unit, cadre = row["unit"].text, row["cadre"].text
        if unit and unit not in unit_codes:
            reader.add(row["unit"].where, "unknown_unit", code=unit)
        if cadre and cadre not in cadre_codes:
            reader.add(row["cadre"].where, "unknown_cadre", code=cadre)
        role = _role(reader, row, roles)
        if role in ROLES_NEEDING_UNIT and not unit:
            reader.add(row["unit"].where, "role_needs_unit", role=Role(role).label)
        accounts.append(
            AccountRow(
                username,
                row["display_name"].text or username,
                email,
                unit or None,
                cadre or None,
                role,
            )
        )
    organisation = Organisation(tuple(categories), tuple(units), tuple(cadres), tuple(accounts))
    if not reader.problems and not any(
        (organisation.categories, organisation.units, organisation.cadres, organisation.accounts)
    ):
        reader.add(_("file"), "nothing")
    if reader.problems:
        raise OrgFileError(reader.problems)
    return organisation


def _flag_columns(key: str) -> list[tuple[str, str]]:
    return [(f, zh) for f, zh, _limit in SHEETS[key][1] if f in FLAGS]


def _role(reader: _Reader, row: Row, roles: dict[str, str]) -> str:
    text = row["role"].text
    if not text:
        return ""
    role = roles.get(text.lower()) or roles.get(text)
    if role is None:
        reader.add(row["role"].where, "unknown_role", value=text)
        return ""
    return role


def _cycles(reader: _Reader, rows: list[tuple[int, Row]]) -> None:
    parent_of = {
        row["code"].text: row["parent"].text
        for _r, row in rows
        if row["parent"].text and row["parent"].text != row["code"].text
    }
    where = {row["code"].text: row["parent"].where for _r, row in rows}
    for cycle in parent_cycles(parent_of):
        reader.add(where[cycle[0]], "cycle", code=cycle[0])


def organisation_preview(org: Organisation) -> list[list[str]]:
    """The preview table of a checked file: one row per category, unit, cadre and account."""
    yes, no = _("yes"), _("no")
    table = [[_("Sheet"), _("Code"), pgettext("organisation row", "Name"), _("Details")]]
    for c in org.categories:
        table.append([_("Category"), c.code, c.name, _kind_label(c.kind)])
    for u in org.units:
        parts = [_kind_label(u.kind)]
        if u.category:
            parts.append(_("category %(code)s") % {"code": u.category})
        if u.parent:
            parts.append(_("under %(code)s") % {"code": u.parent})
        parts.append(_("assessed: %(v)s") % {"v": yes if u.assessed else no})
        if u.assessing:
            parts.append(_("assessing department"))
        if u.supervision:
            parts.append(_("supervision office"))
        table.append([_("Unit"), u.code, u.name, " · ".join(parts)])
    for d in org.cadres:
        details = " · ".join(p for p in (d.unit or "", d.post, d.rank, d.portfolio) if p)
        table.append([_("Cadre"), d.code, d.name, details])
    for a in org.accounts:
        role = str(Role(a.role).label) if a.role else "—"
        details = " · ".join(
            p
            for p in (a.email, a.unit or "", a.cadre or "", _("role to grant: %(r)s") % {"r": role})
            if p
        )
        table.append([_("Account"), a.username, a.display_name, details])
    return table


# --- the security administrator's grant --------------------------------------------------------


def roles_from_xlsx(content: bytes, *, county: County) -> list[RoleGrant]:
    """Read the Accounts sheet's roles for accounts of `county`: the grants, or OrgFileError.

    Only the Accounts sheet is read (the other sheets were the system administrator's); a row
    with no role grants nothing.
    """
    reader = _Reader(content)
    book = reader.open()
    rows = reader.sheet(book, "accounts")
    book.close()
    if rows is None:
        raise OrgFileError(reader.problems)
    reader.unique(rows, "username", "duplicate_username")
    accounts = set(
        User.objects.filter(
            county=county, username__in=[row["username"].text for _r, row in rows]
        ).values_list("username", flat=True)
    )
    units = set(Unit.objects.filter(county=county).values_list("code", flat=True))
    roles = _role_names()
    grants = []
    for _r, row in rows:
        role = _role(reader, row, roles)
        if not row["role"].text:
            continue
        username, unit = row["username"].text, row["unit"].text
        if username not in accounts:
            reader.add(row["username"].where, "not_an_account", value=username)
        if unit and unit not in units:
            reader.add(row["unit"].where, "unknown_unit", code=unit)
        if role in ROLES_NEEDING_UNIT and not unit:
            reader.add(row["unit"].where, "role_needs_unit", role=Role(role).label)
        grants.append(RoleGrant(username, role, unit or None))
    if not reader.problems and not grants:
        reader.add(SHEETS["accounts"][0], "no_roles")
    if reader.problems:
        raise OrgFileError(reader.problems)
    return grants


def roles_preview(grants: list[RoleGrant], *, county: County) -> list[list[str]]:
    """The grants beside each account's present role and unit."""
    users = {
        u.username: u
        for u in User.objects.filter(
            county=county, username__in=[g.username for g in grants]
        ).select_related("unit")
    }
    table = [[_("User name"), _("Display name"), _("Current role"), _("Role to grant"), _("Unit")]]
    for g in grants:
        user = users[g.username]
        table.append(
            [
                g.username,
                user.display_name,
                user.get_role_display() or "—",
                str(Role(g.role).label),
                g.unit or "—",
            ]
        )
    return table
