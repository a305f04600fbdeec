"""The demo county's indicator tree (指标体系) for 2022: five first-level indicators, 140 leaves.

SYNTHETIC DATA. Only the frame comes from the 2022 report on Baojing's appraisal reform (see
``MISSION.md``): the prefecture hands the county 140 indicators, the county scheme has five
first-level indicators, key-task indicators (industrial development, science and technology,
reform and opening up, rural revitalisation, county economy, fiscal-source building,
livelihood, ecology), six advantaged industrial chains (golden tea, liquor, green mining and new
materials among them) and differentiated points by category. Every name, point value, target,
assessing department and leader below is invented for the demo, in the style of a Hunan county
scheme; none is the county's real scheme.

Pure Python: no Django import. ``kaohe.demo.data`` re-exports the public names of this module.

Shape
-----
* Codes: first level ``I1``..``I5``, second level ``I1.1``, leaves ``I1.1.01`` (three levels).
* ``INDICATORS`` lists the tree in pre-order (a parent always before its children).
* Points are on leaves only and differ by category (分类考核). ``FIRST_LEVEL_POINTS`` fixes what
  each first-level indicator is worth in each category (each category's row sums to 1000); inside
  a first-level indicator the points are shared among the leaves that apply to the category in
  proportion to a relative weight, rounded to 0.5, and the rounding remainder goes to the heaviest
  leaf. So for every category the leaves that apply to it sum to exactly 1000 (all values are
  multiples of 0.5 and therefore exact in binary floating point).
* Higher-level indicators: 138 leaves implement one prefecture indicator each (``source_code``
  ``Z001``..``Z138``). Two leaves are the county's own (``source_code == ""``, see
  ``COUNTY_OWN_LEAF_CODES``): the reminder-notice rectification rate and the monthly help visits.
  Two prefecture indicators (``Z139``, ``Z140``) have no county counterpart because they do not
  apply to Baojing (no national development zone, no high-speed railway station).
* Methods: most leaves score by completion ratio without credit for over-completion
  (``PLAIN_METHOD``); about twenty use every other leaf method of SCORING.md, each on an
  indicator a county would score that way (the ``_CAP_120`` .. ``_PER_REPORT`` settings below):
  completion ratio capped at 120%, with a floor, or all-or-nothing; stepped completion; the
  efficacy coefficient in both directions and with five standard values; rank points by a table
  and by a step; proportional to the best; deduction and points per event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# Category codes (the categories themselves are defined in kaohe.demo.data).
TOWNSHIP_CATEGORY_CODES: tuple[str, ...] = ("XZ1", "XZ2")
DEPARTMENT_CATEGORY_CODES: tuple[str, ...] = ("BM1", "BM2", "BM3")
CATEGORY_CODES: tuple[str, ...] = TOWNSHIP_CATEGORY_CODES + DEPARTMENT_CATEGORY_CODES

TOTAL_POINTS = 1000
POINTS_STEP = 0.5
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "half", "yearly")
METHOD_COMPLETION_RATIO = "completion_ratio"


def _m(kind: str, **params: Any) -> Mapping[str, Any]:
    """A leaf's scoring method as a scheme names it (kaohe.scoring.registry), read-only."""
    return MappingProxyType({"kind": kind, **params})


# Most leaves: completion ratio, no credit for over-completion (SCORING.md method 1).
PLAIN_METHOD: Mapping[str, Any] = _m(METHOD_COMPLETION_RATIO, cap=1.0)

# What each first-level indicator is worth per category; each category sums to 1000.
FIRST_LEVEL_POINTS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "I1": MappingProxyType({"XZ1": 260, "XZ2": 200, "BM1": 320, "BM2": 120, "BM3": 100}),
        "I2": MappingProxyType({"XZ1": 300, "XZ2": 320, "BM1": 330, "BM2": 130, "BM3": 100}),
        "I3": MappingProxyType({"XZ1": 160, "XZ2": 170, "BM1": 70, "BM2": 380, "BM3": 60}),
        "I4": MappingProxyType({"XZ1": 120, "XZ2": 140, "BM1": 80, "BM2": 150, "BM3": 60}),
        "I5": MappingProxyType({"XZ1": 160, "XZ2": 170, "BM1": 200, "BM2": 220, "BM3": 680}),
    }
)

# The six advantaged industrial chains of the demo (the first three are named in the report).
INDUSTRIAL_CHAINS: tuple[str, ...] = (
    "保靖黄金茶",
    "白酒",
    "绿色矿业与新材料",
    "油茶与柑橘（两茶一果）",
    "中药材与生态康养",
    "文化旅游",
)


@dataclass(frozen=True)
class Indicator:
    """A node of the indicator tree. Leaves (level 3) carry measure, targets and points."""

    code: str
    name: str
    name_en: str
    level: int
    parent_code: str | None
    unit_of_measure: str = ""
    higher_is_better: bool = True
    frequency: str = "yearly"
    assessor_code: str | None = None
    leader_code: str | None = None
    # category code -> points; leaves only, categories the leaf does not apply to are absent.
    points: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    source_code: str = ""
    # The scoring method with its parameters, as the scheme stores it ({"kind": ..., ...}).
    method: Mapping[str, Any] = field(default_factory=lambda: PLAIN_METHOD, hash=False)
    # Range from which the demo draws each unit's yearly target (a ceiling if lower is better).
    demo_target: tuple[float, float] | None = None
    # A cumulative value (amount to date) is compared with the share of the yearly target due by
    # the time schedule; a rate or level is compared with the target itself.
    cumulative: bool = False
    # For a leaf counting events that should not happen (accidents): how many a unit has in a
    # year at an average pace; the demo draws each unit's events from it.
    demo_events: float | None = None

    @property
    def is_leaf(self) -> bool:
        return self.level == 3

    @property
    def method_kind(self) -> str:
        return str(self.method["kind"])

    def method_json(self) -> dict[str, Any]:
        """The method as the scheme stores it: plain JSON (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.method.items()}


@dataclass(frozen=True)
class SourceIndicator:
    """One of the prefecture's 140 indicators for counties (州对县考核指标)."""

    code: str
    name: str


# --- the tree, as data -------------------------------------------------------------------------

_T = TOWNSHIP_CATEGORY_CODES
_E = ("BM1",)  # economic-development departments
_S = ("BM2",)  # social-affairs departments
_D = DEPARTMENT_CATEGORY_CODES
_A = CATEGORY_CODES
_TE = _T + _E
_TS = _T + _S
_TG = (*_T, "BM3")
_ES = ("BM1", "BM2")
_SG = ("BM2", "BM3")

_FREQ = {"M": "monthly", "Q": "quarterly", "H": "half", "Y": "yearly"}
_CUMULATIVE_UNITS = frozenset(
    {"亿元", "万元", "万美元", "个", "项", "亩", "万亩", "户", "人", "人次", "万人次", "件", "篇"}
    | {"起", "公里", "吨", "万平方米"}
)


@dataclass(frozen=True)
class _Leaf:
    name: str
    name_en: str
    uom: str
    freq: str
    assessor: str
    leader: str
    applies: tuple[str, ...]
    weight: int
    target: tuple[float, float]
    lower: bool = False
    cumulative: bool | None = None
    method: Mapping[str, Any] = field(default_factory=lambda: PLAIN_METHOD, hash=False)
    events: float | None = None


def _l(
    name: str,
    name_en: str,
    uom: str,
    freq: str,
    assessor: str,
    leader: str,
    applies: tuple[str, ...],
    weight: int,
    target: tuple[float, float],
    *,
    lower: bool = False,
    cum: bool | None = None,
    method: Mapping[str, Any] = PLAIN_METHOD,
    events: float | None = None,
) -> _Leaf:
    return _Leaf(name, name_en, uom, freq, assessor, leader, applies, weight, target, lower, cum,
                 method, events)  # fmt: skip


_Group = tuple[str, str, tuple[_Leaf, ...]]


# --- the scoring methods of the demo (SCORING.md), each on leaves where a county would use it.
# Plain completion ratio (PLAIN_METHOD) stays the rule; these are the exceptions.
# Over-completion earns up to 120% on amounts the county wants pushed (jobs, visitors, firms).
_CAP_120 = _m(METHOD_COMPLETION_RATIO, cap=1.2)
# Project work keeps a base of 30% of the points however far behind (保底分).
_FLOOR_30 = _m(METHOD_COMPLETION_RATIO, cap=1.0, floor=0.3)
# A bottom line of social assistance (兜底保障): the points only if met (目标完成计分法).
_MET_OR_NOTHING = _m(METHOD_COMPLETION_RATIO, cap=1.0, all_or_nothing=True)
# Revenue: +1 per 5% above target up to 120% of the points, -0.5 per 2% below (阶梯计分).
_STEPPED = _m(
    "stepped_completion",
    step=0.05,
    bonus_per_step=1.0,
    penalty_step=0.02,
    penalty_per_step=0.5,
    ceiling=1.2,
)
_STEPPED_LINEAR = _m(
    "stepped_completion",
    step=0.05,
    bonus_per_step=1.0,
    penalty_step=0.02,
    penalty_per_step=0.5,
    ceiling=1.2,
    linear=True,
)
# Efficacy coefficient (功效系数法) on rates with a satisfactory and a not-allowed value: good-air
# days (higher is better), PM2.5 (lower is better: 35 is the national grade-II annual limit) and
# urban unemployment (lower is better); 60% of the points at the not-allowed value, none below
# it, at most all of them at the satisfactory value.
_EFFICACY_AIR = _m(
    "efficacy_coefficient", satisfactory=98.0, not_allowed=85.0, base=0.6, floor=0.0, cap=1.0
)
_EFFICACY_PM25 = _m(
    "efficacy_coefficient", satisfactory=25.0, not_allowed=35.0, base=0.6, floor=0.0, cap=1.0
)
_EFFICACY_JOBLESS = _m(
    "efficacy_coefficient", satisfactory=4.5, not_allowed=6.0, base=0.6, floor=0.0, cap=1.0
)
# Five standard values (五档标准值, excellent to poor) on growth rates, as state enterprises are
# rated: coefficients 1.0, 0.8, 0.6, 0.4, 0.2, nothing below the poor value.
_FIVE_SERVICES = _m("efficacy_five_standards", standards=(12.0, 10.0, 8.0, 5.0, 2.0))
_FIVE_RURAL_INCOME = _m("efficacy_five_standards", standards=(9.5, 8.5, 7.5, 6.5, 5.0))
# Ranking (争先进位): GDP growth, 1st gets the points and each place lower 5% less; private
# investment growth by a table for the first five places and 4 points for the rest.
_RANK_GDP = _m("rank_points", step_share=0.05)
_RANK_TABLE = _m("rank_points", table=(7.0, 6.5, 6.0, 5.5, 5.0), beyond_table=4.0)
# Investment attracted, against the best of the category (标杆法).
_BEST = _m("proportional_to_best")
# Deduction per event (扣分制): per work-safety accident, per death, per irregular petition.
_PER_ACCIDENT = _m("deduction", per_event=2.0)
_PER_DEATH = _m("deduction", per_event=5.0)
_PER_PETITION = _m("deduction", per_event=1.0)
# Checklist (缺项扣分): the assessor inspects the unit's ideological-work duties and counts the
# defects found (no plan filed, a missed study session ...); 0.5 points off for each.
_DEFECTS = _m("checklist", worth=0.5, mode="defects")
# Points per event (计次计分), capped at the points: each report in provincial or national media.
_PER_REPORT = _m("per_event_points", per_event=1.0)

# fmt: off
_TREE: tuple[tuple[str, str, tuple[_Group, ...]], ...] = (
    ("经济发展", "Economic development", (
        ("经济运行", "Economic performance", (
            _l("地区生产总值增速", "GDP growth",
               "%", "Q", "D03", "L04", _TE, 3, (6.0, 7.5),
               method=_RANK_GDP),
            _l("规模以上工业增加值增速", "Growth of value added of industry above designated size",
               "%", "M", "D03", "L07", _TE, 3, (6.0, 9.0)),
            _l("第三产业增加值增速", "Growth of tertiary-sector value added",
               "%", "Q", "D03", "L04", _TE, 2, (5.5, 7.5)),
            _l("社会消费品零售总额增速", "Growth of retail sales of consumer goods",
               "%", "M", "D03", "L07", _TE, 2, (4.0, 7.0)),
            _l("限额以上批发零售业销售额", "Sales of wholesale and retail trade above quota",
               "亿元", "M", "D06", "L07", _TE, 1, (0.5, 3.0)),
            _l("规模以上服务业营业收入增速", "Revenue growth of services above designated size",
               "%", "Q", "D03", "L04", _E, 1, (6.0, 10.0),
               method=_FIVE_SERVICES),
            _l("新增规模以上工业企业", "New industrial enterprises above designated size",
               "个", "Y", "D04", "L07", _TE, 2, (1, 4)),
            _l("新增“四上”企业", "New enterprises in the four statistical tiers",
               "个", "Q", "D03", "L04", _TE, 1, (1, 5)),
        )),
        ("投资与项目", "Investment and projects", (
            _l("固定资产投资增速", "Growth of fixed-asset investment",
               "%", "M", "D03", "L04", _TE, 3, (8.0, 12.0)),
            _l("产业投资占固定资产投资比重",
               "Share of industrial investment in fixed-asset investment",
               "%", "Q", "D01", "L04", _E, 2, (35.0, 50.0)),
            _l("重点项目投资完成率", "Completion of key-project investment plans",
               "%", "M", "S04", "L04", _A, 3, (90.0, 100.0), cum=True),
            _l("新开工项目", "Projects started",
               "个", "Q", "S04", "L04", _TE, 2, (2, 8),
               method=_FLOOR_30),
            _l("争取中央预算内投资", "Central budget investment secured",
               "万元", "H", "D01", "L04", _D, 2, (500, 3000)),
            _l("争取地方政府专项债券资金", "Local government special bonds secured",
               "亿元", "H", "D01", "L04", _E, 1, (0.5, 2.0)),
            _l("项目储备入库", "Projects added to the reserve pool",
               "个", "Q", "D01", "L04", _A, 1, (3, 10),
               method=_FLOOR_30),
            _l("民间投资增速", "Growth of private investment",
               "%", "Q", "D03", "L04", _E, 1, (3.0, 8.0),
               method=_RANK_TABLE),
        )),
        ("财政金融", "Public finance and credit", (
            _l("地方一般公共预算收入", "Local general public budget revenue",
               "万元", "M", "D02", "L04", _TE, 3, (800, 6000),
               method=_STEPPED),
            _l("税收收入占地方一般公共预算收入比重",
               "Share of taxes in local general public budget revenue",
               "%", "Q", "D02", "L04", _TE, 2, (60.0, 75.0)),
            _l("非税收入征缴入库", "Non-tax revenue collected",
               "万元", "Q", "D02", "L04", _SG, 1, (200, 1500)),
            _l("金融机构各项存款余额增速", "Growth of deposits of financial institutions",
               "%", "Q", "D02", "L04", _E, 1, (8.0, 12.0)),
            _l("金融机构各项贷款余额增速", "Growth of loans of financial institutions",
               "%", "Q", "D02", "L04", _E, 1, (9.0, 13.0)),
            _l("争取上级转移支付资金", "Transfer payments secured from higher levels",
               "万元", "H", "D02", "L04", _D, 2, (1000, 8000)),
            _l("预算执行进度", "Budget execution progress",
               "%", "Q", "D02", "L04", _D, 1, (90.0, 100.0), cum=True),
        )),
        ("城乡建设", "Urban and rural construction", (
            _l("常住人口城镇化率", "Urbanisation rate of the resident population",
               "%", "Y", "D03", "L10", _T, 1, (45.0, 52.0)),
            _l("商品房销售面积", "Floor space of commercial housing sold",
               "万平方米", "Q", "D12", "L10", _E, 1, (5, 15)),
            _l("城镇老旧小区改造开工", "Old urban residential compounds renovated",
               "个", "H", "D12", "L10", _E, 1, (3, 10)),
            _l("农村公路提质改造里程", "Rural roads upgraded",
               "公里", "Q", "D13", "L10", _TE, 2, (10, 40)),
            _l("农村危房改造", "Dilapidated rural houses renovated",
               "户", "H", "D12", "L10", _T, 1, (10, 40)),
            _l("农村自来水普及率", "Rural tap-water coverage",
               "%", "Y", "D10", "L08", _T, 1, (85.0, 92.0)),
            _l("新增建设用地报批面积", "New construction land approved",
               "亩", "H", "D11", "L10", _E, 1, (200, 800)),
        )),
    )),
    ("重点任务", "Key tasks", (
        ("产业发展（六条优势产业链）", "Industrial development: six advantaged industrial chains", (
            _l("保靖黄金茶产业综合产值",
               "Comprehensive output value of the Baojing golden tea industry",
               "亿元", "Q", "D07", "L08", _TE, 3, (1.0, 2.5)),
            _l("茶叶新增种植面积", "New tea plantations",
               "亩", "H", "D07", "L08", _T, 2, (500, 3000)),
            _l("茶叶加工企业新增产能", "New processing capacity of tea enterprises",
               "吨", "H", "D04", "L08", _E, 1, (50, 300)),
            _l("白酒产业链产值", "Output value of the liquor industrial chain",
               "亿元", "Q", "D04", "L07", _E, 2, (1.0, 4.0)),
            _l("绿色矿业与新材料产业产值", "Output value of green mining and new materials",
               "亿元", "Q", "D04", "L07", _E, 2, (3.0, 10.0)),
            _l("柑橘提质改造面积", "Citrus orchards upgraded",
               "亩", "H", "D07", "L08", _T, 1, (300, 2000)),
            _l("油茶新造及低产林改造面积", "Camellia-oil forest planted or upgraded",
               "亩", "H", "D09", "L08", _T, 1, (300, 1500)),
            _l("中药材种植面积", "Chinese medicinal herbs planted",
               "亩", "H", "D07", "L08", _T, 1, (200, 1500)),
            _l("接待游客人次", "Tourist visits",
               "万人次", "Q", "D14", "L10", _TE, 2, (20, 80),
               method=_CAP_120),
            _l("旅游综合收入", "Total tourism revenue",
               "亿元", "Q", "D14", "L10", _E, 1, (3.0, 10.0)),
            _l("培育产业链链主企业", "Chain-leader enterprises fostered",
               "个", "Y", "D04", "L07", _E, 1, (1, 3)),
        )),
        ("科技创新", "Science and technology innovation", (
            _l("全社会研发经费投入增速", "Growth of R&D expenditure",
               "%", "Y", "D05", "L07", _E, 2, (10.0, 20.0)),
            _l("高新技术企业数", "High-tech enterprises",
               "个", "Y", "D05", "L07", _E, 1, (2, 6)),
            _l("高新技术产业增加值增速", "Growth of high-tech industry value added",
               "%", "Q", "D05", "L07", _E, 1, (8.0, 15.0)),
            _l("省级以上科技计划项目立项", "Provincial or national S&T programme projects approved",
               "项", "Y", "D05", "L07", _ES, 1, (1, 4)),
            _l("科技特派员服务覆盖村数", "Villages served by science and technology commissioners",
               "个", "H", "D05", "L07", _T, 1, (5, 15)),
        )),
        ("改革开放", "Reform and opening up", (
            _l("招商引资到位资金", "Investment attracted and in place",
               "亿元", "M", "D06", "L07", _A, 3, (1.5, 3.0),
               method=_BEST),
            _l("新引进“三类500强”企业项目",
               "Projects of global, national and private top-500 enterprises",
               "个", "Y", "D06", "L07", _E, 1, (1, 2)),
            _l("实际使用外资", "Foreign capital actually used",
               "万美元", "H", "D06", "L07", _E, 1, (50, 300)),
            _l("外贸进出口总额", "Total foreign trade",
               "亿元", "Q", "D06", "L07", _E, 1, (0.3, 1.5)),
            _l("政务服务事项网上可办率", "Share of government services available online",
               "%", "Q", "D32", "L04", _SG, 2, (90.0, 99.0)),
            _l("“一件事一次办”办件量", "Cases handled under the one-thing-one-visit reform",
               "件", "Q", "D32", "L04", _SG, 1, (200, 1000)),
            _l("重点领域改革任务完成率", "Completion of key reform tasks",
               "%", "H", "D01", "L02", _A, 2, (90.0, 100.0), cum=True),
        )),
        ("乡村振兴", "Rural revitalisation", (
            _l("村集体经济收入", "Village collective economy income",
               "万元", "Y", "D07", "L03", _T, 3, (150, 500)),
            _l("集体经济收入10万元以上村占比",
               "Share of villages with collective income over 100,000 yuan",
               "%", "Y", "D07", "L03", _T, 2, (60.0, 90.0)),
            _l("农村居民人均可支配收入增速",
               "Growth of rural residents' per-capita disposable income",
               "%", "Q", "D03", "L03", _TE, 2, (7.0, 9.0),
               method=_FIVE_RURAL_INCOME),
            _l("脱贫人口人均纯收入增速",
               "Growth of per-capita net income of people lifted out of poverty",
               "%", "H", "D08", "L03", _T, 2, (10.0, 14.0)),
            _l("防止返贫监测对象风险消除率",
               "Risks eliminated among households monitored for relapse into poverty",
               "%", "Q", "D08", "L03", _TE, 2, (75.0, 95.0), cum=True),
            _l("粮食播种面积", "Grain sown area",
               "万亩", "Y", "D07", "L08", _T, 2, (1.0, 3.0)),
            _l("高标准农田建设面积", "High-standard farmland built",
               "亩", "Y", "D07", "L08", _TE, 1, (1000, 5000)),
            _l("衔接资金项目支出进度", "Spending progress of rural-revitalisation linkage funds",
               "%", "Q", "D08", "L03", _E, 1, (85.0, 100.0), cum=True),
            _l("后盾单位驻村帮扶责任落实", "Village-assistance duties of sponsoring departments",
               "分", "H", "D08", "L03", _D, 1, (8.0, 10.0)),
        )),
        ("县域经济", "County economy", (
            _l("园区规模以上工业增加值增速",
               "Growth of industrial value added in the industrial park",
               "%", "Q", "D04", "L07", _E, 1, (8.0, 12.0)),
            _l("园区亩均税收", "Tax revenue per mu of park land",
               "万元/亩", "Y", "D04", "L07", _E, 1, (5.0, 12.0)),
            _l("市场主体净增", "Net increase of market entities",
               "户", "Q", "D22", "L07", _TE, 2, (100, 500),
               method=_CAP_120),
            _l("中心集镇建设项目完成率", "Completion of central market-town construction projects",
               "%", "H", "D12", "L10", _T, 1, (85.0, 100.0), cum=True),
        )),
        ("财源建设", "Fiscal-source building", (
            _l("财源建设重点项目入库税收", "Tax revenue from key fiscal-source projects",
               "万元", "Q", "D02", "L04", _E, 2, (500, 3000),
               method=_STEPPED_LINEAR),
            _l("新增纳税过百万元企业", "New enterprises paying over one million yuan in tax",
               "个", "Y", "D02", "L04", _TE, 1, (1, 3)),
            _l("国有土地使用权出让收入", "Revenue from state land-use right transfers",
               "亿元", "Q", "D11", "L04", _E, 1, (0.5, 3.0)),
            _l("协税护税入库税款", "Tax collected through tax-assistance work",
               "万元", "Q", "D02", "L04", _T, 1, (50, 300)),
        )),
    )),
    ("民生保障", "People's livelihood", (
        ("就业与收入", "Employment and income", (
            _l("城镇新增就业人数", "New urban jobs",
               "人", "Q", "D17", "L09", _TS, 2, (150, 600),
               method=_CAP_120),
            _l("城镇调查失业率", "Surveyed urban unemployment rate",
               "%", "Q", "D17", "L09", _S, 1, (5.0, 5.5), lower=True,
               method=_EFFICACY_JOBLESS),
            _l("居民人均可支配收入增速", "Growth of residents' per-capita disposable income",
               "%", "Q", "D03", "L09", _ES, 2, (7.0, 8.0)),
            _l("城镇居民人均可支配收入增速",
               "Growth of urban residents' per-capita disposable income",
               "%", "Q", "D03", "L09", _S, 1, (6.0, 7.5)),
            _l("农村劳动力转移就业新增人数", "Rural workers newly moved into employment",
               "人", "H", "D17", "L09", _T, 2, (300, 1200)),
            _l("拖欠农民工工资案件结案率", "Closure rate of migrant-worker wage-arrears cases",
               "%", "Q", "D17", "L09", _ES, 1, (95.0, 100.0)),
        )),
        ("社会保障", "Social security", (
            _l("城乡居民基本养老保险参保率",
               "Enrolment in basic pension insurance for urban and rural residents",
               "%", "H", "D17", "L09", _TS, 2, (90.0, 97.0)),
            _l("城乡居民基本医疗保险参保率",
               "Enrolment in basic medical insurance for urban and rural residents",
               "%", "H", "D19", "L09", _TS, 2, (95.0, 98.0)),
            _l("城乡低保应保尽保率", "Coverage of eligible people by minimum living allowances",
               "%", "Q", "D18", "L09", _TS, 1, (98.0, 100.0),
               method=_MET_OR_NOTHING),
            _l("医保基金智能监控审核覆盖率",
               "Coverage of intelligent monitoring of medical insurance funds",
               "%", "Q", "D19", "L09", _S, 1, (90.0, 100.0)),
            _l("残疾人两项补贴发放准确率",
               "Accuracy of the two subsidies for people with disabilities",
               "%", "Q", "D18", "L09", _S, 1, (98.0, 100.0)),
            _l("特困人员救助供养覆盖率", "Coverage of support for people in extreme difficulty",
               "%", "H", "D18", "L09", _TS, 1, (98.0, 100.0),
               method=_MET_OR_NOTHING),
        )),
        ("教育卫生", "Education and health", (
            _l("学前三年毛入园率", "Gross enrolment in three-year preschool education",
               "%", "Y", "D15", "L09", _TS, 1, (88.0, 93.0)),
            _l("义务教育巩固率", "Retention rate of compulsory education",
               "%", "Y", "D15", "L09", _TS, 2, (98.0, 99.5)),
            _l("适龄儿童少年辍学人数", "School-age children dropping out",
               "人", "Q", "D15", "L09", _T, 1, (1, 3), lower=True),
            _l("每千人口执业（助理）医师数", "Licensed (assistant) doctors per 1,000 people",
               "人/千人", "Y", "D16", "L09", _S, 1, (2.3, 2.8)),
            _l("婴儿死亡率", "Infant mortality rate",
               "‰", "H", "D16", "L09", _S, 1, (4.0, 5.5), lower=True),
            _l("家庭医生签约服务覆盖率", "Coverage of family-doctor contracts",
               "%", "H", "D16", "L09", _TS, 1, (45.0, 60.0)),
            _l("65岁及以上老年人健康管理率", "Health management of people aged 65 and over",
               "%", "H", "D16", "L09", _TS, 1, (65.0, 75.0)),
        )),
        ("民生实事与公共服务", "Livelihood projects and public services", (
            _l("重点民生实事项目完成率", "Completion of key livelihood projects",
               "%", "Q", "S05", "L09", _A, 3, (95.0, 100.0), cum=True),
            _l("食品安全抽检合格率", "Pass rate of food-safety sampling",
               "%", "Q", "D22", "L07", _S, 1, (97.0, 99.0)),
            _l("社区居家养老服务站覆盖率", "Coverage of community home-care stations",
               "%", "Y", "D18", "L09", _TS, 1, (60.0, 85.0)),
            _l("公共文化场馆免费开放服务人次", "Visits to free public cultural venues",
               "万人次", "H", "D14", "L10", _S, 1, (5, 20)),
            _l("12345政务服务便民热线办结满意率",
               "Satisfaction with cases closed by the 12345 hotline",
               "%", "M", "D32", "L04", _A, 2, (90.0, 98.0)),
            _l("困难群众冬春生活救助发放率", "Winter and spring relief paid to people in hardship",
               "%", "Q", "D18", "L09", _T, 1, (98.0, 100.0), cum=True),
        )),
    )),
    ("生态文明", "Ecological civilisation", (
        ("环境质量", "Environmental quality", (
            _l("空气质量优良天数比例", "Share of days with good air quality",
               "%", "M", "D21", "L10", _TS, 2, (93.0, 97.0),
               method=_EFFICACY_AIR),
            _l("细颗粒物（PM2.5）平均浓度", "Average PM2.5 concentration",
               "微克/立方米", "M", "D21", "L10", _S, 1, (25, 32), lower=True,
               method=_EFFICACY_PM25),
            _l("地表水考核断面水质达标率", "Compliance of assessed surface-water sections",
               "%", "M", "D21", "L10", _TS, 2, (95.0, 100.0)),
            _l("受污染耕地安全利用率", "Safe use of polluted farmland",
               "%", "Y", "D21", "L08", _T, 1, (90.0, 95.0)),
            _l("突出生态环境问题整改完成率", "Rectification of prominent environmental problems",
               "%", "Q", "D21", "L10", _A, 3, (90.0, 100.0), cum=True),
            _l("节约型机关创建达标率", "Agencies meeting the resource-saving standard",
               "%", "Y", "D01", "L04", _SG, 1, (85.0, 100.0)),
        )),
        ("生态保护", "Ecological protection", (
            _l("森林覆盖率", "Forest coverage",
               "%", "Y", "D09", "L08", _TE, 2, (68.0, 72.0)),
            _l("森林火灾受害率", "Forest area damaged by fire",
               "‰", "Y", "D09", "L08", _T, 1, (0.3, 0.8), lower=True),
            _l("人工造林及森林抚育面积", "Afforestation and forest tending",
               "亩", "H", "D09", "L08", _T, 1, (1000, 5000)),
            _l("河湖“清四乱”问题整改销号率", "Clearance of the four disorders on rivers and lakes",
               "%", "Q", "D10", "L08", _TE, 1, (95.0, 100.0), cum=True),
            _l("林长巡林履职率", "Patrol duty performance of forest chiefs",
               "%", "Q", "D09", "L08", _T, 1, (90.0, 100.0)),
            _l("新增违法占用耕地面积", "Farmland newly occupied illegally",
               "亩", "Q", "D11", "L10", _T, 1, (5, 20), lower=True),
        )),
        ("绿色发展与人居环境", "Green development and living environment", (
            _l("单位地区生产总值能耗", "Energy use per unit of GDP",
               "吨标准煤/万元", "Y", "D01", "L04", _E, 2, (0.4, 0.55), lower=True),
            _l("农村人居环境整治村庄达标率",
               "Villages meeting the rural living-environment standard",
               "%", "H", "D07", "L03", _T, 3, (80.0, 95.0)),
            _l("农村卫生户厕改造", "Rural household toilets upgraded",
               "户", "H", "D07", "L03", _T, 1, (200, 800)),
            _l("城乡生活垃圾无害化处理率", "Safe treatment of household waste",
               "%", "Q", "D12", "L10", _TS, 1, (90.0, 99.0)),
            _l("农村生活污水治理率", "Treatment of rural domestic sewage",
               "%", "Y", "D21", "L10", _T, 1, (25.0, 40.0)),
            _l("公共机构人均综合能耗下降率",
               "Reduction of per-capita energy use of public institutions",
               "%", "Y", "D01", "L04", _SG, 1, (1.0, 2.0)),
        )),
    )),
    ("党的建设与社会治理", "Party building and social governance", (
        ("党的建设", "Party building", (
            _l("基层党组织标准化规范化建设达标率",
               "Primary Party organisations meeting the standardisation norms",
               "%", "H", "D25", "L05", _A, 3, (90.0, 100.0)),
            _l("“三会一课”制度落实率", "Implementation of the three-meetings-and-one-lesson system",
               "%", "Q", "D25", "L05", _A, 2, (95.0, 100.0)),
            _l("发展党员计划完成率", "Completion of the plan for admitting Party members",
               "%", "Y", "D25", "L05", _A, 1, (90.0, 100.0), cum=True),
            _l("软弱涣散基层党组织整顿转化率",
               "Weak and lax primary Party organisations turned around",
               "%", "H", "D25", "L05", _T, 2, (90.0, 100.0), cum=True),
            _l("干部教育培训学时达标率", "Cadres meeting the training-hours requirement",
               "%", "Y", "D25", "L05", _D, 1, (90.0, 100.0)),
            _l("引进急需紧缺人才", "Urgently needed talent recruited",
               "人", "Y", "D25", "L05", _D, 1, (2, 10)),
            _l("意识形态工作责任制落实", "Responsibility system for ideological work",
               "项", "H", "D26", "L03", _A, 2, (1, 3), lower=True,
               method=_DEFECTS, events=1.0),
            _l("省级以上媒体宣传报道", "Reports in provincial or national media",
               "篇", "Q", "D26", "L03", _A, 1, (5, 20),
               method=_PER_REPORT),
            _l("民族团结进步创建达标率", "Units meeting the ethnic-unity-and-progress standard",
               "%", "Y", "D27", "L03", _A, 1, (90.0, 100.0)),
        )),
        ("平安建设", "Safety and security", (
            _l("安全生产事故起数", "Work-safety accidents",
               "起", "M", "D23", "L10", _A, 3, (1, 3), lower=True,
               method=_PER_ACCIDENT, events=0.6),
            _l("安全生产事故死亡人数", "Deaths in work-safety accidents",
               "人", "M", "D23", "L10", _A, 2, (1, 2), lower=True,
               method=_PER_DEATH, events=0.1),
            _l("安全生产隐患排查整改率", "Rectification of work-safety hazards found",
               "%", "M", "D23", "L10", _A, 2, (95.0, 100.0)),
            _l("信访事项及时受理率", "Timely acceptance of petitions",
               "%", "M", "D30", "L06", _A, 1, (95.0, 100.0)),
            _l("进京赴省非正常上访人次", "Irregular petitions to Beijing or the provincial capital",
               "人次", "M", "D30", "L06", _A, 2, (1, 3), lower=True,
               method=_PER_PETITION, events=0.6),
            _l("信访积案化解率", "Resolution of long-standing petition cases",
               "%", "Q", "D30", "L06", _A, 1, (80.0, 95.0), cum=True),
            _l("群众安全感满意度", "Public sense of security",
               "%", "Y", "D28", "L06", _TG, 2, (90.0, 95.0)),
            _l("“八五”普法责任制落实率",
               "Implementation of the eighth five-year legal-education plan",
               "%", "H", "D29", "L06", _A, 1, (90.0, 100.0)),
            _l("矛盾纠纷排查调处成功率", "Success rate of dispute mediation",
               "%", "Q", "D29", "L06", _TG, 1, (95.0, 99.0)),
            _l("电信网络诈骗案件发案数", "Telecom and online fraud cases",
               "起", "M", "D28", "L06", _T, 1, (5, 15), lower=True),
        )),
        ("法治与作风效能", "Rule of law and efficiency", (
            _l("法治政府建设重点任务完成率", "Completion of key tasks for law-based government",
               "%", "H", "D29", "L06", _SG, 1, (90.0, 100.0), cum=True),
            _l("行政复议纠错率", "Decisions corrected on administrative review",
               "%", "Y", "D29", "L06", _SG, 1, (3.0, 8.0), lower=True),
            _l("行政诉讼案件败诉率", "Administrative lawsuits lost",
               "%", "Y", "D29", "L06", _D, 1, (3.0, 10.0), lower=True),
            _l("县委重大决策部署督查事项办结率",
               "Closure of supervised items on major county Party committee decisions",
               "%", "Q", "S01", "L01", _A, 2, (95.0, 100.0), cum=True),
            _l("政府工作报告重点任务完成率",
               "Completion of key tasks in the government work report",
               "%", "Q", "S02", "L02", _D, 2, (95.0, 100.0), cum=True),
            _l("审计发现问题整改率", "Rectification of audit findings",
               "%", "H", "D31", "L02", _D, 1, (90.0, 100.0)),
            _l("指标进展缓慢提醒单整改完成率",
               "Rectification after reminder notices on slow indicators",
               "%", "Q", "S03", "L05", _A, 1, (90.0, 100.0)),
            _l("“一月一帮促”难点问题解决率",
               "Difficult problems solved through monthly help visits",
               "%", "Q", "S03", "L05", _A, 1, (80.0, 95.0), cum=True),
        )),
    )),
)
# fmt: on

# Leaves that implement no prefecture indicator (the county's own additions).
COUNTY_OWN_LEAF_NAMES: tuple[str, ...] = (
    "指标进展缓慢提醒单整改完成率",
    "“一月一帮促”难点问题解决率",
)

# Prefecture indicators with no county counterpart (they do not apply to Baojing).
_UNMAPPED_SOURCES: tuple[str, ...] = (
    "国家级经济技术开发区综合排名进位",
    "高铁站旅客发送量增速",
)


def _share_points(total: int, weights: list[int]) -> list[float]:
    """Split ``total`` over ``weights`` in steps of 0.5, summing exactly to ``total``."""
    whole = sum(weights)
    halves = [max(1, round(2 * total * w / whole)) for w in weights]
    heaviest = weights.index(max(weights))
    halves[heaviest] += 2 * total - sum(halves)
    if halves[heaviest] < 1:
        raise ValueError("points cannot be shared: a leaf would get nothing")
    return [h / 2 for h in halves]


def _build() -> tuple[tuple[Indicator, ...], tuple[SourceIndicator, ...]]:
    nodes: list[Indicator] = []
    sources: list[SourceIndicator] = []
    for i, (name1, en1, groups) in enumerate(_TREE, start=1):
        code1 = f"I{i}"
        nodes.append(Indicator(code1, name1, en1, 1, None))
        flat = [leaf for _, _, group_leaves in groups for leaf in group_leaves]
        points: list[dict[str, float]] = [{} for _ in flat]
        for category in CATEGORY_CODES:
            members = [k for k, leaf in enumerate(flat) if category in leaf.applies]
            if not members:
                raise ValueError(f"{code1} has no leaf for category {category}")
            shares = _share_points(
                FIRST_LEVEL_POINTS[code1][category], [flat[k].weight for k in members]
            )
            for k, share in zip(members, shares, strict=True):
                points[k][category] = share
        k = 0
        for j, (name2, en2, group_leaves) in enumerate(groups, start=1):
            code2 = f"{code1}.{j}"
            nodes.append(Indicator(code2, name2, en2, 2, code1))
            for n, leaf in enumerate(group_leaves, start=1):
                source = ""
                if leaf.name not in COUNTY_OWN_LEAF_NAMES:
                    source = f"Z{len(sources) + 1:03d}"
                    sources.append(SourceIndicator(source, leaf.name))
                cumulative = leaf.cumulative
                if cumulative is None:
                    cumulative = leaf.uom in _CUMULATIVE_UNITS
                ordered = {c: points[k][c] for c in CATEGORY_CODES if c in points[k]}
                nodes.append(
                    Indicator(
                        code=f"{code2}.{n:02d}",
                        name=leaf.name,
                        name_en=leaf.name_en,
                        level=3,
                        parent_code=code2,
                        unit_of_measure=leaf.uom,
                        higher_is_better=not leaf.lower,
                        frequency=_FREQ[leaf.freq],
                        assessor_code=leaf.assessor,
                        leader_code=leaf.leader,
                        points=MappingProxyType(ordered),
                        source_code=source,
                        method=leaf.method,
                        demo_target=(float(leaf.target[0]), float(leaf.target[1])),
                        cumulative=cumulative,
                        demo_events=leaf.events,
                    )
                )
                k += 1
    for name in _UNMAPPED_SOURCES:
        sources.append(SourceIndicator(f"Z{len(sources) + 1:03d}", name))
    return tuple(nodes), tuple(sources)


INDICATORS, SOURCE_INDICATORS = _build()
_BY_CODE: Mapping[str, Indicator] = MappingProxyType({i.code: i for i in INDICATORS})

COUNTY_OWN_LEAF_CODES: tuple[str, ...] = tuple(
    i.code for i in INDICATORS if i.is_leaf and not i.source_code
)
UNMAPPED_SOURCE_CODES: tuple[str, ...] = tuple(
    s.code for s in SOURCE_INDICATORS if s.name in _UNMAPPED_SOURCES
)


def indicator(code: str) -> Indicator:
    """The indicator with this code (KeyError if there is none)."""
    return _BY_CODE[code]


def leaves() -> list[Indicator]:
    """All leaf (third-level) indicators, in tree order."""
    return [i for i in INDICATORS if i.is_leaf]


def first_level() -> list[Indicator]:
    return [i for i in INDICATORS if i.level == 1]


def children(code: str | None) -> list[Indicator]:
    """Direct children of ``code`` in tree order; ``None`` gives the first level."""
    return [i for i in INDICATORS if i.parent_code == code]


def descendant_leaves(code: str) -> list[Indicator]:
    """The leaves under ``code`` (the indicator itself if it is a leaf)."""
    node = _BY_CODE[code]
    if node.is_leaf:
        return [node]
    return [leaf for child in children(code) for leaf in descendant_leaves(child.code)]


def leaves_for_category(category_code: str) -> list[Indicator]:
    """The leaves that apply to a category (those with points for it)."""
    return [i for i in leaves() if category_code in i.points]


def category_points(code: str, category_code: str) -> float:
    """What a node is worth for a category: the sum of its applicable leaves' points."""
    return sum(leaf.points.get(category_code, 0.0) for leaf in descendant_leaves(code))


def source_indicator(code: str) -> SourceIndicator:
    return next(s for s in SOURCE_INDICATORS if s.code == code)
