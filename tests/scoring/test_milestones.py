import datetime as dt

import pytest

from kaohe.scoring.schedule import milestone_share, validate_milestones

STEPS = [("2026-04-30", 0.3), ("2026-08-31", 0.6), ("2026-12-31", 1.0)]


def test_a_milestone_is_due_in_full_from_its_date_and_nothing_pro_rata() -> None:
    assert milestone_share(dt.date(2026, 4, 29), STEPS) == 0.0
    assert milestone_share(dt.date(2026, 4, 30), STEPS) == 0.3
    assert milestone_share(dt.date(2026, 8, 30), STEPS) == 0.3
    assert milestone_share(dt.date(2026, 9, 1), STEPS) == 0.6
    assert milestone_share(dt.date(2026, 12, 31), STEPS) == 1.0


@pytest.mark.parametrize(
    ("steps", "reason"),
    [
        ([], "at least one"),
        ([("2025-12-31", 1.0)], "not in 2026"),
        ([("2026-06-30", 0.6), ("2026-03-31", 1.0)], "dates must increase"),
        ([("2026-06-30", 0.6), ("2026-12-31", 0.5)], "must not decrease"),
        ([("2026-06-30", 0.5)], "last milestone"),
        ([("六月底", 0.5)], "not a date"),
        ([("2026-06-30", 1.5)], "(0, 1]"),
    ],
)
def test_a_bad_milestone_schedule_says_what_is_wrong(steps: list, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace("]", r"\]")):
        validate_milestones(steps, 2026)
