"""Once the annual round is published, the annual results bulletin prints its composite,
rank and grade instead of the indicator totals."""

from __future__ import annotations

import datetime as dt

from kaohe.appraisal.services import round_compute, round_publish
from kaohe.dashboard.bulletin_views import bulletin_tables
from kaohe.dashboard.standings import annual_standings
from tests.appraisal.golden import RULES, build_golden
from tests.factories import World

TODAY = dt.date(2027, 1, 5)  # the year has ended


def test_the_annual_bulletin_ranks_by_the_published_round(world: World) -> None:
    build_golden(world)
    office = world.user("office")
    year_end = dt.date(world.scheme.year, 12, 31)
    rnd = round_compute(
        user=office, scheme=world.scheme, kind="annual", number=0, rules=RULES, today=TODAY
    )
    before = {s.unit.code: s.grade for s in annual_standings(scheme=world.scheme, as_of=year_end)}
    assert set(before.values()) == {""}  # computed but not published: no grades yet
    round_publish(user=office, round=rnd, notice_days=5, today=TODAY)
    standings = {s.unit.code: s for s in annual_standings(scheme=world.scheme, as_of=year_end)}
    assert (standings["T03"].rank, standings["T03"].grade) == (4, "良好")
    assert str(standings["T02"].score) == "99.20"
    content = {
        "standings": [
            {
                "category": "一类乡镇",
                "unit": s.unit.name,
                "score": str(s.score),
                "points": "100",
                "rank": s.rank,
                "grade": s.grade,
                "red": 0,
                "orange": 0,
            }
            for s in standings.values()
        ],
        "lagging": [],
        "improved": [],
    }
    table = bulletin_tables(content)[0]
    assert table.headers[2:4] == ["综合得分", "等次"]
    assert ["乙镇", "99.20", "良好"] in [[r[1], r[2], r[3]] for r in table.rows]
