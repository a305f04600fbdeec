"""Explanations and names in the reader's language, translated when a page is drawn.

The scoring core (kaohe.scoring) never imports Django, so the arithmetic lines it writes are
English phrases around numbers and symbols ("value 0 ≤ 0, lower is better → ratio = cap; 10 ×
1.0 = 10 × 1 = 10.00"). They are stored as they are (a round's results and a warning's
explanation are frozen and hashed) and translated only for display: ``explain`` replaces every
phrase of PHRASES with its translation through gettext, the numbers, symbols and data (grade
codes, group names, reasons typed by a person) passed through untouched. The English interface
gets the English phrases back, since an English msgstr is its msgid.

A phrase is written once, as its English msgid with ``%(name)s`` slots; its pattern is built from
it (literal text escaped, each slot a number unless SLOTS says otherwise), so the catalogue and
the patterns cannot drift apart. The phrases are tried longest first at each position, in one
pass over the text, so "no value reported" wins over "no value" and nothing is translated twice.
tests/documents/test_explain_text.py runs every scoring method, warning and forecast and fails
if a word of English is left in the Chinese: a new phrase in kaohe.scoring must be added here.

``localized_name`` (the ``name`` filter) gives an indicator's, data item's or category's name in
the reader's language: ``name_en`` in English when there is one, ``name`` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop

#: A number as kaohe.scoring.explain.format_number writes it, or a percentage of one.
NUMBER = r"[-−]?(?:\d+(?:\.\d+)?|∞)%?|NaN"
#: A code written by a scheme or a person (a grade, an evaluator group): up to a separator.
CODE = r"[^\s;:,()（）；，：→]+"
#: The units a quota was filled by, as kaohe.scoring.grading lists them (translated in turn).
WHO = r"(?:unit \d+ \([^()]*\)(?:, )?)+(?:and \d+ more)?|no unit"

#: Slots that are not numbers: their pattern, by slot name.
SLOTS: Mapping[str, str] = {
    "sign": r"[≥≤<]",
    "grade": CODE,
    "limit": CODE,
    "code": r"\S*",
    "reason": r".*",
    "problem": r".*",
    "who": WHO,
    "units": r"\d+(?:, \d+)*",
    "gap_text": r"\([^()]*\)(?: / [-−]?\d+(?:\.\d+)?)?",
    "difference": r"T − F|F − T",
    "groups": r"\[[\d\[\], ]*\]",
}
#: Slots whose text is itself an explanation, translated in turn.
NESTED = frozenset({"who", "problem"})

# Every phrase kaohe.scoring (and the lead's cannot-score reasons) can write, as its msgid.
# gettext_noop marks them for makemessages; ``explain`` looks them up with gettext.
PHRASES: tuple[str, ...] = (
    # Missing data and cells that cannot be scored (methods, rounds, kaohe.scoring.state).
    gettext_noop("no value reported"),
    gettext_noop("no value"),
    gettext_noop("no target set"),
    gettext_noop("no target"),
    gettext_noop("not scored: %(problem)s"),
    # Why a valid method could not score a category's data (the problem of "not scored").
    gettext_noop("stepped completion needs positive targets"),
    gettext_noop("a relative shortfall needs positive targets"),
    gettext_noop("targets must not be negative for a completion ratio"),
    gettext_noop("proportional-to-best needs values that are not negative"),
    gettext_noop("proportional-to-best needs positive values when lower is better"),
    gettext_noop("counts must be non-negative numbers"),
    gettext_noop("tied values are not allowed: units %(groups)s"),
    gettext_noop("not ranked"),
    gettext_noop("no votes"),
    gettext_noop("no quarterly result"),
    gettext_noop("no higher result"),
    gettext_noop("no rating groups"),
    # Completion ratio (kaohe.scoring.methods).
    gettext_noop("target 0, nothing due → ratio 1"),
    gettext_noop("value %(value)s ≤ 0, lower is better → ratio = cap"),
    gettext_noop("%(value)s %(sign)s %(target)s? yes"),
    gettext_noop("%(value)s %(sign)s %(target)s? no"),
    gettext_noop("%(factor)s (floor)"),
    gettext_noop("%(factor)s (cap)"),
    # Stepped completion (kaohe.scoring.stepped).
    gettext_noop("value %(value)s ≤ 0, lower is better"),
    gettext_noop("within [%(low)s, %(high)s]"),
    # Efficacy coefficients (kaohe.scoring.efficacy).
    gettext_noop("bounded to [%(low)s, %(high)s]"),
    gettext_noop("%(value)s at or beyond A"),
    gettext_noop("%(value)s beyond E"),
    # Rank points, proportional to the best (kaohe.scoring.relative).
    gettext_noop("%(value)s ranks %(rank)s of %(ranked)s"),
    gettext_noop("table[%(rank)s]"),
    gettext_noop("beyond the table"),
    gettext_noop("last place"),
    gettext_noop("at least %(floor)s"),
    gettext_noop("at most %(limit)s"),
    gettext_noop("the best value is 0: nothing to compare with"),
    # Deductions, bonuses, events, checklists (kaohe.scoring.tallies).
    gettext_noop("within ±%(cap)s"),
    gettext_noop("shortfall %(gap_text)s / %(unit)s = %(count)s units"),
    gettext_noop("rank %(rank)s of %(ranked)s"),
    # Composite index (kaohe.scoring.index).
    gettext_noop("a value is missing (or not above 0 where lower is better)"),
    # Evaluators' ratings (kaohe.scoring.rating).
    gettext_noop("1 vote"),
    gettext_noop("%(count)s votes"),
    # Vetoes (kaohe.scoring.veto).
    gettext_noop("no veto"),
    gettext_noop("event %(number)s"),
    # Grades with quotas and vetoes (kaohe.scoring.grading).
    gettext_noop("score %(score)s ≥ %(minimum)s qualifies %(grade)s"),
    gettext_noop("score %(score)s < %(minimum)s qualifies %(grade)s"),
    gettext_noop("veto caps it at %(grade)s"),
    gettext_noop("veto (at most %(grade)s) does not lower it"),
    gettext_noop(
        "%(grade)s quota %(quota)s: units tied at %(score)s on its boundary fall together "
        "(admitted: %(who)s)"
    ),
    gettext_noop("%(grade)s quota %(quota)s filled by %(who)s"),
    gettext_noop("unit %(number)s (%(score)s)"),
    gettext_noop("and %(count)s more"),
    gettext_noop("no unit"),
    # Ranks within a category (kaohe.scoring.standings).
    gettext_noop("no score → rank %(rank)s, after the %(scored)s units with a score"),
    gettext_noop("%(ahead)s ahead"),
    gettext_noop("tied with units %(units)s"),
    gettext_noop("tied with unit %(number)s"),
    # Warnings by schedule and by rank (kaohe.scoring.warnings, kaohe.scoring.rank_warnings).
    gettext_noop("completion: target 0, nothing due = %(percent)s"),
    gettext_noop("completion: value %(value)s ≤ 0, lower is better = %(percent)s"),
    gettext_noop("completion min(%(target)s / %(value)s, %(maximum)s) = %(percent)s"),
    gettext_noop("completion %(value)s / %(target)s = %(percent)s"),
    gettext_noop("schedule %(percent)s"),
    gettext_noop("gap %(gap)s pt"),
    gettext_noop("in (%(low)s, %(high)s]"),
    gettext_noop("the last %(red)s red, %(orange)s orange or worse, %(yellow)s yellow or worse"),
    gettext_noop("green"),
    gettext_noop("yellow"),
    gettext_noop("orange"),
    gettext_noop("red"),
    # Year-end forecasts (kaohe.scoring.forecast).
    gettext_noop("nothing expected by the end of month %(month)s: no forecast"),
    gettext_noop("value %(value)s at the end of month %(month)s"),
    gettext_noop("expected share %(share)s (history, %(years)s years)"),
    gettext_noop("expected share %(share)s (time schedule)"),
    gettext_noop("ratio %(value)s / %(share)s = %(ratio)s"),
    gettext_noop("pace (%(value)s − %(before)s) / (%(share)s − %(share_before)s) → %(trend)s"),
    gettext_noop("forecast %(weight)s × %(ratio)s + %(trend_weight)s × %(trend)s = %(forecast)s"),
    gettext_noop("target 0, nothing due: P(miss) = %(probability)s"),
    gettext_noop("P(miss) = Φ((%(difference)s) / σ) with T = %(target)s = %(probability)s"),
    gettext_noop("red from month %(month)s"),
    gettext_noop("stays out of red"),
    # Adjustments of a round, as kaohe.scoring.rounds lists them: the reason is a person's.
    gettext_noop("bonus %(code)s: %(reason)s"),
    gettext_noop("deduction %(code)s: %(reason)s"),
    gettext_noop("veto %(code)s: %(reason)s"),
)

#: The methods an explanation can name (Explanation.method), for a page to name them.
METHOD_NAMES: Mapping[str, str] = {
    "completion_ratio": gettext_noop("Completion ratio"),
    "stepped_completion": gettext_noop("Stepped completion"),
    "efficacy_coefficient": gettext_noop("Efficacy coefficient"),
    "efficacy_five_standards": gettext_noop("Efficacy coefficient, five standard values"),
    "rank_points": gettext_noop("Rank points"),
    "proportional_to_best": gettext_noop("Proportional to the best"),
    "deduction": gettext_noop("Deduction per event"),
    "shortfall_deduction": gettext_noop("Deduction per unit of shortfall"),
    "per_event_points": gettext_noop("Points per event"),
    "composite_index": gettext_noop("Composite index"),
    "bonus": gettext_noop("Bonus"),
    "rank_bonus": gettext_noop("Bonus by rank"),
    "checklist": gettext_noop("Checklist"),
    "evaluator_rating": gettext_noop("Evaluators' rating"),
    "veto": gettext_noop("Veto"),
    "composite": gettext_noop("Composite score"),
    "rank_within": gettext_noop("Rank"),
    "grade": gettext_noop("Grade"),
    "warning_schedule": gettext_noop("Warning against the time schedule"),
    "rank_warning": gettext_noop("Warning by rank"),
    "forecast_seasonal": gettext_noop("Year-end forecast"),
}

#: The components of a round (kaohe.scoring.rounds.COMPONENTS), as the round's page heads them.
COMPONENT_NAMES: Mapping[str, str] = {
    "own": gettext_noop("Own appraisal"),
    "quarterly": gettext_noop("Quarterly rounds"),
    "higher": gettext_noop("Higher-level results"),
    "rating": gettext_noop("Evaluators' rating"),
}

_SLOT = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class _Phrase:
    msgid: str
    slots: tuple[str, ...]  # the slot names, in order
    groups: tuple[str, ...]  # the regex group of each slot


def _pattern(index: int, msgid: str) -> tuple[str, _Phrase]:
    parts = _SLOT.split(msgid)
    regex, slots, groups = [], [], []
    for k, part in enumerate(parts):
        if k % 2 == 0:
            regex.append(re.escape(part))
        else:
            group = f"s{index}_{part}"
            slots.append(part)
            groups.append(group)
            regex.append(f"(?P<{group}>{SLOTS.get(part, NUMBER)})")
    body = "".join(regex)
    # A phrase that starts or ends with a letter matches whole words only.
    if msgid[:1].isalpha():
        body = r"(?<![A-Za-z])" + body
    if msgid[-1:].isalpha():
        body += r"(?![A-Za-z])"
    return f"(?P<p{index}>{body})", _Phrase(msgid, tuple(slots), tuple(groups))


@cache
def _compiled() -> tuple[re.Pattern[str], dict[str, _Phrase]]:
    # Longest literal text first: at one position the most specific phrase wins.
    ordered = sorted(PHRASES, key=lambda m: -len(_SLOT.sub("", m)))
    alternatives, phrases = [], {}
    for index, msgid in enumerate(ordered):
        regex, phrase = _pattern(index, msgid)
        alternatives.append(regex)
        phrases[f"p{index}"] = phrase
    return re.compile("|".join(alternatives)), phrases


def _replace(match: re.Match[str]) -> str:
    _regex, phrases = _compiled()
    phrase = phrases[str(match.lastgroup)]
    values = {
        slot: explain_text(match.group(group)) if slot in NESTED else match.group(group)
        for slot, group in zip(phrase.slots, phrase.groups, strict=True)
    }
    translated = gettext(phrase.msgid)
    if not values:
        return translated
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):  # a broken msgstr: say it in English
        return phrase.msgid % values


def explain_text(text: str) -> str:
    """An arithmetic line of kaohe.scoring in the active language: every known phrase
    translated, numbers, symbols and data as they are."""
    if not text:
        return text
    regex, _phrases = _compiled()
    return regex.sub(_replace, text)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def explain(value: Any) -> str:
    """The arithmetic of a string, an Explanation (or its stored ``as_dict``), or anything that
    carries one (a score with ``arithmetic`` or ``explanation``), in the active language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return explain_text(value)
    arithmetic = _get(value, "arithmetic")
    if isinstance(arithmetic, str):
        return explain_text(arithmetic)
    inner = _get(value, "explanation")
    if inner is not None and inner is not value:
        return explain(inner)
    return explain_text(str(value))


def method_name(value: Any) -> str:
    """The name of the method a method code, an Explanation or a score names ("" if none)."""
    code = value if isinstance(value, str) else _get(value, "method")
    if code is None and value is not None and not isinstance(value, str):
        inner = _get(value, "explanation")
        code = _get(inner, "method") if inner is not None else None
    if not code:
        return ""
    code = str(code)
    return gettext(METHOD_NAMES[code]) if code in METHOD_NAMES else code


def component_name(code: str) -> str:
    """A round component's name (own, quarterly, higher, rating)."""
    return gettext(COMPONENT_NAMES[code]) if code in COMPONENT_NAMES else code


def reads_english() -> bool:
    """Whether the reader's language is not Chinese (English is the second language)."""
    return not (get_language() or "zh-hans").lower().startswith("zh")


def localized_name(obj: Any) -> str:
    """A name in the reader's language: ``name_en`` in English when set, else ``name``.

    Works for indicators, data items, categories and peer statistics, and for the plain dicts
    that carry a ``name`` and a ``name_en``; None gives "".
    """
    if obj is None:
        return ""
    name = _get(obj, "name")
    english = _get(obj, "name_en")
    if reads_english() and english:
        return str(english)
    return "" if name is None else str(name)


def other_name(obj: Any) -> str:
    """The name in the other language, when it differs from the one shown ("" otherwise)."""
    if obj is None:
        return ""
    name, english = _get(obj, "name") or "", _get(obj, "name_en") or ""
    other = str(name if reads_english() else english)
    return other if other and other != localized_name(obj) else ""
