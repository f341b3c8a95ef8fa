"""Scoring the 绩效自评表: seed 003 exactly as printed, and the formulas' bounds."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from conftest import seed
from generator.profile import profile_for
from generator.scoring import (execution_score, qualitative_status, quantitative_score,
                                score_form, score_indicator)
from generator.targets import parse_target


def test_seed_003_scores_exactly_as_printed():
    first, second = (score_form(f) for f in seed(3).forms)
    assert (first.rate_score, first.total) == (Decimal("9.89"), Decimal("98.89"))
    assert (second.rate_score, second.total) == (Decimal("9.96"), Decimal("98.96"))
    assert first.total == first.printed_total and second.total == second.printed_total
    assert first.grade == second.grade == "优"


def test_seed_003_rate_is_execution_over_budget():
    first = score_form(seed(3).forms[0])
    assert f"{first.rate * 100:.2f}" == "98.88"


def test_positive_negative_and_qualitative_scores():
    assert score_indicator("≥90%", "=95%", 10) == Decimal("10.00")
    assert score_indicator("≥90%", "=45%", 10) == Decimal("5.00")
    assert score_indicator(">=100%", ">=99%", 10) == Decimal("9.90")
    assert score_indicator("≤48小时", "=24小时", 10) == Decimal("10.00")
    assert score_indicator("≤48小时", "=72小时", 10) == Decimal("5.00")
    assert score_indicator("≤48小时", "=96小时", 10) == Decimal("0.00")
    assert score_indicator("及时", "按时完成", 10) is None


def test_qualitative_status_words():
    assert qualitative_status("系统全年运行稳定") == "达成"
    assert qualitative_status("基本完成，考核机制有进一步完善的空间") == "部分达成"
    assert qualitative_status("未完成") == "未达成"


def test_grades_from_the_profile():
    profile = profile_for("上海")
    assert [profile.grade(Decimal(x)) for x in (95, 85, 65, 10)] == ["优", "良", "中", "差"]


numbers = st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=2)
ops = st.sampled_from(["=", "≥", "≤", ">", "<"])


@given(ops, numbers, numbers, st.integers(min_value=0, max_value=100))
def test_score_is_always_within_zero_and_weight(op, target, actual, weight):
    score = quantitative_score(parse_target(f"{op}{target}个"), parse_target(f"={actual}个"),
                               Decimal(weight))
    assert score is not None and Decimal(0) <= score <= weight


@given(numbers, numbers, st.integers(min_value=0, max_value=100))
def test_execution_score_within_zero_and_weight(executed, planned, weight):
    assert Decimal(0) <= execution_score(executed, planned, Decimal(weight)) <= weight
