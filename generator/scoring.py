"""Scoring the 绩效自评表: 执行率, indicator scores, 总分 and 等级.

Weights, bands and grades come from the profile.  Every score is rounded to
two decimals, half up, as the forms print them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .model import Form, effective_levels
from .numbers import AmountError, parse_amount, parse_percent
from .profile import Profile, profile_for
from .targets import QUANT, Target, parse_target
from .taxonomy import taxonomy_for

CENT = Decimal("0.01")
MET, PARTIAL, MISSED = "达成", "部分达成", "未达成"
_MISSED_WORDS = re.compile(r"未|没有|无法|不能|尚未")
_PARTIAL_WORDS = re.compile(r"部分|基本|大部|有待|进一步")


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return parse_amount(value)
    except AmountError:
        return None


def execution_score(executed: Decimal, planned: Decimal, weight: Decimal) -> Decimal:
    """min(执行数 / 预算数, 1) × 分值, never below 0."""
    if planned <= 0:
        return Decimal(0)
    return round2(min(max(executed / planned, Decimal(0)), Decimal(1)) * weight)


def quantitative_score(target: Target, actual: Target, weight: Decimal) -> Decimal | None:
    """The score of a quantitative indicator, or None when it can't be computed."""
    if target.kind != QUANT or actual.kind != QUANT or target.number is None or actual.number is None:
        return None
    t, a = target.number, actual.number
    if target.direction == "反向":
        if a <= t:
            return round2(weight)
        if t <= 0 or a >= 2 * t:
            return Decimal("0.00")
        return round2((1 - (a - t) / t) * weight)
    if a >= t:
        return round2(weight)
    if t <= 0:
        return Decimal("0.00")
    return round2(max(a, Decimal(0)) / t * weight)


def score_indicator(target_text: str, actual_text: str, weight) -> Decimal | None:
    """JX_SCORE: target, actual, weight → score (None for qualitative values)."""
    w = to_decimal(weight)
    if w is None:
        return None
    return quantitative_score(parse_target(target_text), parse_target(actual_text), w)


def qualitative_status(actual_text: str) -> str:
    """达成 / 部分达成 / 未达成 from what the clerk wrote as the actual."""
    text = actual_text or ""
    if not text.strip() or _MISSED_WORDS.search(text):
        return MISSED
    return PARTIAL if _PARTIAL_WORDS.search(text) else MET


@dataclass
class ItemScore:
    index: int
    name: str
    role: str                 # output / benefit / satisfaction / …
    weight: Decimal | None
    printed: Decimal | None   # 得分 as the form says
    computed: Decimal | None  # by the formula; None for qualitative
    status: str               # 达成 / 部分达成 / 未达成
    quantitative: bool

    @property
    def score(self) -> Decimal:
        """What counts towards 总分: the clerk's score, else the computed one."""
        return self.printed if self.printed is not None else (self.computed or Decimal(0))


@dataclass
class SelfScore:
    project: str
    planned: Decimal | None
    executed: Decimal | None
    rate: Decimal | None          # fraction, e.g. 0.98878
    rate_weight: Decimal
    rate_score: Decimal
    items: list[ItemScore] = field(default_factory=list)
    total: Decimal = Decimal(0)
    grade: str = ""
    printed_total: Decimal | None = None

    def as_dict(self) -> dict:
        pct = None if self.rate is None else f"{round2(self.rate * 100)}%"
        return {
            "project": self.project, "执行率": pct, "执行率得分": str(self.rate_score),
            "指标": [{"指标": i.name, "分值": _s(i.weight), "表中得分": _s(i.printed),
                      "计算得分": _s(i.computed), "完成情况": i.status} for i in self.items],
            "总分": str(self.total), "表中总分": _s(self.printed_total), "等级": self.grade,
        }


def _s(value) -> str | None:
    return None if value is None else str(value)


def _total_line(form: Form):
    lines = form.execution.lines if form.execution else []
    return next((line for line in lines if "总额" in line.item), lines[0] if lines else None)


def _item(form: Form, index: int, role: str) -> ItemScore:
    ind = form.indicators[index]
    target, actual = parse_target(ind.target), parse_target(ind.actual)
    weight = to_decimal(ind.weight)
    computed = quantitative_score(target, actual, weight) if weight is not None else None
    quantitative = target.kind == QUANT
    if quantitative and computed is not None:
        status = MET if weight is not None and computed >= weight else PARTIAL if computed else MISSED
    else:
        status = qualitative_status(ind.actual)
    return ItemScore(index, ind.name, role, weight, to_decimal(ind.score), computed, status, quantitative)


def score_form(form: Form, profile: Profile | None = None) -> SelfScore:
    profile = profile or profile_for(form.region)
    tax = taxonomy_for(form.region, form.year)
    line = _total_line(form)
    planned = to_decimal(line.planned) if line else None
    executed = to_decimal(line.executed) if line else None
    weight = to_decimal(form.execution.weight) if form.execution else None
    weight = weight if weight is not None else profile.weights.get("execution", Decimal(10))
    rate = executed / planned if planned and executed is not None else None
    rate_score = execution_score(executed, planned, weight) if rate is not None else Decimal("0.00")
    levels = effective_levels(form.indicators)
    items = []
    for i, ind in enumerate(form.indicators):
        if not ind.name.strip() and ind.weight is None:
            continue
        level1 = tax.find1(levels[i][0])
        items.append(_item(form, i, level1.role if level1 else ""))
    total = round2(rate_score + sum((item.score for item in items), Decimal(0)))
    printed = to_decimal(form.execution.total_score) if form.execution else None
    return SelfScore(form.project.name, planned, executed, rate, weight, rate_score, items,
                     total, profile.grade(total), printed)


def printed_rate(form: Form) -> Decimal | None:
    """执行率 as printed on the form, in percent."""
    return parse_percent(form.execution.rate) if form.execution and form.execution.rate else None
