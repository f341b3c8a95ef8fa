"""Value rules: what each 指标值 says, and whether it sits in its own column."""
from __future__ import annotations

from decimal import Decimal

from ..targets import (EMPTY, PLACEHOLDER, QUAL, QUANT, UNREADABLE, describe,
                       is_number_like_name, looks_like_value)
from . import Hit, rule

# Columns a value may have slipped into, with their names on the form.
_OTHER_COLUMNS = (("level1", "一级指标"), ("level2", "二级指标"), ("note", "备注"),
                  ("explanation", "指标解释"), ("source", "目标值来源"))
_GROWTH = ("增长", "增幅", "提高", "提升")
_HUNDRED = Decimal(100)     # compared with a Decimal much faster than the int


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
    for i, ind, _ in ctx.by_kind[EMPTY]:
        moved = _misplaced_value(ind)
        if moved:
            label, text = moved
            who = f"“{ind.level1.strip()}”行" if label == "三级指标" and ind.level1.strip() else "本行"
            yield Hit(f"indicators[{i}].target",
                      f"{who}指标值栏为空，指标值“{text}”填在了{label}栏，整行可能错位",
                      ind.name)


def per_row(rule_id: str, title: str, severity: str, rows, message) -> None:
    """Register a rule flagging the 指标值 of every (index, indicator, target)
    row that `rows(ctx)` gives, in row order.

    `rows` filters in one comprehension: a call per row would cost more than
    the tests themselves, and most rows pass every one.
    """
    def run(ctx):
        for i, ind, target in rows(ctx):
            yield Hit(f"indicators[{i}].target", message(ind, target), ind.name)
    rule(rule_id, title, severity)(run)


def _of(kind: str):
    """The rows for `per_row`: the live rows whose value is of `kind`."""
    return lambda ctx: ctx.by_kind[kind]


def _text(target) -> str:
    return target.text.strip()


def _empty(ctx):
    # A live row with an empty value always has a name.
    return [row for row in ctx.by_kind[EMPTY] if not _misplaced_value(row[1])]


def quant_suspects(ctx) -> list[tuple]:
    """The live 定量 rows one of the four rules below may flag: no comparison, no
    unit, or a percentage of 100 or more.  One pass for all four: most rows are none."""
    return [(i, ind, t) for i, ind, t in ctx.by_kind[QUANT]
            if t.op is None or not t.unit or (t.unit == "%" and t.number >= _HUNDRED)]


def _no_operator(ctx):
    return [row for row in ctx.quant_suspects if row[2].op is None]


def _no_unit(ctx):
    return [row for row in ctx.quant_suspects if not row[2].unit]


def _over_100(ctx):
    """Percentages over 100%, but for a growth (增长 150%)."""
    return [(i, ind, t) for i, ind, t in ctx.quant_suspects
            if t.unit == "%" and t.number > _HUNDRED and not any(w in ind.name for w in _GROWTH)]


def _full_ge(ctx):
    """"≥100%" outside 满意度 (where value.satisfaction_full reports it)."""
    return [(i, ind, t) for i, ind, t in ctx.quant_suspects
            if t.unit == "%" and t.number == _HUNDRED and t.op in (">=", ">") and not ctx.satisfaction[i]]


def _satisfaction_not_pct(ctx):
    return [row for row in ctx.satisfied if row[2].kind != EMPTY and not row[2].is_percent]


def _satisfaction_full(ctx):
    return [(i, ind, t) for i, ind, t in ctx.satisfied
            if t.is_percent and t.number >= _HUNDRED and t.op in ("=", ">=", ">", None)]


def _qualitative_number(ctx):
    return [row for row in ctx.by_kind[QUAL] if is_number_like_name(row[1].name)]


per_row("value.empty", "指标值为空", "错误", _empty,
        lambda ind, t: f"“{ind.name.strip()}”未填写指标值")
per_row("value.placeholder", "指标值是占位符", "错误", _of(PLACEHOLDER),
        lambda ind, t: f"指标值“{_text(t)}”是占位符，请填写实际目标")
per_row("value.unreadable", "无法识别的指标值", "提示", _of(UNREADABLE),
        lambda ind, t: f"指标值“{_text(t)}”无法识别：{t.reason}")
per_row("value.no_operator", "定量指标缺少比较符", "提示", _no_operator,
        lambda ind, t: f"定量指标值“{_text(t)}”缺少比较符（=、≥、≤）")
per_row("value.no_unit", "定量指标缺少计量单位", "提示", _no_unit,
        lambda ind, t: f"定量指标值“{_text(t)}”缺少计量单位（如 %、个、人次）")
per_row("value.pct_over_100", "百分比超过 100%", "错误", _over_100,
        lambda ind, t: f"百分比指标值“{_text(t)}”超过 100%")
per_row("value.pct_full_ge", "“≥100%”", "提示", _full_ge,
        lambda ind, t: f"指标值“{_text(t)}”：百分比最高为 100%，应写作“=100%”")
per_row("value.satisfaction_pct", "满意度指标值不是百分比", "错误", _satisfaction_not_pct,
        lambda ind, t: f"满意度指标“{ind.name.strip()}”的指标值“{_text(t)}”不是百分比（应如“≥90%”）")
per_row("value.satisfaction_full", "满意度目标达到 100%", "错误", _satisfaction_full,
        lambda ind, t: f"满意度目标“{_text(t)}”要求全部对象满意，无法客观达到，一般设为“≥90%”左右")
per_row("value.qualitative_number", "名称要求数值却填了定性值", "提示", _qualitative_number,
        lambda ind, t: f"“{ind.name.strip()}”要求数值，指标值却是“{describe(t)}”，建议写成定量指标（如“=100%”）")
