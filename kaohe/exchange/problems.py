"""Problems found in a scheme file: a location, a code and parameters, told in both languages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.exchange.workbook import FILE_MESSAGES, FileProblem, FileProblems

MESSAGES = {
    **FILE_MESSAGES,
    "not_json": _("The file is not valid JSON: %(detail)s"),
    "wrong_format": _('This is not a Kaohe scheme file (expected "format": "kaohe-scheme").'),
    "wrong_version": _("Scheme file version %(found)s is not supported (expected %(expected)s)."),
    "missing": _("%(field)s is missing."),
    "wrong_type": _("%(field)s must be %(expected)s."),
    "bad_choice": _("%(field)s must be one of: %(choices)s."),
    "too_long": _("%(field)s is longer than %(limit)s characters."),
    "control_chars": _("%(field)s contains control characters."),
    "duplicate": _("Code %(code)s appears more than once."),
    "unknown_parent": _("Parent %(parent)s of %(code)s does not exist."),
    "cycle": _("Indicator %(code)s is its own ancestor (a cycle in the tree)."),
    "leaf_without_points": _("Leaf indicator %(code)s has no points for any category."),
    "points_on_branch": _("Indicator %(code)s has sub-indicators, so it cannot carry points."),
    "unknown_category": _("Points are given for an unknown category %(category)s."),
    "negative_points": _("Points of %(code)s for %(category)s are negative."),
    "totals": _(
        "The leaves of category %(category)s add up to %(sum)s points, not its total %(total)s."
    ),
    "bad_method": _("Scoring method of %(code)s: %(detail)s"),
    "bad_appraisal": _("Rules of the %(kind)s rounds: %(detail)s"),
    "bad_formula": _("Formula of %(code)s: %(detail)s"),
    "unknown_data_item": _("Formula of %(code)s names unknown data items: %(items)s."),
    "unknown_source": _("Indicator %(code)s implements unknown higher-level indicator %(source)s."),
    "bad_header": _("Sheet %(sheet)s: column %(column)s should be headed %(expected)s."),
    "missing_sheet": _("The workbook has no sheet %(sheet)s."),
    "excel_formula": _("Cells may not contain Excel formulas; type the value instead."),
    "too_many_rows": _("Sheet %(sheet)s has more than %(limit)s rows."),
    "unknown_unit": _("Assessing department %(unit)s of %(code)s is not a unit of this county."),
    "unknown_leader": _("Leader %(leader)s of %(code)s is not a cadre of this county."),
    "exists": _("The county already has a scheme for %(year)s."),
    "no_indicators": _("The scheme has no indicators."),
}


class Problem(FileProblem):
    """A problem of a scheme file: where (a cell, a JSON path, the file), a code, parameters."""

    messages = MESSAGES

    def line(self) -> str:
        """One line for the command line and logs: location, then Chinese, then English."""
        return f"{self.location}: {self.message('zh-hans')} / {self.message('en')}"


class SchemeFileError(FileProblems):
    """A scheme file that cannot be imported; ``problems`` lists every reason at once."""

    problems: list[Problem]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, f"{len(problems)} problem(s) in the scheme file")
