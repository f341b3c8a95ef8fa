"""Money rules: lines add up to their totals, sources add up, no stray units or signs."""
from __future__ import annotations

from decimal import Decimal

from ..model import Form
from ..numbers import AmountError, parse_amount
from . import Hit, rule

FUNDING_LABELS = {
    "total": "项目资金总额", "fiscal": "财政资金", "other": "其他资金",
    "annual": "年度资金", "annual_fiscal": "当年财政拨款", "carryover": "上年结转资金",
    "annual_other": "其他资金（年度）", "upper": "上级财政拨款", "own": "本级财政安排",
    "lower": "下级财政配套",
}


def amount(value) -> Decimal | None:
    """The amount a cell holds, or None when blank or not a number."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return parse_amount(value)
    except AmountError:
        return None


def money(value: Decimal, unit: str = "") -> str:
    return f"{value:,.2f}{unit}"


def amount_cells(form: Form):
    """(path, label, raw value) of every amount on the form."""
    for attr, label in FUNDING_LABELS.items():
        yield f"funding.{attr}", label, getattr(form.funding, attr)
    for i, line in enumerate(form.details):
        yield f"details[{i}].amount", f"明细“{line.item}”金额", line.amount
        yield f"details[{i}].price", f"明细“{line.item}”单价", line.price
        yield f"details[{i}].quantity", f"明细“{line.item}”数量", line.quantity
    yield "details_total", "金额合计", form.details_total
    for i, sub in enumerate(form.subprojects):
        yield f"subprojects[{i}].amount", f"子项目“{sub.name}”金额", sub.amount
    yield "subprojects_total", "子项目合计", form.subprojects_total
    for i, src in enumerate(form.sources):
        for attr, label in (("total", "项目投资总额"), ("previous", "上年度资金"), ("planned", "本年度计划数")):
            yield f"sources[{i}].{attr}", f"{src.source}{label}", getattr(src, attr)
    if form.execution:
        for i, line in enumerate(form.execution.lines):
            for attr, label in (("initial", "年初预算数"), ("planned", "全年预算数"), ("executed", "全年执行数")):
                yield f"execution.lines[{i}].{attr}", f"{line.item}{label}", getattr(line, attr)


def _differs(ctx, a: Decimal, b: Decimal) -> bool:
    return abs(a - b) > ctx.t("money_tolerance")


@rule("money.not_number", "金额不是数字")
def not_number(ctx):
    for path, label, raw, value in ctx.amounts:
        if value is None and isinstance(raw, str) and raw.strip():
            yield Hit(path, f"{label}“{raw.strip()}”不是数字")


@rule("money.missing", "未填写项目资金")
def missing(ctx):
    f = ctx.form
    if f.execution is not None:
        return
    for attr in ("total", "annual"):
        if getattr(f.funding, attr) in (None, ""):
            yield Hit(f"funding.{attr}", f"{FUNDING_LABELS[attr]}未填写（公式或错误值也读不出金额，请填写数值）")


@rule("money.range", "金额超出合理范围")
def out_of_range(ctx):
    limit = ctx.t("amount_max")
    for path, label, _, value in ctx.amounts:
        if value is not None and abs(value) > limit:
            yield Hit(path, f"{label} {value:.6g} 超出合理范围（绝对值不超过 {limit:,.0f}）")


@rule("money.negative", "金额为负数")
def negative(ctx):
    for path, label, _, value in ctx.amounts:
        if value is not None and value < 0:
            yield Hit(path, f"{label}为负数（{money(value)}）")


def _sum(values) -> Decimal | None:
    found = [v for v in map(amount, values) if v is not None]
    return sum(found, Decimal(0)) if found else None


@rule("money.details_sum", "明细金额与合计不符")
def details_sum(ctx):
    form, unit = ctx.form, ctx.form.funding.unit
    for i, line in enumerate(form.details):
        amt, price, qty = amount(line.amount), amount(line.price), amount(line.quantity)
        if None not in (amt, price, qty) and _differs(ctx, price * qty, amt):
            yield Hit(f"details[{i}].amount",
                      f"明细“{line.item}”：单价 {money(price)} × 数量 {qty} = {money(price * qty)}，"
                      f"与明细金额 {money(amt)} 不符")
    total = _sum(line.amount for line in form.details)
    if total is None:
        return
    for path, label, raw in (("details_total", "金额合计", form.details_total),
                             ("funding.annual", "当年预算", form.funding.annual)):
        value = amount(raw)
        if value is not None and _differs(ctx, total, value):
            yield Hit(path, f"明细金额之和 {money(total, unit)} 与{label} {money(value, unit)} 不符，"
                            f"相差 {money(value - total, unit)}")


def _split(ctx, whole_attr: str, part_attrs: tuple, label: str):
    f = ctx.form.funding
    whole = amount(getattr(f, whole_attr))
    parts = [amount(getattr(f, a)) for a in part_attrs]
    if whole is None or all(p is None for p in parts):
        return
    total = sum((p for p in parts if p is not None), Decimal(0))
    if _differs(ctx, whole, total):
        names = " + ".join(FUNDING_LABELS[a] for a in part_attrs)
        yield Hit(f"funding.{whole_attr}",
                  f"{label} {money(whole, f.unit)} ≠ {names}（{money(total, f.unit)}），"
                  f"相差 {money(whole - total, f.unit)}")


@rule("money.sources_sum", "资金来源之和不符")
def sources_sum(ctx):
    yield from _split(ctx, "annual_fiscal", ("upper", "own", "lower"), "财政拨款")
    form = ctx.form
    if not form.sources or form.sources_total is None:
        return
    for attr, label in (("total", "项目投资总额"), ("previous", "上年度资金"), ("planned", "本年度计划数")):
        total = _sum(getattr(s, attr) for s in form.sources)
        printed = amount(getattr(form.sources_total, attr))
        if total is not None and printed is not None and _differs(ctx, total, printed):
            yield Hit(f"sources_total.{attr}",
                      f"资金来源{label}之和 {money(total)} 与合计 {money(printed)} 不符")


@rule("money.total_split", "总额与构成不符")
def total_split(ctx):
    yield from _split(ctx, "total", ("fiscal", "other"), "项目资金总额")
    yield from _split(ctx, "annual", ("annual_fiscal", "carryover", "annual_other"), "年度资金")
    f = ctx.form.funding
    total, annual = amount(f.total), amount(f.annual)
    if total is not None and annual is not None and annual - total > ctx.t("money_tolerance"):
        yield Hit("funding.annual", f"年度资金 {money(annual, f.unit)} 超过项目资金总额 {money(total, f.unit)}")


@rule("money.subprojects_sum", "子项目金额之和与合计不符")
def subprojects_sum(ctx):
    form = ctx.form
    total = _sum(s.amount for s in form.subprojects)
    unit = form.funding.unit
    for path, label, raw in (("subprojects_total", "合计", form.subprojects_total),
                             ("funding.total", "项目投资总额", form.funding.total)):
        value = amount(raw)
        if total is not None and value is not None and _differs(ctx, total, value):
            yield Hit(path, f"子项目金额之和 {money(total, unit)} 与{label} {money(value, unit)} 不符")


@rule("money.unit_mixup", "元与万元可能混用", "提示")
def unit_mixup(ctx):
    unit = ctx.form.funding.unit
    for path, label, _, value in ctx.amounts:
        if value is None or ".quantity" in path:
            continue
        if unit == "万元" and value > ctx.t("wan_max"):
            yield Hit(path, f"{label} {money(value)} 万元超过 {ctx.t('wan_max'):,} 万元，疑似按“元”填写")
        elif unit == "元" and path == "funding.total" and 0 < value < ctx.t("yuan_min"):
            yield Hit(path, f"{label}只有 {money(value)} 元，疑似按“万元”填写")
