"""Money rules: lines add up to their totals, sources add up, no stray units or signs."""
from __future__ import annotations

from decimal import Decimal
from operator import attrgetter

from ..model import Form
from ..numbers import AmountError, parse_amount
from . import Hit, rule

FUNDING_LABELS = {
    "total": "项目资金总额", "fiscal": "财政资金", "other": "其他资金",
    "annual": "年度资金", "annual_fiscal": "当年财政拨款", "carryover": "上年结转资金",
    "annual_other": "其他资金（年度）", "upper": "上级财政拨款", "own": "本级财政安排",
    "lower": "下级财政配套",
}


_FUNDING_PATHS = tuple(f"funding.{attr}" for attr in FUNDING_LABELS)
_FUNDING_VALUES = attrgetter(*FUNDING_LABELS)      # Funding -> its raw values, in that order
_ZERO = Decimal(0)


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


def _amounts(values) -> list:
    """`amount` of each value, without a call for the Decimals and Nones most cells hold."""
    return [v if v is None or type(v) is Decimal else amount(v) for v in values]


def funding_amounts(form: Form) -> dict[str, Decimal | None]:
    """Attribute -> amount of each 项目资金 field."""
    return dict(zip(FUNDING_LABELS, _amounts(_FUNDING_VALUES(form.funding))))


def amount_cells(form: Form, funds: dict) -> list[tuple]:
    """(path, label, raw value, amount or None) of every amount on the form;
    `funds` holds the 项目资金 amounts, read already."""
    cells = list(zip(_FUNDING_PATHS, FUNDING_LABELS.values(), _FUNDING_VALUES(form.funding), funds.values()))
    cells += [(path, label, raw, amount(raw)) for path, label, raw in _table_cells(form)]
    return cells


def amount_span(cells: list[tuple]) -> tuple[Decimal, Decimal] | None:
    """(lowest, highest) amount of `amount_cells`, None when none is a number."""
    values = [cell[3] for cell in cells if cell[3] is not None]
    return (min(values), max(values)) if values else None


def _table_cells(form: Form):
    """(path, label, raw value) of the amounts in the form's tables."""
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
        raw = getattr(f.funding, attr)
        if raw is None or isinstance(raw, str) and not raw:     # not `raw == ""`: slow on a Decimal
            yield Hit(f"funding.{attr}", f"{FUNDING_LABELS[attr]}未填写（公式或错误值也读不出金额，请填写数值）")


@rule("money.range", "金额超出合理范围")
def out_of_range(ctx):
    limit, span = ctx.t("amount_max"), ctx.amount_span
    if span is None or -limit <= span[0] and span[1] <= limit:
        return
    for path, label, _, value in ctx.amounts:
        if value is not None and abs(value) > limit:
            yield Hit(path, f"{label} {value:.6g} 超出合理范围（绝对值不超过 {limit:,.0f}）")


@rule("money.negative", "金额为负数")
def negative(ctx):
    if ctx.amount_span is None or ctx.amount_span[0] >= _ZERO:
        return
    for path, label, _, value in ctx.amounts:
        if value is not None and value < _ZERO:
            yield Hit(path, f"{label}为负数（{money(value)}）")


def _sum(values) -> Decimal | None:
    found = [v for v in map(amount, values) if v is not None]
    return sum(found, Decimal(0)) if found else None


@rule("money.details_sum", "明细金额与合计不符", needs="details")
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
    for path, label, value in (("details_total", "金额合计", amount(form.details_total)),
                               ("funding.annual", "当年预算", ctx.funds["annual"])):
        if value is not None and _differs(ctx, total, value):
            yield Hit(path, f"明细金额之和 {money(total, unit)} 与{label} {money(value, unit)} 不符，"
                            f"相差 {money(value - total, unit)}")


def _split(ctx, whole_attr: str, part_attrs: tuple, label: str) -> Hit | None:
    """A Hit when the 项目资金 field `whole_attr` is not the sum of the written `part_attrs`."""
    funds = ctx.funds
    whole = funds[whole_attr]
    parts = [funds[a] for a in part_attrs if funds[a] is not None]
    if whole is None or not parts:
        return None
    total = sum(parts, _ZERO)
    if not _differs(ctx, whole, total):
        return None
    unit = ctx.form.funding.unit
    names = " + ".join(FUNDING_LABELS[a] for a in part_attrs)
    return Hit(f"funding.{whole_attr}",
               f"{label} {money(whole, unit)} ≠ {names}（{money(total, unit)}），"
               f"相差 {money(whole - total, unit)}")


@rule("money.sources_sum", "资金来源之和不符")
def sources_sum(ctx):
    hit = _split(ctx, "annual_fiscal", ("upper", "own", "lower"), "财政拨款")
    if hit:
        yield hit
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
    for hit in (_split(ctx, "total", ("fiscal", "other"), "项目资金总额"),
                _split(ctx, "annual", ("annual_fiscal", "carryover", "annual_other"), "年度资金")):
        if hit:
            yield hit
    total, annual, unit = ctx.funds["total"], ctx.funds["annual"], ctx.form.funding.unit
    if total is not None and annual is not None and annual - total > ctx.t("money_tolerance"):
        yield Hit("funding.annual", f"年度资金 {money(annual, unit)} 超过项目资金总额 {money(total, unit)}")


@rule("money.subprojects_sum", "子项目金额之和与合计不符", needs="subprojects")
def subprojects_sum(ctx):
    form = ctx.form
    total = _sum(s.amount for s in form.subprojects)
    if total is None:
        return
    unit = form.funding.unit
    for path, label, value in (("subprojects_total", "合计", amount(form.subprojects_total)),
                               ("funding.total", "项目投资总额", ctx.funds["total"])):
        if value is not None and _differs(ctx, total, value):
            yield Hit(path, f"子项目金额之和 {money(total, unit)} 与{label} {money(value, unit)} 不符")


@rule("money.unit_mixup", "元与万元可能混用", "提示")
def unit_mixup(ctx):
    unit = ctx.form.funding.unit
    if unit == "万元":
        wan_max = ctx.t("wan_max")
        if ctx.amount_span is None or ctx.amount_span[1] <= wan_max:
            return
        for path, label, _, value in ctx.amounts:
            if value is not None and ".quantity" not in path and value > wan_max:
                yield Hit(path, f"{label} {money(value)} 万元超过 {wan_max:,} 万元，疑似按“元”填写")
    elif unit == "元":
        value = ctx.funds["total"]
        if value is not None and _ZERO < value < ctx.t("yuan_min"):
            yield Hit("funding.total", f"{FUNDING_LABELS['total']}只有 {money(value)} 元，疑似按“万元”填写")
