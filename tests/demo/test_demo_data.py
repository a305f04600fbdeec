"""The demo county's data (kaohe.demo.data): pure Python checks, no database, no Django."""

from __future__ import annotations

import ast
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from kaohe.demo import data as d
from kaohe.demo import indicators as ind
from kaohe.scoring.registry import validate_method

DEMO_DIR = Path(d.__file__).parent


# --- county, peers, categories -----------------------------------------------------------------


def test_county_and_prefecture() -> None:
    assert (d.COUNTY.code, d.COUNTY.name) == ("433125", "保靖县")
    assert (d.COUNTY.prefecture, d.COUNTY.prefecture_code) == ("湘西土家族苗族自治州", "433100")
    assert (d.COUNTY.province, d.COUNTY.province_code) == ("湖南省", "430000")


def test_peers_are_the_other_seven_divisions_with_real_codes() -> None:
    assert {(p.code, p.name) for p in d.PEERS} == {
        ("433101", "吉首市"),
        ("433122", "泸溪县"),
        ("433123", "凤凰县"),
        ("433124", "花垣县"),
        ("433126", "古丈县"),
        ("433127", "永顺县"),
        ("433130", "龙山县"),
    }
    assert all(p.prefecture_code == "433100" for p in d.PEERS)
    assert len(d.PREFECTURE_COUNTIES) == 8
    assert len({c.short_name for c in d.PREFECTURE_COUNTIES}) == 8


def test_categories() -> None:
    assert len(d.CATEGORIES) == 5
    assert tuple(c.code for c in d.CATEGORIES) == d.CATEGORY_CODES
    kinds = Counter(c.kind for c in d.CATEGORIES)
    assert kinds == {d.TOWNSHIP: 2, d.DEPARTMENT: 3}
    assert all(c.total_points == 1000 for c in d.CATEGORIES)
    assert len({c.name for c in d.CATEGORIES}) == 5
    assert all(c.name_en for c in d.CATEGORIES)
    for c in d.CATEGORIES:
        expected = (
            d.TOWNSHIP_CATEGORY_CODES if c.kind == d.TOWNSHIP else d.DEPARTMENT_CATEGORY_CODES
        )
        assert c.code in expected


# --- units -------------------------------------------------------------------------------------


def test_the_twelve_townships() -> None:
    towns = d.townships()
    assert [u.name for u in towns] == [
        "迁陵镇", "毛沟镇", "比耳镇", "碗米坡镇", "清水坪镇", "复兴镇",
        "吕洞山镇", "葫芦镇", "水田河镇", "普戎镇", "长潭河乡", "阳朝乡",
    ]  # fmt: skip
    assert [u.code for u in towns] == [f"T{n:02d}" for n in range(1, 13)]
    assert all(u.assessed and not u.supervision for u in towns)
    assert {u.category_code for u in towns} == set(d.TOWNSHIP_CATEGORY_CODES)
    assert set(d.MERIT_TOWNSHIPS) <= {u.name for u in towns}


def test_thirty_two_assessed_departments() -> None:
    deps = d.assessed_departments()
    assert len(deps) == 32
    assert [u.code for u in deps] == [f"D{n:02d}" for n in range(1, 33)]
    assert {u.category_code for u in deps} == set(d.DEPARTMENT_CATEGORY_CODES)
    assert all(not u.supervision for u in deps)
    names = {u.name for u in deps}
    for name in ("县发展和改革局", "县财政局", "县统计局", "县农业农村局", "县委组织部"):
        assert name in names
    assert not any("税务" in n for n in names)  # tax is a vertical administration
    assessing = {u.name for u in deps if u.assessing}
    assert {"县统计局", "县发展和改革局", "县财政局", "县农业农村局"} <= assessing
    assert len(assessing) < len(deps)  # the flag means something


def test_assessed_units_total_44() -> None:
    assessed = [u for u in d.UNITS if u.assessed]
    assert len(assessed) == 44
    for u in assessed:
        assert u.category_code is not None
        assert d.category(u.category_code).kind == u.kind


def test_five_supervision_offices() -> None:
    offices = d.supervision_offices()
    assert [u.name for u in offices] == [
        "县委督查室", "县政府督查室", "县绩效办", "县重点办", "县民生实事办",
    ]  # fmt: skip
    assert [u.code for u in offices] == [f"S{n:02d}" for n in range(1, 6)]
    assert all(not u.assessed and u.category_code is None for u in offices)
    assert d.unit(d.PERFORMANCE_OFFICE_CODE).name == "县绩效办"
    assert d.unit(d.ORGANISATION_CODE).name == "县委组织部"
    assert d.unit(d.ORGANISATION_CODE).assessed


def test_unit_codes_and_names_are_unique() -> None:
    assert len({u.code for u in d.UNITS}) == len(d.UNITS) == 49
    assert len({u.name for u in d.UNITS}) == len(d.UNITS)
    assert all(u.kind in (d.TOWNSHIP, d.DEPARTMENT) for u in d.UNITS)


# --- leaders and cadres ------------------------------------------------------------------------


def test_leaders() -> None:
    assert 8 <= len(d.LEADERS) <= 12
    assert [le.code for le in d.LEADERS] == [f"L{n:02d}" for n in range(1, len(d.LEADERS) + 1)]
    posts = [le.post for le in d.LEADERS]
    assert "县委书记" in posts and any("县长" in p for p in posts)
    assert all(le.rank in ("正处级", "副处级") and le.portfolio for le in d.LEADERS)


def test_cadres_cover_every_assessed_unit() -> None:
    by_unit: dict[str, list[d.Cadre]] = {}
    for c in d.CADRES:
        by_unit.setdefault(c.unit_code, []).append(c)
    assert set(by_unit) == {u.code for u in d.UNITS if u.assessed}
    for cadres in by_unit.values():
        assert [c.principal for c in cadres] == [True, False]
    assert all(c.rank in ("正科级", "副科级") for c in d.CADRES)
    assert all(c.rank == "正科级" for c in d.CADRES if c.principal)
    assert {c.post for c in d.CADRES if c.unit_code == "T01"} == {"党委书记", "党委副书记、镇长"}
    assert {c.post for c in d.CADRES if c.unit_code == "T12"} == {"党委书记", "党委副书记、乡长"}


def test_people_codes_and_names_are_unique() -> None:
    codes = [c.code for c in d.CADRES]
    assert codes == [f"C{n:03d}" for n in range(1, len(codes) + 1)]
    names = [c.name for c in d.CADRES] + [le.name for le in d.LEADERS]
    assert len(set(names)) == len(names)
    assert all(2 <= len(n) <= 3 for n in names)


def test_cadres_are_deterministic() -> None:
    assert d.build_cadres() == d.build_cadres() == d.CADRES
    assert d.build_cadres(seed=7) != d.CADRES


# --- indicator tree ----------------------------------------------------------------------------


def test_tree_shape() -> None:
    firsts = d.first_level()
    assert len(firsts) == 5
    assert [i.code for i in firsts] == ["I1", "I2", "I3", "I4", "I5"]
    assert d.children(None) == firsts
    leaves = d.leaves()
    assert len(leaves) == 140
    assert all(i.level == 3 and i.is_leaf for i in leaves)
    assert {i.level for i in d.INDICATORS} == {1, 2, 3}
    for second in (i for i in d.INDICATORS if i.level == 2):
        assert d.children(second.code), second.code
        assert all(c.level == 3 for c in d.children(second.code))
    for first in firsts:
        assert d.children(first.code)
        assert all(c.level == 2 for c in d.children(first.code))


def test_parent_links_and_preorder() -> None:
    seen: dict[str, ind.Indicator] = {}
    for i in d.INDICATORS:
        if i.level == 1:
            assert i.parent_code is None
        else:
            parent = seen[i.parent_code or ""]  # parent listed before child
            assert parent.level == i.level - 1
            assert i.code.startswith(parent.code + ".")
        seen[i.code] = i
    assert d.indicator("I1.1.01").name == "地区生产总值增速"


def test_codes_and_names_are_unique() -> None:
    assert len({i.code for i in d.INDICATORS}) == len(d.INDICATORS)
    assert len({i.name for i in d.INDICATORS}) == len(d.INDICATORS)
    assert len({i.name_en for i in d.INDICATORS}) == len(d.INDICATORS)
    assert all(i.name_en for i in d.INDICATORS)


def test_points_sum_to_1000_in_every_category() -> None:
    for category in d.CATEGORIES:
        pts = [leaf.points[category.code] for leaf in d.leaves_for_category(category.code)]
        assert round(sum(pts), 6) == 1000
        assert sum(Fraction(p) for p in pts) == 1000  # exact, no float drift
        for first in d.first_level():
            assert (
                d.category_points(first.code, category.code)
                == (d.FIRST_LEVEL_POINTS[first.code][category.code])
            )


def test_points_are_positive_with_at_most_one_decimal() -> None:
    for leaf in d.leaves():
        assert set(leaf.points) <= set(d.CATEGORY_CODES)
        for p in leaf.points.values():
            assert p > 0
            assert round(p, 1) == p
    assert all(not i.points for i in d.INDICATORS if not i.is_leaf)


def test_applicability() -> None:
    assert all(leaf.points for leaf in d.leaves())
    for code in d.CATEGORY_CODES:
        assert len(d.leaves_for_category(code)) >= 40
        for first in d.first_level():
            assert any(code in leaf.points for leaf in d.descendant_leaves(first.code))
    towns, deps = set(d.TOWNSHIP_CATEGORY_CODES), set(d.DEPARTMENT_CATEGORY_CODES)
    township_only = [leaf for leaf in d.leaves() if set(leaf.points) <= towns]
    department_only = [leaf for leaf in d.leaves() if set(leaf.points) <= deps]
    common = [leaf for leaf in d.leaves() if set(leaf.points) == towns | deps]
    assert township_only and department_only and common
    names = {leaf.name for leaf in township_only}
    assert {"村集体经济收入", "农村人居环境整治村庄达标率"} <= names
    common_names = {leaf.name for leaf in common}
    assert {"基层党组织标准化规范化建设达标率", "安全生产事故起数", "信访事项及时受理率"} <= (
        common_names
    )


def test_leaf_attributes() -> None:
    units = {u.code: u for u in d.UNITS}
    leaders = {le.code for le in d.LEADERS}
    for leaf in d.leaves():
        assert leaf.assessor_code in units and units[leaf.assessor_code].assessing, leaf.code
        assert leaf.leader_code in leaders, leaf.code
        assert leaf.frequency in d.FREQUENCIES
        assert validate_method(leaf.method_json()) == [], leaf.code
        assert leaf.unit_of_measure
        assert leaf.demo_target is not None
        low, high = leaf.demo_target
        assert 0 < low <= high, leaf.code
        if leaf.unit_of_measure == "%" and leaf.higher_is_better:
            assert high <= 100, leaf.code


def test_every_assessing_unit_assesses_something() -> None:
    assessors = {leaf.assessor_code for leaf in d.leaves()}
    assert assessors == {u.code for u in d.assessing_units()}


def test_directions_make_sense() -> None:
    lower = {leaf.name for leaf in d.leaves() if not leaf.higher_is_better}
    assert {"安全生产事故起数", "城镇调查失业率", "单位地区生产总值能耗", "婴儿死亡率"} <= lower
    higher = {leaf.name for leaf in d.leaves() if leaf.higher_is_better}
    assert {"森林覆盖率", "地区生产总值增速", "空气质量优良天数比例"} <= higher


def test_key_tasks_and_industrial_chains_are_covered() -> None:
    seconds = {i.name for i in d.INDICATORS if i.level == 2}
    for area in ("科技创新", "改革开放", "乡村振兴", "县域经济", "财源建设"):
        assert area in seconds
    assert any(name.startswith("产业发展") for name in seconds)
    names = " ".join(leaf.name for leaf in d.leaves())
    for word in ("保靖黄金茶", "茶叶", "白酒", "绿色矿业与新材料", "招商引资", "油茶", "柑橘"):
        assert word in names
    assert len(d.INDUSTRIAL_CHAINS) == 6


def test_source_indicators() -> None:
    sources = d.SOURCE_INDICATORS
    assert [s.code for s in sources] == [f"Z{n:03d}" for n in range(1, 141)]
    used = [leaf.source_code for leaf in d.leaves() if leaf.source_code]
    assert len(used) == len(set(used)) == 138
    assert set(used) | set(d.UNMAPPED_SOURCE_CODES) == {s.code for s in sources}
    assert len(d.UNMAPPED_SOURCE_CODES) == 2
    assert len(d.COUNTY_OWN_LEAF_CODES) == 2
    for code in d.COUNTY_OWN_LEAF_CODES:
        assert d.indicator(code).source_code == ""
    for leaf in d.leaves():
        if leaf.source_code:
            assert d.source_indicator(leaf.source_code).name == leaf.name
    assert all(not i.source_code for i in d.INDICATORS if not i.is_leaf)


# --- peer statistics ---------------------------------------------------------------------------

BAOJING_REPORTED = {
    "gdp": 4.0,
    "fixed_asset_investment": 14.7,
    "fiscal_revenue": 5.4,
    "retail_sales": 2.6,
    "deposits": 17.0,
    "loans": 18.2,
    "disposable_income": 7.1,
}


def test_baojing_statistics_are_the_reported_ones() -> None:
    for metric, value in BAOJING_REPORTED.items():
        assert d.peer_value(metric, d.COUNTY.code) == value
    mine = [s for s in d.PEER_STATS if s.county_code == d.COUNTY.code]
    assert len(mine) == len(d.PEER_METRICS) and not any(s.synthetic for s in mine)


def test_peer_statistics_are_complete_and_flagged_synthetic() -> None:
    assert len(d.PEER_STATS) == 8 * len(d.PEER_METRICS)
    keys = {(s.county_code, s.metric_code) for s in d.PEER_STATS}
    assert len(keys) == len(d.PEER_STATS)
    peer_codes = {p.code for p in d.PEERS}
    assert all(s.synthetic for s in d.PEER_STATS if s.county_code in peer_codes)
    assert d.build_peer_stats() == d.PEER_STATS
    for m in d.PEER_METRICS:
        if m.indicator_code is not None:
            assert d.indicator(m.indicator_code).is_leaf


REPORTED_FIRST = ("fixed_asset_investment", "deposits", "loans", "disposable_income")


@pytest.mark.parametrize("metric", REPORTED_FIRST)
def test_baojing_ranks_first_where_the_report_says(metric: str) -> None:
    assert set(d.FIRST_IN_PREFECTURE) == set(REPORTED_FIRST)
    assert d.peer_rank(metric, d.COUNTY.code) == 1
    others = [s.value for s in d.PEER_STATS if s.metric_code == metric and s.synthetic]
    assert max(others) < BAOJING_REPORTED[metric]


# --- purity ------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["data.py", "indicators.py"])
def test_no_django_import(module: str) -> None:
    tree = ast.parse((DEMO_DIR / module).read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_docstrings_say_synthetic() -> None:
    assert "SYNTHETIC" in (d.__doc__ or "")
    assert "SYNTHETIC" in (ind.__doc__ or "")
    assert "虚构" in d.SYNTHETIC_NOTE_ZH and "synthetic" in d.SYNTHETIC_NOTE_EN
