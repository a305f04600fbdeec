"""The demo county comes with three synthetic earlier years, forecasts and a back-test."""

from __future__ import annotations

import datetime as dt

from kaohe.demo.history import shape_of

TODAY = dt.date(2026, 6, 15)


def test_indicator_names_pick_plausible_seasonal_shapes() -> None:
    assert shape_of("重点项目投资完成率") == "back"
    assert shape_of("地方一般公共预算收入") == "year_end"
    assert shape_of("接待游客人次") == "holiday"
    assert shape_of("人工造林及森林抚育面积") == "spring"
    assert shape_of("城镇新增就业人数") == "even"
