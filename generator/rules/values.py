"""Value rules: what each 指标值 says, and whether it sits in its own column."""
from __future__ import annotations

from ..targets import (EMPTY, PLACEHOLDER, QUAL, QUANT, UNREADABLE, describe,
                       is_number_like_name, looks_like_value)
from . import Hit, rule

# Columns a value may have slipped into, with their names on the form.
_OTHER_COLUMNS = (("level1", "一级指标"), ("level2", "二级指标"), ("note", "备注"),
                  ("explanation", "指标解释"), ("source", "目标值来源"))
_GROWTH = ("增长", "增幅", "提高", "提升")


def _misplaced_value(ind) -> tuple[str, str] | None:
    """(column label, text) of a value written outside the 指标值 column."""
    if looks_like_value(ind.name):
        return "三级指标", ind.name.strip()
    for attr, label in _OTHER_COLUMNS:
        text = getattr(ind, attr).strip()
        if text and looks_like_value(text):
            return label, text
    return None


@rule("value.shifted", "指标值填在了其他栏")
def shifted(ctx):
    for i, ind, target in ctx.live:
        if target.kind != EMPTY:
            continue
        moved = _misplaced_value(ind)
        if moved:
            label, text = moved
            who = f"“{ind.level1.strip()}”行" if label == "三级指标" and ind.level1.strip() else "本行"
            yield Hit(f"indicators[{i}].target",
                      f"{who}指标值栏为空，指标值“{text}”填在了{label}栏，整行可能错位",
                      ind.name)


@rule("value.empty", "指标值为空")
def empty(ctx):
    for i, ind, target in ctx.live:
        if target.kind == EMPTY and ind.name.strip() and not _misplaced_value(ind):
            yield Hit(f"indicators[{i}].target", f"“{ind.name.strip()}”未填写指标值", ind.name)


@rule("value.placeholder", "指标值是占位符")
def placeholder(ctx):
    for i, ind, target in ctx.live:
        if target.kind == PLACEHOLDER:
            yield Hit(f"indicators[{i}].target",
                      f"指标值“{target.text.strip()}”是占位符，请填写实际目标", ind.name)


@rule("value.unreadable", "无法识别的指标值", "提示")
def unreadable(ctx):
    for i, ind, target in ctx.live:
        if target.kind == UNREADABLE:
            yield Hit(f"indicators[{i}].target",
                      f"指标值“{target.text.strip()}”无法识别：{target.reason}", ind.name)


@rule("value.no_operator", "定量指标缺少比较符", "提示")
def no_operator(ctx):
    for i, ind, target in ctx.live:
        if target.kind == QUANT and target.op is None:
            yield Hit(f"indicators[{i}].target",
                      f"定量指标值“{target.text.strip()}”缺少比较符（=、≥、≤）", ind.name)


@rule("value.no_unit", "定量指标缺少计量单位", "提示")
def no_unit(ctx):
    for i, ind, target in ctx.live:
        if target.kind == QUANT and not target.unit:
            yield Hit(f"indicators[{i}].target",
                      f"定量指标值“{target.text.strip()}”缺少计量单位（如 %、个、人次）", ind.name)


@rule("value.pct_over_100", "百分比超过 100%")
def pct_over_100(ctx):
    for i, ind, target in ctx.live:
        if target.is_percent and target.number > 100 and not any(w in ind.name for w in _GROWTH):
            yield Hit(f"indicators[{i}].target",
                      f"百分比指标值“{target.text.strip()}”超过 100%", ind.name)


@rule("value.pct_full_ge", "“≥100%”", "提示")
def pct_full_ge(ctx):
    for i, ind, target in ctx.live:
        if (target.is_percent and target.number == 100 and target.op in (">=", ">")
                and not ctx.satisfaction[i]):
            yield Hit(f"indicators[{i}].target",
                      f"指标值“{target.text.strip()}”：百分比最高为 100%，应写作“=100%”", ind.name)


@rule("value.satisfaction_pct", "满意度指标值不是百分比")
def satisfaction_pct(ctx):
    for i, ind, target in ctx.live:
        if ctx.satisfaction[i] and target.kind != EMPTY and not target.is_percent:
            yield Hit(f"indicators[{i}].target",
                      f"满意度指标“{ind.name.strip()}”的指标值“{target.text.strip()}”"
                      f"不是百分比（应如“≥90%”）", ind.name)


@rule("value.satisfaction_full", "满意度目标达到 100%")
def satisfaction_full(ctx):
    for i, ind, target in ctx.live:
        if (ctx.satisfaction[i] and target.is_percent and target.number >= 100
                and target.op in ("=", ">=", ">", None)):
            yield Hit(f"indicators[{i}].target",
                      f"满意度目标“{target.text.strip()}”要求全部对象满意，无法客观达到，"
                      f"一般设为“≥90%”左右", ind.name)


@rule("value.qualitative_number", "名称要求数值却填了定性值", "提示")
def qualitative_number(ctx):
    for i, ind, target in ctx.live:
        if target.kind == QUAL and is_number_like_name(ind.name):
            yield Hit(f"indicators[{i}].target",
                      f"“{ind.name.strip()}”要求数值，指标值却是“{describe(target)}”，"
                      f"建议写成定量指标（如“=100%”）", ind.name)
