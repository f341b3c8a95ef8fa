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
    for i, ind, _ in ctx.by_kind.get(EMPTY, ()):
        moved = _misplaced_value(ind)
        if moved:
            label, text = moved
            who = f"“{ind.level1.strip()}”行" if label == "三级指标" and ind.level1.strip() else "本行"
            yield Hit(f"indicators[{i}].target",
                      f"{who}指标值栏为空，指标值“{text}”填在了{label}栏，整行可能错位",
                      ind.name)


def per_row(rule_id: str, title: str, severity: str, rows, test, message) -> None:
    """Register a rule flagging the 指标值 of every row in `rows(ctx)` where
    `test(ctx, i, ind, target)` holds (a test of None: every row)."""
    def run(ctx):
        for i, ind, target in rows(ctx):
            if test is None or test(ctx, i, ind, target):
                yield Hit(f"indicators[{i}].target", message(ind, target), ind.name)
    rule(rule_id, title, severity)(run)


def _of(kind: str):
    """The rows for `per_row`: the live rows whose value is of `kind`."""
    return lambda ctx: ctx.by_kind.get(kind, ())


def _satisfied(ctx):
    return ctx.satisfied


def _text(target) -> str:
    return target.text.strip()


# A live row with an empty value always has a name.
per_row("value.empty", "指标值为空", "错误", _of(EMPTY),
        lambda ctx, i, ind, t: not _misplaced_value(ind),
        lambda ind, t: f"“{ind.name.strip()}”未填写指标值")
per_row("value.placeholder", "指标值是占位符", "错误", _of(PLACEHOLDER), None,
        lambda ind, t: f"指标值“{_text(t)}”是占位符，请填写实际目标")
per_row("value.unreadable", "无法识别的指标值", "提示", _of(UNREADABLE), None,
        lambda ind, t: f"指标值“{_text(t)}”无法识别：{t.reason}")
per_row("value.no_operator", "定量指标缺少比较符", "提示", _of(QUANT),
        lambda ctx, i, ind, t: t.op is None,
        lambda ind, t: f"定量指标值“{_text(t)}”缺少比较符（=、≥、≤）")
per_row("value.no_unit", "定量指标缺少计量单位", "提示", _of(QUANT),
        lambda ctx, i, ind, t: not t.unit,
        lambda ind, t: f"定量指标值“{_text(t)}”缺少计量单位（如 %、个、人次）")
per_row("value.pct_over_100", "百分比超过 100%", "错误", _of(QUANT),
        lambda ctx, i, ind, t: t.is_percent and t.number > 100 and not any(w in ind.name for w in _GROWTH),
        lambda ind, t: f"百分比指标值“{_text(t)}”超过 100%")
per_row("value.pct_full_ge", "“≥100%”", "提示", _of(QUANT),
        lambda ctx, i, ind, t: (t.is_percent and t.number == 100 and t.op in (">=", ">")
                                and not ctx.satisfaction[i]),
        lambda ind, t: f"指标值“{_text(t)}”：百分比最高为 100%，应写作“=100%”")
per_row("value.satisfaction_pct", "满意度指标值不是百分比", "错误", _satisfied,
        lambda ctx, i, ind, t: t.kind != EMPTY and not t.is_percent,
        lambda ind, t: f"满意度指标“{ind.name.strip()}”的指标值“{_text(t)}”不是百分比（应如“≥90%”）")
per_row("value.satisfaction_full", "满意度目标达到 100%", "错误", _satisfied,
        lambda ctx, i, ind, t: t.is_percent and t.number >= 100 and t.op in ("=", ">=", ">", None),
        lambda ind, t: f"满意度目标“{_text(t)}”要求全部对象满意，无法客观达到，一般设为“≥90%”左右")
per_row("value.qualitative_number", "名称要求数值却填了定性值", "提示", _of(QUAL),
        lambda ctx, i, ind, t: is_number_like_name(ind.name),
        lambda ind, t: f"“{ind.name.strip()}”要求数值，指标值却是“{describe(t)}”，建议写成定量指标（如“=100%”）")
