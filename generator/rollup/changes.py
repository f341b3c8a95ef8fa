"""The 变动 sheet: what changed since a previous summary.

Both sides are read the same way — the previous one from its 项目汇总 and
指标明细 sheets, this one from the rows this summary writes — so a project
matches by 项目编码 where both have one, else by 实施单位 and 项目名称.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import InputError, reason
from ..taxonomy import norm
from .summary import AMOUNT_TITLES, INDICATORS, PROJECTS, TOTAL_LABEL

TITLES = ["变动类型", "项目编码", "实施单位", "项目名称", "内容", "原值", "新值"]
PROJECT_COLUMNS = ("项目编码", "实施单位", "项目名称", *AMOUNT_TITLES)
INDICATOR_COLUMNS = ("项目编码", "实施单位", "项目名称", "一级指标", "二级指标", "三级指标", "指标值")


@dataclass
class Entry:
    code: str
    unit: str
    name: str
    amounts: tuple
    indicators: dict = field(default_factory=dict)   # (一级, 二级, 三级, k-th) -> 指标值

    @property
    def label(self) -> list:
        return [self.code, self.unit, self.name]


def read_previous(path: str | Path) -> list[Entry]:
    """The projects of a previous summary, with their indicators."""
    path = str(path)
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_path(path)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types
        raise InputError(f"上次的汇总表无法读取：{reason(exc)}", path) from None
    projects = _table(book, PROJECTS, PROJECT_COLUMNS, path)
    entries = [Entry(*(_text(v) for v in r[:3]), tuple(_amount(v) for v in r[3:]))
               for r in projects if _text(r[0]) != TOTAL_LABEL and any(r[:3])]
    indicators = [[_text(v) for v in r] for r in _table(book, INDICATORS, INDICATOR_COLUMNS, path)]
    return attach(entries, indicators)


def _table(book, sheet: str, columns: tuple, path: str) -> list[list]:
    if sheet not in book.sheet_names:
        raise InputError(f"上次的汇总表中没有工作表“{sheet}”", path)
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header = [norm(str(v)) for v in rows[0]] if rows else []
    lost = [c for c in columns if norm(c) not in header]
    if lost:
        raise InputError(f"上次的汇总表中，工作表“{sheet}”缺少列：{'、'.join(lost)}", path)
    at = [header.index(norm(c)) for c in columns]
    return [[r[i] if i < len(r) else "" for i in at] for r in rows[1:]]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _amount(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value) if isinstance(value, int) else (_text(value) or None)


def attach(entries: list[Entry], indicator_rows: list[list]) -> list[Entry]:
    """Give each entry its indicators, keyed by level names and occurrence."""
    index = {_key(e): e for e in entries}
    for code, unit, name, *levels, value in indicator_rows:
        entry = index.get(_key(Entry(code, unit, name, ())))
        if entry is not None:
            base = tuple(norm(v) for v in levels)
            k = sum(key[:3] == base for key in entry.indicators)
            entry.indicators[(*base, k)] = (_text(value), "/".join(levels))
    return entries


def _key(e: Entry) -> tuple:
    return ("code", norm(e.code)) if norm(e.code) else ("name", norm(e.unit), norm(e.name))


def current(projects) -> list[Entry]:
    """The summary's own projects as entries."""
    entries = [Entry(p.code, p.unit, p.name, (p.total, p.fiscal, p.other)) for p in projects]
    rows = [[p.code, p.unit, p.name, *ind[1:5]] for p in projects for ind in p.indicators]
    return attach(entries, rows)


def changes(old: list[Entry], new: list[Entry]) -> list[list]:
    rows, matched = [], set()
    by_code = {norm(e.code): e for e in old if norm(e.code)}
    by_name = {(norm(e.unit), norm(e.name)): e for e in old}
    for entry in new:
        before = by_code.get(norm(entry.code)) or by_name.get((norm(entry.unit), norm(entry.name)))
        if before is None or id(before) in matched:
            rows.append(["新增项目", *entry.label, "", "", ""])
            continue
        matched.add(id(before))
        rows += _differences(before, entry)
    rows += [["删除项目", *e.label, "", "", ""] for e in old if id(e) not in matched]
    return rows


def _differences(old: Entry, new: Entry) -> list[list]:
    rows = [["金额变动", *new.label, title, a, b]
            for title, a, b in zip(AMOUNT_TITLES, old.amounts, new.amounts) if not _same(a, b)]
    for key, (value, label) in new.indicators.items():
        if key not in old.indicators:
            rows.append(["新增指标", *new.label, label, "", value])
        elif old.indicators[key][0] != value:
            rows.append(["指标值变动", *new.label, label, old.indicators[key][0], value])
    rows += [["删除指标", *new.label, label, value, ""]
             for key, (value, label) in old.indicators.items() if key not in new.indicators]
    return rows


def _same(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return (a or None) == (b or None)
