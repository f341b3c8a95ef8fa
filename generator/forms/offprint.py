"""Fields a template keeps outside its print area (right of the check columns).

The official forms have no place for some model fields the master list carries
(项目负责人 / 联系人 / 联系电话 on the 2023 form, 备注 / 指标解释 of an indicator, the
苏州 form's 项目资金总额 besides its 资金来源 合计 row).  They sit in two columns
right of the check columns, one column apart: a label (locked) and a field
(unlocked), in the form's boxed look on a light fill, under the header
“补充信息（本栏不打印）” — on screen and read back, never printed.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string, get_column_letter

from .styles import BODY_FONT, BOX, CHECK_FILL, font

EXTRA_FILL = PatternFill("solid", fgColor="FFF8E1")


class OffPrint:
    """The two columns right of a FormSheet's check columns: label, field."""

    def __init__(self, s, header_row: int, widths=(16, 26)):
        self.s = s
        desc = column_index_from_string(s.desc_col)
        self.gap = get_column_letter(desc + 1)
        self.label_col = get_column_letter(desc + 2)
        self.value_col = get_column_letter(desc + 3)
        ws = s.ws
        ws.column_dimensions[self.gap].width = 2
        ws.column_dimensions[self.label_col].width = widths[0]
        ws.column_dimensions[self.value_col].width = widths[1]
        ref = f"{self.label_col}{header_row}"
        c = ws[ref]
        c.value = "补充信息（本栏不打印）"
        c.font = Font(name=BODY_FONT, size=9, bold=True, color="595959")
        c.fill = CHECK_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
        ws[f"{self.value_col}{header_row}"].fill = CHECK_FILL
        ws.merge_cells(f"{ref}:{self.value_col}{header_row}")

    def _style(self, cell, *, locked: bool, align: str, bold=False, fmt=None):
        cell.border = BOX
        cell.font = font(bold=bold)
        cell.fill = EXTRA_FILL
        # not wrapped: a long 指标解释 here must not make the printed row taller (autofit_rows
        # grows rows for wrapped text only); the whole text shows in the formula bar
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=False)
        cell.protection = Protection(locked=locked)
        if fmt:
            cell.number_format = fmt

    def label(self, row: int, text: str, col: str | None = None, bold=False):
        cell = self.s.ws[f"{col or self.label_col}{row}"]
        cell.value = text
        self._style(cell, locked=True, align="center", bold=bold)
        return cell

    def field(self, row: int, path: str, col: str | None = None, fmt=None, align="left"):
        cell = self.s.ws[f"{col or self.value_col}{row}"]
        cell.value = "{{ " + path + " }}"
        if fmt and align == "left" and fmt != "@":
            align = "right"
        self._style(cell, locked=False, align=align, fmt=fmt)
        return cell

    def pair(self, row: int, label: str, path: str, fmt=None):
        """Label and field side by side on `row`."""
        self.label(row, label)
        return self.field(row, path, fmt=fmt)
