"""The add-in's worksheet functions (UDFs), one call per column, not per cell.

Every function takes whole ranges (as 2-D lists: xlwings' ndim=2) and returns
one 2-D array, so `=JX_PARSE(E5:E40)` fills E5:E40's neighbours in one call.
A single-cell argument is repeated over the others (one 分值 for a column).
The VBA wrappers in macros/xlwings_udfs.bas are generated from this module by
xlwings' own generator (addin/build.py: udf_vba).
"""
from __future__ import annotations

import re
from decimal import Decimal

import xlwings as xw

from generator.model import Form, Indicator
from generator.rmb import rmb_upper, to_decimal
from generator.rules import check_form
from generator.scoring import score_indicator
from generator.targets import KIND_LABELS, OP_SYMBOLS, QUANT, parse_target

CATEGORY = "绩效助手"
UNREADABLE = "无法识别"
_INDEX = re.compile(r"^indicators\[(\d+)\]")
_HEADER_WORDS = ("指标值", "目标值")


def _flat(cells: list[list]) -> list:
    return [value for row in cells for value in row]


def _text(value) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Decimal | None):
    return "" if value is None else float(value)


def _amount(value) -> Decimal | None:
    """A cell as an amount; None when blank, ValueError when not a number."""
    return None if _text(value) == "" else to_decimal(value)


def _elementwise(func, *grids: list[list]) -> list[list]:
    """func over the cells of equally shaped ranges; a 1×1 range is repeated."""
    shape = max(((len(g), len(g[0])) for g in grids), key=lambda s: s[0] * s[1])
    full = [g if len(g) * len(g[0]) > 1 else [[g[0][0]] * shape[1]] * shape[0] for g in grids]
    if any((len(g), len(g[0])) != shape for g in full):
        raise ValueError("各参数的区域大小不一致")
    return [[func(*cells) for cells in zip(*rows)] for rows in zip(*full)]


def parse_row(text) -> list:
    """[比较符, 数值, 单位, 方向] of one 指标值; 方向 names the kind for non-numeric values."""
    target = parse_target(_text(text))
    if target.kind != QUANT:
        return ["", "", "", KIND_LABELS[target.kind]]
    return [OP_SYMBOLS.get(target.op or "", ""), _number(target.number), target.unit,
            target.direction]


@xw.func(category=CATEGORY)
@xw.arg("targets", ndim=2, doc="指标值所在的单元格或整列，如 E5:E40")
def JX_PARSE(targets):
    """解析指标值：每个指标值返回一行【比较符、数值、单位、方向】；定性、时限等指标的方向栏写类别。"""
    return [parse_row(value) for value in _flat(targets)]


def _is_header(row: list) -> bool:
    return any(word in _text(row[3]) for word in _HEADER_WORDS)


def check_rows(rows: list[list], region: str = "", year=None) -> list[str]:
    """One findings text per row of (一级, 二级, 三级, 指标值); "" where fine."""
    header = 1 if rows and _is_header(rows[0]) else 0
    body = rows[header:]
    form = Form(region=region, year=int(year) if year else None, indicators=[
        Indicator(_text(a), _text(b), _text(c), _text(d)) for a, b, c, d, *_ in body])
    messages: list[list[str]] = [[] for _ in body]
    for finding in check_form(form):
        match = _INDEX.match(finding.path)
        if match and int(match[1]) < len(body):
            messages[int(match[1])].append(f"【{finding.severity}】{finding.message}")
    return [""] * header + ["；".join(m) for m in messages]


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, doc="指标表：一级、二级、三级指标、指标值四列（可含表头行）")
@xw.arg("region", doc="地区：上海或苏州，省略为上海")
@xw.arg("year", doc="预算年度，如 2023，可省略")
def JX_CHECK(table, region="", year=None):
    """校验整张指标表：每行返回发现的问题，没有问题的行返回空白。"""
    if len(table[0]) < 4:
        return [["指标表须有一级、二级、三级指标、指标值四列"]]
    return [[message] for message in check_rows(table, _text(region), year)]


def score_cell(target, actual, weight):
    try:
        score = score_indicator(_text(target), _text(actual), _amount(weight))
    except ValueError:
        return UNREADABLE
    return _number(score)


@xw.func(category=CATEGORY)
@xw.arg("targets", ndim=2, doc="年度指标值（整列）")
@xw.arg("actuals", ndim=2, doc="实际完成值（整列）")
@xw.arg("weights", ndim=2, doc="分值（整列，或一个单元格用于所有行）")
def JX_SCORE(targets, actuals, weights):
    """定量指标得分：正向指标达到目标得满分，否则按完成比例；反向指标超出目标按比例扣分，超出一倍得 0 分。保留两位小数。"""
    return _elementwise(score_cell, targets, actuals, weights)


def rate_cell(executed, planned):
    try:
        done, budget = _amount(executed), _amount(planned)
    except ValueError:
        return UNREADABLE
    if done is None or not budget:
        return ""
    return float(round(done / budget, 4))


@xw.func(category=CATEGORY)
@xw.arg("executed", ndim=2, doc="全年执行数（整列）")
@xw.arg("planned", ndim=2, doc="全年预算数（整列）")
def JX_RATE(executed, planned):
    """预算执行率 = 执行数 ÷ 预算数，保留到 0.01%（请设为百分比格式）。预算数为空或 0 时返回空白。"""
    return _elementwise(rate_cell, executed, planned)


def rmb_cell(amount):
    try:
        return "" if _text(amount) == "" else rmb_upper(amount)
    except ValueError:
        return UNREADABLE


@xw.func(category=CATEGORY)
@xw.arg("amounts", ndim=2, doc="金额（元），单元格或整列")
def JX_RMB(amounts):
    """人民币大写金额，如 6000000 → 陆佰万元整。"""
    return _elementwise(rmb_cell, amounts)


def wan_cell(amount):
    try:
        value = _amount(amount)
    except ValueError:
        return UNREADABLE
    return "" if value is None else float(value / 10000)


@xw.func(category=CATEGORY)
@xw.arg("amounts", ndim=2, doc="金额（元），单元格或整列")
def JX_WAN(amounts):
    """元换算为万元（不舍入，请用数字格式显示小数位）。"""
    return _elementwise(wan_cell, amounts)
