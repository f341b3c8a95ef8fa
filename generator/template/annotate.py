"""Mark findings on a copy of the filled workbook: colored cells, notes, a 校验结果 sheet.

`marks(findings)` is pure: it says which cell gets which color and note, so the
Excel add-in can apply the same marks to a live book through xlwings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from ..errors import InputError, reason
from ..forms.styles import BODY_FONT
from .read import RESULTS_SHEET

ERROR_COLOR = "FFC7CE"        # Excel's "bad" red
HINT_COLOR = "FFEB9C"         # Excel's "neutral" yellow
COLUMNS = ("文件", "工作表", "单元格", "项目", "指标", "规则", "级别", "说明")
_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9]\d*$")


@dataclass(frozen=True)
class Mark:
    sheet: str
    cell: str
    color: str            # RGB hex, e.g. FFC7CE
    note: str


def marks(findings: Iterable) -> list[Mark]:
    """One mark per problem cell: red if any finding there is 错误, else yellow."""
    grouped: dict[tuple[str, str], list] = {}
    for f in findings:
        if f.sheet and _CELL.match(f.cell or ""):
            grouped.setdefault((f.sheet, f.cell.replace("$", "")), []).append(f)
    return [Mark(sheet, cell,
                 ERROR_COLOR if any(f.severity == "错误" for f in fs) else HINT_COLOR,
                 "\n".join(f"【{f.severity}】{f.message}（{f.rule}）" for f in fs))
            for (sheet, cell), fs in grouped.items()]


def annotate_copy(src: str | Path, findings: Iterable, out: str | Path) -> Path:
    """Write a marked copy of `src` to `out` (never over `src`); returns `out`."""
    src, out = Path(src), Path(out)
    findings = list(findings)
    if out.resolve() == src.resolve():
        raise InputError("标注结果不能覆盖原文件，请另选输出文件名", str(out))
    if out.suffix.lower() != ".xlsx":
        raise InputError("标注结果应保存为 .xlsx 文件（不含宏）", str(out))
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("只能标注 .xlsx / .xlsm 文件，请先在 Excel 中另存为 .xlsx", str(src))
    try:
        wb = openpyxl.load_workbook(src, keep_vba=False, rich_text=False)
    except Exception as exc:      # openpyxl raises many types on bad files
        raise InputError(f"无法读取为 Excel 工作簿：{reason(exc)}", str(src)) from None
    for mark in marks(findings):
        if mark.sheet in wb.sheetnames:
            _apply(wb[mark.sheet], mark)
    _results_sheet(wb, findings)
    wb.save(out)
    return out


def _apply(ws, mark: Mark) -> None:
    cell = ws[mark.cell]
    if isinstance(cell, MergedCell):
        rng = next(r for r in ws.merged_cells.ranges if mark.cell in r)
        cell = ws.cell(rng.min_row, rng.min_col)
    cell.fill = PatternFill("solid", fgColor=mark.color)
    text = f"{cell.comment.text}\n{mark.note}" if cell.comment else mark.note
    cell.comment = Comment(text, "jixiao", height=160, width=320)


def _results_sheet(wb, findings: list) -> None:
    if RESULTS_SHEET in wb.sheetnames:
        wb.remove(wb[RESULTS_SHEET])
    ws = wb.create_sheet(RESULTS_SHEET)
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(name=BODY_FONT, bold=True)
    for f in findings:
        ws.append([f.file, f.sheet, f.cell, f.project, f.indicator, f.rule, f.severity, f.message])
        row = ws.max_row
        color = ERROR_COLOR if f.severity == "错误" else HINT_COLOR
        ws.cell(row, 7).fill = PatternFill("solid", fgColor=color)
        if f.sheet in wb.sheetnames and _CELL.match(f.cell or ""):
            link = ws.cell(row, 3)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(f.sheet)}!{f.cell}")
            link.font = Font(name=BODY_FONT, color="0563C1", underline="single")
    for letter, width in zip("ABCDEFGH", (24, 16, 8, 28, 24, 22, 6, 80)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(ws.max_row, 1)}"
