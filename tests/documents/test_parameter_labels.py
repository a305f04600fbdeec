"""Every scoring method's parameters have a name in words, and read as people read them."""

from __future__ import annotations

from django.utils import translation

from kaohe.documents.parameter_text import PARAMETER_LABELS, method_problem, parameters_words
from kaohe.schemes.selectors import method_text
from kaohe.scoring.registry import REGISTRY


def test_every_parameter_of_every_method_has_a_label() -> None:
    missing = [
        f"{code}.{name}"
        for code, spec in REGISTRY.items()
        for name in spec.params
        if name not in PARAMETER_LABELS.get(code, {})
    ]
    assert missing == []


def test_parameters_read_in_words_with_shares_in_per_cent() -> None:
    method = {"kind": "completion_ratio", "cap": 1.2, "floor": 0}
    with translation.override("zh-hans"):
        assert parameters_words(method) == "封顶 120%，保底 0"
        assert method_text(method) == "完成率计分（封顶 120%，保底 0）"
        assert (
            parameters_words({"kind": "rank_points", "table": [60, 57.5]}) == "各名次得分 60、57.5"
        )
    with translation.override("en"):
        assert parameters_words(method) == "Cap 120%, Floor 0"


def test_the_registrys_problems_are_translated_and_name_the_field() -> None:
    with translation.override("zh-hans"):
        assert method_problem("cap must be at least 0.01, got -1.0", "completion_ratio") == (
            "封顶不得小于1%。"
        )
        assert (
            method_problem(
                "unknown parameter 'step_share' for completion_ratio; "
                "known: cap, floor, all_or_nothing",
                "completion_ratio",
            )
            == "完成率计分没有参数“step_share”。"
        )
        assert method_problem(
            "satisfactory is required for efficacy_coefficient", "efficacy_coefficient"
        ) == ("请填写满意值。")
