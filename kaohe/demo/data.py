"""The demo county, Baojing (保靖县), as pure data: county, peers, categories, units, leaders,
cadres, the indicator tree (re-exported from ``kaohe.demo.indicators``) and peer statistics.

SYNTHETIC DATA. The facts taken from the 2022 report on Baojing's appraisal reform (see
``MISSION.md``) are: the county, its prefecture and the prefecture's county-level divisions; the
12 townships and that 32 county departments are assessed; the five offices of the five-in-one
supervision system; the 140 prefecture indicators and five first-level indicators; and Baojing's
Q1-Q3 2022 statistics in ``PEER_STATS`` (``synthetic=False``). The administrative division codes
are the real ones. Everything else - the categories and how units are split over them, the
department list, every person's name, post and portfolio, the indicators' points, methods and
targets, and the peers' statistics (``synthetic=True``) - is invented for the demo and must be
shown as synthetic (``SYNTHETIC_NOTE_ZH`` / ``SYNTHETIC_NOTE_EN``). Names of people are generated
and do not refer to anyone.

Pure Python (no Django import): the database builder reads these frozen dataclasses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kaohe.demo.indicators import (
    CATEGORY_CODES,
    COUNTY_OWN_LEAF_CODES,
    DEPARTMENT_CATEGORY_CODES,
    FIRST_LEVEL_POINTS,
    FREQUENCIES,
    INDICATORS,
    INDUSTRIAL_CHAINS,
    METHOD_COMPLETION_RATIO,
    SOURCE_INDICATORS,
    TOTAL_POINTS,
    TOWNSHIP_CATEGORY_CODES,
    UNMAPPED_SOURCE_CODES,
    Indicator,
    SourceIndicator,
    category_points,
    children,
    descendant_leaves,
    first_level,
    indicator,
    leaves,
    leaves_for_category,
    source_indicator,
)

__all__ = [
    "CADRES",
    "CATEGORIES",
    "CATEGORY_CODES",
    "COUNTY",
    "COUNTY_OWN_LEAF_CODES",
    "DEMO_YEAR",
    "DEPARTMENT",
    "DEPARTMENT_CATEGORY_CODES",
    "FIRST_IN_PREFECTURE",
    "FIRST_LEVEL_POINTS",
    "FREQUENCIES",
    "INDICATORS",
    "INDUSTRIAL_CHAINS",
    "LEADERS",
    "MERIT_TOWNSHIPS",
    "METHOD_COMPLETION_RATIO",
    "ORGANISATION_CODE",
    "PEERS",
    "PEER_METRICS",
    "PEER_PERIOD",
    "PEER_STATS",
    "PERFORMANCE_OFFICE_CODE",
    "PREFECTURE_COUNTIES",
    "SOURCE_INDICATORS",
    "SUPERVISION_OFFICE_NAMES",
    "SYNTHETIC_NOTE_EN",
    "SYNTHETIC_NOTE_ZH",
    "TOTAL_POINTS",
    "TOWNSHIP",
    "TOWNSHIP_CATEGORY_CODES",
    "TOWNSHIP_NAMES",
    "UNITS",
    "UNMAPPED_SOURCE_CODES",
    "Cadre",
    "Category",
    "County",
    "Indicator",
    "Leader",
    "PeerMetric",
    "PeerStat",
    "SourceIndicator",
    "Unit",
    "assessed_departments",
    "assessing_units",
    "build_cadres",
    "build_peer_stats",
    "category",
    "category_points",
    "children",
    "descendant_leaves",
    "first_level",
    "indicator",
    "leader",
    "leaves",
    "leaves_for_category",
    "peer_rank",
    "peer_value",
    "source_indicator",
    "supervision_offices",
    "townships",
    "unit",
    "units_in_category",
]

DEMO_YEAR = 2022
SYNTHETIC_NOTE_ZH = "演示数据：除公开报道所载事实外，人员、指标分值、目标及兄弟县市数据均为虚构。"
SYNTHETIC_NOTE_EN = (
    "Demo data: apart from the facts of the published report, people, points, targets and the "
    "peer counties' figures are synthetic."
)

TOWNSHIP = "township"
DEPARTMENT = "department"


# --- county and peers --------------------------------------------------------------------------


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short_name: str  # prefix of official document numbers, e.g. 保 in 保绩提〔2022〕12号
    prefecture: str
    prefecture_code: str
    province: str
    province_code: str


def _xiangxi(code: str, name: str, short_name: str) -> County:
    return County(code, name, short_name, "湘西土家族苗族自治州", "433100", "湖南省", "430000")


COUNTY = _xiangxi("433125", "保靖县", "保")
# The other seven county-level divisions of the prefecture: ranked against, not hosted.
PEERS: tuple[County, ...] = (
    _xiangxi("433101", "吉首市", "吉"),
    _xiangxi("433122", "泸溪县", "泸"),
    _xiangxi("433123", "凤凰县", "凤"),
    _xiangxi("433124", "花垣县", "花"),
    _xiangxi("433126", "古丈县", "古"),
    _xiangxi("433127", "永顺县", "永"),
    _xiangxi("433130", "龙山县", "龙"),
)
PREFECTURE_COUNTIES: tuple[County, ...] = tuple(sorted((COUNTY, *PEERS), key=lambda c: c.code))


# --- categories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str
    kind: str  # TOWNSHIP or DEPARTMENT
    total_points: int = TOTAL_POINTS


CATEGORIES: tuple[Category, ...] = (
    Category("XZ1", "一类乡镇", "Class I townships (county seat and central towns)", TOWNSHIP),
    Category("XZ2", "二类乡镇", "Class II townships", TOWNSHIP),
    Category("BM1", "经济发展类部门", "Economic development departments", DEPARTMENT),
    Category("BM2", "社会事业类部门", "Social affairs departments", DEPARTMENT),
    Category("BM3", "综合保障类部门", "Party, legal and general support departments", DEPARTMENT),
)


# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # TOWNSHIP or DEPARTMENT
    category_code: str | None  # None for units that are not assessed
    assessed: bool
    assessing: bool
    supervision: bool


TOWNSHIP_NAMES: tuple[str, ...] = (
    "迁陵镇",
    "毛沟镇",
    "比耳镇",
    "碗米坡镇",
    "清水坪镇",
    "复兴镇",
    "吕洞山镇",
    "葫芦镇",
    "水田河镇",
    "普戎镇",
    "长潭河乡",
    "阳朝乡",
)
# The two towns awarded prefecture-level second-class collective merit in 2022 (report fact).
MERIT_TOWNSHIPS: tuple[str, ...] = ("吕洞山镇", "清水坪镇")

# (name, category, assessing); codes D01..D32 in this order.
_DEPARTMENTS: tuple[tuple[str, str, bool], ...] = (
    ("县发展和改革局", "BM1", True),
    ("县财政局", "BM1", True),
    ("县统计局", "BM1", True),
    ("县工业和信息化局", "BM1", True),
    ("县科学技术局", "BM1", True),
    ("县商务局", "BM1", True),
    ("县农业农村局", "BM1", True),
    ("县乡村振兴局", "BM1", True),
    ("县林业局", "BM1", True),
    ("县水利局", "BM1", True),
    ("县自然资源局", "BM1", True),
    ("县住房和城乡建设局", "BM1", True),
    ("县交通运输局", "BM1", True),
    ("县文化旅游广电局", "BM1", True),
    ("县教育局", "BM2", True),
    ("县卫生健康局", "BM2", True),
    ("县人力资源和社会保障局", "BM2", True),
    ("县民政局", "BM2", True),
    ("县医疗保障局", "BM2", True),
    ("县退役军人事务局", "BM2", False),
    ("县生态环境局", "BM2", True),
    ("县市场监督管理局", "BM2", True),
    ("县应急管理局", "BM2", True),
    ("县城市管理和综合执法局", "BM2", False),
    ("县委组织部", "BM3", True),
    ("县委宣传部", "BM3", True),
    ("县委统战部", "BM3", True),
    ("县委政法委员会", "BM3", True),
    ("县司法局", "BM3", True),
    ("县信访局", "BM3", True),
    ("县审计局", "BM3", True),
    ("县政务服务中心", "BM3", True),
)

# The five-in-one supervision system (五位一体); codes S01..S05 in this order. Each also
# assesses a few indicators (decisions followed up, key projects, livelihood projects, ...).
SUPERVISION_OFFICE_NAMES: tuple[str, ...] = (
    "县委督查室",
    "县政府督查室",
    "县绩效办",
    "县重点办",
    "县民生实事办",
)
PERFORMANCE_OFFICE_CODE = "S03"  # 县绩效办 (考评中心): runs the scheme
ORGANISATION_CODE = "D25"  # 县委组织部: an assessed department that applies results to cadres


def _units() -> tuple[Unit, ...]:
    units = [
        Unit(f"T{n:02d}", name, TOWNSHIP, "XZ1" if n <= 6 else "XZ2", True, False, False)
        for n, name in enumerate(TOWNSHIP_NAMES, start=1)
    ]
    units += [
        Unit(f"D{n:02d}", name, DEPARTMENT, cat, True, assessing, False)
        for n, (name, cat, assessing) in enumerate(_DEPARTMENTS, start=1)
    ]
    units += [
        Unit(f"S{n:02d}", name, DEPARTMENT, None, False, True, True)
        for n, name in enumerate(SUPERVISION_OFFICE_NAMES, start=1)
    ]
    return tuple(units)


UNITS: tuple[Unit, ...] = _units()
_UNITS_BY_CODE: Mapping[str, Unit] = MappingProxyType({u.code: u for u in UNITS})


def unit(code: str) -> Unit:
    return _UNITS_BY_CODE[code]


def category(code: str) -> Category:
    return next(c for c in CATEGORIES if c.code == code)


def townships() -> list[Unit]:
    return [u for u in UNITS if u.kind == TOWNSHIP]


def assessed_departments() -> list[Unit]:
    return [u for u in UNITS if u.kind == DEPARTMENT and u.assessed]


def supervision_offices() -> list[Unit]:
    return [u for u in UNITS if u.supervision]


def assessing_units() -> list[Unit]:
    return [u for u in UNITS if u.assessing]


def units_in_category(category_code: str) -> list[Unit]:
    return [u for u in UNITS if u.category_code == category_code]


# --- county leaders in charge (分管县领导) -------------------------------------------------------


@dataclass(frozen=True)
class Leader:
    code: str
    name: str
    post: str
    rank: str
    portfolio: str


LEADERS: tuple[Leader, ...] = (
    Leader("L01", "王立新", "县委书记", "正处级", "主持县委全面工作；牵头县委重大决策部署督查"),
    Leader("L02", "李卫东", "县委副书记、县长", "正处级", "主持县政府全面工作；分管审计、改革"),
    Leader(
        "L03", "彭志刚", "县委副书记", "副处级", "协助抓党的建设；分管乡村振兴、宣传、统战民族宗教"
    ),
    Leader(
        "L04",
        "张德明",
        "县委常委、常务副县长",
        "副处级",
        "负责县政府常务工作；分管发展改革、财政、统计、金融、税源建设、重点项目、政务服务",
    ),
    Leader("L05", "刘晓燕", "县委常委、组织部部长", "副处级", "分管组织、人才、绩效考核"),
    Leader("L06", "田永红", "县委常委、政法委书记", "副处级", "分管政法、平安建设、信访、司法"),
    Leader("L07", "陈国平", "副县长", "副处级", "分管工业和信息化、科技、商务和招商引资、市场监管"),
    Leader("L08", "向明辉", "副县长", "副处级", "分管农业农村、茶叶等特色产业、林业、水利"),
    Leader(
        "L09",
        "杨春梅",
        "副县长",
        "副处级",
        "分管教育、卫生健康、人力资源和社会保障、民政、医疗保障、退役军人事务、民生实事",
    ),
    Leader(
        "L10",
        "吴海涛",
        "副县长",
        "副处级",
        "分管自然资源、住房城乡建设、交通运输、生态环境、城市管理、应急管理、文化旅游",
    ),
)


def leader(code: str) -> Leader:
    return next(le for le in LEADERS if le.code == code)


# --- cadres of the assessed units (干部), generated -------------------------------------------


@dataclass(frozen=True)
class Cadre:
    code: str
    name: str
    unit_code: str
    post: str
    rank: str
    principal: bool  # the unit's principal (党委书记 / 局长 ...) rather than its deputy


CADRE_SEED = 2022
# Surnames common in Xiangxi (Tujia and Miao families included) and everyday given-name
# characters; names are drawn from them and are not anyone's.
_SURNAMES = "彭向田龙石吴杨张王李刘陈黄周胡谭梁麻滕唐宋姚符贾舒肖覃包"
_GIVEN = (
    "建国明华军平志勇伟强林文红英芳丽斌涛辉波亮鹏飞俊杰"
    "峰敏静燕霞云春秋海江松梅兰德成雄光立新宏荣忠祥福玲娟"
)


def _posts(u: Unit) -> tuple[tuple[str, str], tuple[str, str]]:
    """(post, rank) of a unit's principal and of its deputy."""
    if u.kind == TOWNSHIP:
        head = "乡长" if u.name.endswith("乡") else "镇长"
        return ("党委书记", "正科级"), (f"党委副书记、{head}", "正科级")
    if u.name.startswith("县委") and u.name.endswith("部"):
        return ("常务副部长", "正科级"), ("副部长", "副科级")
    if u.name.endswith("委员会"):
        return ("常务副书记", "正科级"), ("副书记", "副科级")
    if u.name.endswith("中心"):
        return ("党组书记、主任", "正科级"), ("党组成员、副主任", "副科级")
    return ("党组书记、局长", "正科级"), ("党组成员、副局长", "副科级")


def build_cadres(seed: int = CADRE_SEED) -> tuple[Cadre, ...]:
    """A principal and a deputy for every assessed unit, named deterministically from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - demo names, not security
    used = {le.name for le in LEADERS}

    def name() -> str:
        while True:
            given = rng.choice(_GIVEN)
            if rng.random() < 0.7:
                given += rng.choice(_GIVEN)
            candidate = rng.choice(_SURNAMES) + given
            if len(set(given)) == len(given) and candidate not in used:
                used.add(candidate)
                return candidate

    cadres: list[Cadre] = []
    for u in UNITS:
        if not u.assessed:
            continue
        for principal, (post, rank) in zip((True, False), _posts(u), strict=True):
            code = f"C{len(cadres) + 1:03d}"
            cadres.append(Cadre(code, name(), u.code, post, rank, principal))
    return tuple(cadres)


CADRES: tuple[Cadre, ...] = build_cadres()


# --- peer statistics (同级排位), Q1-Q3 2022, year on year ---------------------------------------


@dataclass(frozen=True)
class PeerMetric:
    code: str
    name: str
    name_en: str
    unit_of_measure: str
    higher_is_better: bool
    indicator_code: str | None  # the leaf indicator measuring the same thing, if any


@dataclass(frozen=True)
class PeerStat:
    county_code: str
    metric_code: str
    value: float
    synthetic: bool


PEER_PERIOD = "2022Q3"  # cumulative Q1-Q3 2022, growth year on year


def _leaf_code(name: str) -> str:
    return next(i.code for i in INDICATORS if i.is_leaf and i.name == name)


PEER_METRICS: tuple[PeerMetric, ...] = (
    PeerMetric("gdp", "地区生产总值增速", "GDP growth", "%", True, _leaf_code("地区生产总值增速")),
    PeerMetric(
        "fixed_asset_investment",
        "固定资产投资增速",
        "Growth of fixed-asset investment",
        "%",
        True,
        _leaf_code("固定资产投资增速"),
    ),
    PeerMetric(
        "fiscal_revenue",
        "地方一般公共预算收入增速",
        "Growth of local general public budget revenue",
        "%",
        True,
        None,
    ),
    PeerMetric(
        "retail_sales",
        "社会消费品零售总额增速",
        "Growth of retail sales of consumer goods",
        "%",
        True,
        _leaf_code("社会消费品零售总额增速"),
    ),
    PeerMetric(
        "deposits",
        "金融机构各项存款余额增速",
        "Growth of deposits",
        "%",
        True,
        _leaf_code("金融机构各项存款余额增速"),
    ),
    PeerMetric(
        "loans",
        "金融机构各项贷款余额增速",
        "Growth of loans",
        "%",
        True,
        _leaf_code("金融机构各项贷款余额增速"),
    ),
    PeerMetric(
        "disposable_income",
        "居民人均可支配收入增速",
        "Growth of residents' per-capita disposable income",
        "%",
        True,
        _leaf_code("居民人均可支配收入增速"),
    ),
)

# Baojing's figures as the report gives them (real, not synthetic).
_BAOJING: Mapping[str, float] = MappingProxyType(
    {
        "gdp": 4.0,
        "fixed_asset_investment": 14.7,
        "fiscal_revenue": 5.4,
        "retail_sales": 2.6,
        "deposits": 17.0,
        "loans": 18.2,
        "disposable_income": 7.1,
    }
)
# Metrics on which the report says Baojing ranks 1st in the prefecture.
FIRST_IN_PREFECTURE: tuple[str, ...] = (
    "fixed_asset_investment",
    "deposits",
    "loans",
    "disposable_income",
)
# Ranges for the peers' synthetic values; below Baojing's where the report ranks it 1st.
_PEER_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "gdp": (2.0, 5.5),
        "fixed_asset_investment": (3.0, 13.9),
        "fiscal_revenue": (-9.0, 8.0),
        "retail_sales": (0.8, 4.2),
        "deposits": (8.0, 16.2),
        "loans": (7.5, 17.4),
        "disposable_income": (5.3, 6.9),
    }
)
PEER_SEED = 20220930


def build_peer_stats(seed: int = PEER_SEED) -> tuple[PeerStat, ...]:
    """Baojing's reported values and seeded synthetic values for the seven peers."""
    rng = random.Random(seed)  # noqa: S311 - synthetic statistics, not security
    stats = [PeerStat(COUNTY.code, m.code, _BAOJING[m.code], False) for m in PEER_METRICS]
    for peer in PEERS:
        for m in PEER_METRICS:
            low, high = _PEER_RANGES[m.code]
            stats.append(PeerStat(peer.code, m.code, round(rng.uniform(low, high), 1), True))
    return tuple(stats)


PEER_STATS: tuple[PeerStat, ...] = build_peer_stats()


def peer_value(metric_code: str, county_code: str) -> float:
    return next(
        s.value for s in PEER_STATS if s.metric_code == metric_code and s.county_code == county_code
    )


def peer_rank(metric_code: str, county_code: str) -> int:
    """Rank among the prefecture's eight counties; ties share the better rank."""
    metric = next(m for m in PEER_METRICS if m.code == metric_code)
    mine = peer_value(metric_code, county_code)
    values = [s.value for s in PEER_STATS if s.metric_code == metric_code]
    if metric.higher_is_better:
        return 1 + sum(v > mine for v in values)
    return 1 + sum(v < mine for v in values)
