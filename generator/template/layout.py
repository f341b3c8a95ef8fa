"""Where template rows land once loops are expanded, and formulas/ranges moved to match.

A single-cell reference to a loop row means "this item" inside the loop and
"the first item" outside it; a range that touches a loop row (D20:D20) is
widened to every generated row (D20:D24), the way Excel grows a range when
rows are inserted inside it.  Rows below a loop move down by the rows added.
"""
from __future__ import annotations

import re
from typing import Callable

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import quote_sheetname

_REF = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!:]+)!)?(?P<a>[$A-Za-z0-9]+)(?::(?P<b>[$A-Za-z0-9]+))?$")
_END = re.compile(r"^(\$?[A-Za-z]{0,3})(\$?)(\d*)$")


class RowMap:
    """Template row -> output rows, given how many rows each loop row becomes."""

    def __init__(self, counts: dict[int, int] | None = None):
        self.counts = {r: max(1, n) for r, n in (counts or {}).items()}

    def first(self, row: int) -> int:
        return row + sum(n - 1 for r, n in self.counts.items() if r < row)

    def last(self, row: int) -> int:
        return self.first(row) + self.counts.get(row, 1) - 1

    def span(self, top: int, bottom: int) -> tuple[int, int]:
        return self.first(top), self.last(bottom)


Item = tuple[int, int]          # (loop row, item index) of the row being written


def _endpoint(text: str):
    m = _END.match(text)
    if not m or not (m.group(1).strip("$") or m.group(3)):
        return None
    return m.group(1), m.group(2), int(m.group(3) or 0)


def map_reference(ref: str, rows: RowMap, item: Item | None = None) -> str:
    """'D20', 'D20:D20', '$A$3:$H$9', '5:5' moved by `rows` (no sheet prefix)."""
    parts = ref.split(":")
    ends = [_endpoint(p) for p in parts]
    if None in ends or any(e[2] == 0 for e in ends):
        return ref                      # whole columns, names, or not a reference
    top, bottom = ends[0][2], ends[-1][2]
    if item and top == bottom == item[0]:
        new_top = new_bottom = rows.first(item[0]) + item[1]
    elif len(parts) == 1:
        new_top = new_bottom = rows.first(top)
    else:
        new_top, new_bottom = rows.span(top, bottom)
    out = [f"{ends[0][0]}{ends[0][1]}{new_top}"]
    if len(parts) > 1:
        out.append(f"{ends[1][0]}{ends[1][1]}{new_bottom}")
    return ":".join(out)


def map_formula(formula: str, rows_of: Callable[[str | None], RowMap | None],
                rename: Callable[[str], str], item: Item | None = None) -> str:
    """A template formula with every reference moved; `rows_of(None)` is the own sheet."""
    tok = Tokenizer(formula)
    for t in tok.items:
        if t.type == Token.OPERAND and t.subtype == Token.RANGE:
            t.value = _map_operand(t.value, rows_of, rename, item)
    return tok.render()


def _map_operand(value: str, rows_of, rename, item) -> str:
    m = _REF.match(value)
    if not m:
        return value
    sheet = m.group("sheet")
    name = sheet.strip("'").replace("''", "'") if sheet else None
    rows = rows_of(name)
    if rows is None:
        return value
    ref = value[len(sheet) + 1:] if sheet else value
    moved = map_reference(ref, rows, item if sheet is None else None)
    return f"{quote_sheetname(rename(name))}!{moved}" if sheet else moved
