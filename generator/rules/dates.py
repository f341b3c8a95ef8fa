"""Date rules: start ≤ end, within the budget year, deadlines within the project."""
from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from ..dates import parse_date
from ..targets import DEADLINE
from . import Hit, rule

_FIELDS = (("project.start", "start", "计划开始日期"), ("project.end", "end", "计划完成日期"))


def project_dates(form) -> dict:
    """start/end -> the project's planned date, None when blank or unreadable."""
    return {attr: parse_date(getattr(form.project, attr)) for _, attr, _ in _FIELDS}


@rule("date.invalid", "日期无法识别")
def invalid(ctx):
    for path, attr, label in _FIELDS:
        raw = getattr(ctx.form.project, attr)
        if raw not in (None, "") and ctx.project_dates[attr] is None:
            yield Hit(path, f"{label}“{raw}”不是日期（应如 2023-01-01）")


@rule("date.order", "开始日期晚于完成日期")
def order(ctx):
    d = ctx.project_dates
    if d["start"] and d["end"] and d["start"] > d["end"]:
        yield Hit("project.end", f"计划完成日期 {d['end']} 早于计划开始日期 {d['start']}")


@rule("date.budget_year", "日期不在预算年度内", "提示")
def budget_year(ctx):
    year = ctx.form.year
    if not year:
        return
    d = ctx.project_dates
    if d["start"] and d["start"].year > year:
        yield Hit("project.start", f"计划开始日期 {d['start']} 晚于 {year} 预算年度")
    if d["end"] and d["end"].year < year:
        yield Hit("project.end", f"计划完成日期 {d['end']} 早于 {year} 预算年度")


@lru_cache(maxsize=4096)
def _deadline_date(deadline) -> dt.date:
    year, month, day = (list(deadline) + [None, None])[:3]
    month = month or 12
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


@rule("date.deadline", "时限指标超出项目实施期", "提示")
def deadline(ctx):
    d = ctx.project_dates
    if not (d["start"] or d["end"]):
        return
    for i, ind, target in ctx.by_kind[DEADLINE]:
        if not target.deadline:
            continue
        try:
            due = _deadline_date(target.deadline)
        except (ValueError, TypeError):
            continue
        if d["end"] and due > d["end"]:
            yield Hit(f"indicators[{i}].target",
                      f"时限“{target.text.strip()}”晚于计划完成日期 {d['end']}", ind.name)
        elif d["start"] and due < d["start"]:
            yield Hit(f"indicators[{i}].target",
                      f"时限“{target.text.strip()}”早于计划开始日期 {d['start']}", ind.name)
