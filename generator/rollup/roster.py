"""The roster of units that should report, and which of them sent nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, reason
from ..taxonomy import norm

EXACT = ("实施单位", "单位名称", "单位", "预算单位", "单位全称", "填报单位", "申报单位")
HEADER_ROWS = 10            # the header is looked for in the first rows only


@dataclass
class Roster:
    path: str
    sheet: str
    header: list
    rows: list
    column: int             # index of the unit name column


def read_roster(path: str | Path) -> Roster:
    """The first sheet with a unit-name column: its header and the rows that name a unit."""
    path = str(path)
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_path(path)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types
        raise InputError(f"单位名单无法读取：{reason(exc)}", path) from None
    for sheet in book.sheet_names:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        found = _header(rows)
        if found:
            at, column = found
            body = [_plain_row(r) for r in rows[at + 1:] if column < len(r) and str(r[column]).strip()]
            return Roster(path, sheet, _plain_row(rows[at]), body, column)
    raise InputError("单位名单中找不到单位名称列（表头应为“单位名称”或“实施单位”）", path)


def _header(rows: list) -> tuple[int, int] | None:
    """(row, column) of the unit-name header: an exact title first, else one that mentions 单位."""
    texts = [[norm(str(v)) for v in row] for row in rows[:HEADER_ROWS]]
    for at, row in enumerate(texts):
        for name in EXACT:
            if name in row:
                return at, row.index(name)
    for at, row in enumerate(texts):
        loose = [i for i, t in enumerate(row) if "单位" in t and len(row) > 1
                 and not any(w in t for w in ("编码", "代码", "主管", "名单"))]
        if loose:
            return at, loose[0]
    return None


def _plain_row(row: list) -> list:
    return [_plain(v) for v in row]


def _plain(value):
    """Numbers stay numbers (a whole float becomes an int); anything else is text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return "" if value is None else str(value)


def missing(roster: Roster, units: set[str]) -> tuple[list[str], list[list]]:
    """(titles, rows) of the roster's units with no project read, each row as in the roster."""
    seen = {norm(u) for u in units}
    rows = [[n, *row] for n, row in enumerate(
        (r for r in roster.rows if norm(str(r[roster.column])) not in seen), 1)]
    titles = ["序号", *(str(h) or f"第{i + 1}列" for i, h in enumerate(roster.header))]
    return titles, rows
