"""Self-evaluation rules: 执行率, 得分 ≤ 分值, 总分, 偏差原因, score bands."""
from __future__ import annotations

from decimal import Decimal

from ..scoring import MET, printed_rate, round2, to_decimal
from ..taxonomy import ROLE_LABELS
from . import Hit, rule


def _score(ctx):
    return ctx.selfscore


@rule("selfeval.rate", "执行率与执行数/预算数不符", needs="execution")
def rate(ctx):
    s, printed = _score(ctx), printed_rate(ctx.form)
    if s is None or s.rate is None or printed is None:
        return
    expected = round2(s.rate * 100)
    if abs(expected - printed) > ctx.t("rate_tolerance") * 100:
        yield Hit("execution.rate",
                  f"执行率应为 {expected}%（全年执行数 {s.executed:,} ÷ 全年预算数 {s.planned:,}），"
                  f"表中为 {ctx.form.execution.rate}")


@rule("selfeval.rate_score", "预算执行率得分不符", needs="execution")
def rate_score(ctx):
    s = _score(ctx)
    printed = to_decimal(ctx.form.execution.score) if s else None
    if s is None or s.rate is None or printed is None:
        return
    if abs(printed - s.rate_score) > ctx.t("score_tolerance"):
        yield Hit("execution.score",
                  f"预算执行率得分应为 {s.rate_score}（min(执行率, 100%) × 分值 {s.rate_weight}），"
                  f"表中为 {printed}")


@rule("selfeval.score_le_weight", "得分超过分值", needs="execution")
def score_le_weight(ctx):
    s = _score(ctx)
    for item in s.items if s else ():
        if item.printed is not None and item.weight is not None and item.printed > item.weight:
            yield Hit(f"indicators[{item.index}].score",
                      f"得分 {item.printed} 超过分值 {item.weight}", item.name)


@rule("selfeval.total", "总分与各项得分之和不符", needs="execution")
def total(ctx):
    s = _score(ctx)
    if s is None or s.printed_total is None:
        return
    if abs(s.printed_total - s.total) > ctx.t("score_tolerance"):
        yield Hit("execution.total_score",
                  f"总分应为 {s.total}（预算执行率得分 {s.rate_score} + 各指标得分），表中为 {s.printed_total}")


@rule("selfeval.weights", "分值与权重不符", "提示", needs="execution")
def weights(ctx):
    s = _score(ctx)
    if s is None:
        return
    total = s.rate_weight + sum((i.weight for i in s.items if i.weight is not None), Decimal(0))
    if total != 100:
        yield Hit("execution.total_weight", f"各项分值之和为 {total}，应为 100")
    by_role: dict[str, Decimal] = {}
    for item in s.items:
        if item.weight is not None and item.role:
            by_role[item.role] = by_role.get(item.role, Decimal(0)) + item.weight
    for role, expected in ctx.profile.weights.items():
        if role in by_role and by_role[role] != expected:
            yield Hit("indicators", f"{ROLE_LABELS.get(role, role)}指标分值合计 {by_role[role]}，"
                                    f"评分办法规定为 {expected}")


@rule("selfeval.deviation", "未达成目标却没有偏差原因", needs="execution")
def deviation(ctx):
    s = _score(ctx)
    for item in s.items if s else ():
        short = item.status != MET or (
            item.printed is not None and item.weight is not None and item.printed < item.weight)
        if short and not ctx.form.indicators[item.index].deviation.strip():
            yield Hit(f"indicators[{item.index}].deviation",
                      f"“{item.name}”未完全达成（{item.status}，得分 {item.printed or item.computed}），"
                      f"请填写偏差原因分析及改进措施", item.name)


@rule("selfeval.score_band", "得分与完成情况不符", "提示", needs="execution")
def score_band(ctx):
    s = _score(ctx)
    tol = ctx.t("score_tolerance")
    for item in s.items if s else ():
        if item.printed is None or item.weight is None or not item.weight:
            continue
        if item.computed is not None:
            if abs(item.computed - item.printed) > tol:
                yield Hit(f"indicators[{item.index}].score",
                          f"按实际完成值计算得分应为 {item.computed}，表中为 {item.printed}", item.name)
            continue
        low, high = ctx.profile.bands.get(item.status, (Decimal(0), Decimal(1)))
        share = item.printed / item.weight
        if not low <= share <= high:
            yield Hit(f"indicators[{item.index}].score",
                      f"定性指标完成情况为“{item.status}”，得分应在分值的 {low:.0%}～{high:.0%}"
                      f"（{round2(low * item.weight)}～{round2(high * item.weight)}），表中为 {item.printed}",
                      item.name)
