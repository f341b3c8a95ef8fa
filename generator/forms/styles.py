"""Shared look and helpers of the official templates (templates/*.xlsx).

Every template module lays its form out with a `FormSheet`: labels (locked),
fields (`{{ path }}`, unlocked), check formulas (✓/✗, outside the print area),
data validation, print setup and protection, all the same way.  The list data
(一级/二级 from templates/taxonomy/*.yaml, other choices from
templates/lists.yaml) goes to a hidden, protected sheet `_lists` with
workbook-scoped defined names the validations use.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from ..fixedzip import entry
from ..paths import templates_dir

# --------------------------------------------------------------------------
# Look
BODY_FONT = "宋体"
TITLE_FONT = "宋体"
BODY_SIZE = 10.5
TITLE_SIZE = 18
SUBTITLE_SIZE = 12

MONEY = "#,##0.00"
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"
SCORE = "General"

THIN = Side(style="thin", color="000000")
NONE = Side(style=None)
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

CHECK_FILL = PatternFill("solid", fgColor="F2F2F2")
CHECK_FONT = Font(name=BODY_FONT, size=9, color="595959")

# A fixed date: the templates are byte-identical on every build.
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)

LISTS_SHEET = "_lists_{form}"     # one hidden list sheet per template, named after it
AUTHOR = "jixiao"

OK, BAD = "✓", "✗"


def font(size=BODY_SIZE, bold=False, name=BODY_FONT, color=None):
    return Font(name=name, size=size, bold=bold, color=color)


# --------------------------------------------------------------------------
# Width estimate of text (Excel column units ≈ width of "0" in the default font)

def text_units(text: str, size: float = BODY_SIZE) -> float:
    """Width of one line of text in column units at `size` pt."""
    units = 0.0
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        units += 2.0 if wide else 1.05
    return units * size / 11.0


def lines_needed(text: str, width_units: float, size: float = BODY_SIZE) -> int:
    return _lines_needed(str(text), width_units, size)


@lru_cache(maxsize=65536)
def _lines_needed(text: str, width_units: float, size: float) -> int:
    usable = max(width_units - 1.0, 1.0)
    total = 0
    for para in text.split("\n"):
        total += max(1, math.ceil(text_units(para, size) / usable))
    return total


def _merged_width(ws, cell, tops: dict) -> float:
    """Width of the cell, or of the merged range it starts (`tops`: top-left → range)."""
    rng = tops.get((cell.row, cell.column))
    if rng is not None:
        return sum(col_width(ws, c) for c in range(rng.min_col, rng.max_col + 1)), rng
    return col_width(ws, cell.column), None


def col_width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return dim.width if dim is not None and dim.width else 8.43


def autofit_rows(ws, rows=None, line_factor: float = 1.3, max_height: float = 409.0) -> None:
    """Grow row heights so that wrapped text shows completely.

    Excel and LibreOffice do not fit rows to merged cells, and the official
    forms are mostly merged cells: after rendering, call this on each sheet
    (`rows` = the rows written; default all).  A row only grows: a text that
    fits keeps the template's height.  Cells merged over several rows share
    the height of those rows.
    """
    need: dict[int, float] = {}
    wanted = None if rows is None else set(rows)
    tops = None
    looks: dict = {}                # (font, alignment) -> (wraps, size)
    widths: dict = {}
    for (r, c), cell in ws._cells.items():         # any order: heights only grow (max)
        if wanted is not None and r not in wanted:
            continue
        if cell.__class__ is MergedCell:
            continue
        value = cell._value
        if value is None or isinstance(value, str) and value.startswith("="):
            continue
        style = cell._style
        key = (style.fontId, style.alignmentId) if style else (0, 0)
        look = looks.get(key)
        if look is None:
            al = cell.alignment
            look = looks[key] = (bool(al and al.wrap_text), cell.font.sz or BODY_SIZE)
        wraps, size = look
        text = str(value)
        if not wraps and "\n" not in text:
            continue
        if tops is None:
            tops = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        rng = tops.get((r, c))
        span = (rng.min_col, rng.max_col) if rng is not None else (c, c)
        width = widths.get(span)
        if width is None:
            width = widths[span] = sum(col_width(ws, k) for k in range(span[0], span[1] + 1))
        n = _lines_needed(text, width, size)
        height = n * size * line_factor + 4
        if rng is not None and rng.max_row > rng.min_row:
            rows_of = range(rng.min_row, rng.max_row + 1)
            have = sum(row_height(ws, k) for k in rows_of)
            if height > have:
                extra = (height - have) / len(rows_of)
                for k in rows_of:
                    need[k] = max(need.get(k, 0), row_height(ws, k) + extra)
            continue
        need[r] = max(need.get(r, 0), height)
    for r in sorted(need):
        h = need[r]
        if h > row_height(ws, r):
            ws.row_dimensions[r].height = round(min(h, max_height), 1)


def row_height(ws, r: int) -> float:
    dim = ws.row_dimensions.get(r)
    return dim.height if dim is not None and dim.height else 15.0


# --------------------------------------------------------------------------
# List data

def _valid_name(name: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d]\w*", name)) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", name)


def load_lists() -> dict:
    with open(templates_dir() / "lists.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_taxonomy(file: str) -> dict:
    with open(templates_dir() / "taxonomy" / file, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Lists:
    """The hidden `_lists` sheet and the defined names over its columns."""

    def __init__(self, wb: Workbook, form: str):
        self.wb = wb
        self.form = form
        self.prefix = f"_{form}_"
        self.sheet = LISTS_SHEET.format(form=form)
        self.ws = wb.create_sheet(self.sheet)
        self.ws.sheet_state = "hidden"
        self.ws["A1"] = "下拉列表数据（由 generator/forms 生成：templates/taxonomy/*.yaml 与 templates/lists.yaml）"
        self.col = 1
        self.names: dict[str, str] = {}

    def add(self, name: str, values: list[str], header: str | None = None) -> str:
        """Write `values` in a new column from row 3 and name that range."""
        name = self.prefix + name
        if not _valid_name(name):
            raise ValueError(f"not a valid Excel name: {name}")
        if name in self.names:
            return name
        c = self.col
        self.col += 1
        letter = get_column_letter(c)
        self.ws.cell(2, c, header or name).font = Font(bold=True)
        for i, v in enumerate(values):
            self.ws.cell(3 + i, c, v)
        self.ws.column_dimensions[letter].width = 22
        ref = f"'{self.sheet}'!${letter}$3:${letter}${3 + max(len(values), 1) - 1}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.names[name] = ref
        return name

    def alias(self, name: str, target: str) -> None:
        name, target = self.prefix + name, self.prefix + target
        if _valid_name(name) and name not in self.names:
            self.wb.defined_names[name] = DefinedName(name, attr_text=self.names[target])
            self.names[name] = self.names[target]

    def choices(self, *keys: str) -> None:
        data = load_lists()
        for key in keys:
            self.add(f"选项_{key}", [str(v) for v in data[key]], key)

    def taxonomy(self, file: str) -> dict:
        """一级_列表, 二级_<一级 or alias>, 二级_全部 from a taxonomy file."""
        tax = load_taxonomy(file)
        level1 = tax["level1"]
        self.add("一级_列表", list(level1), f"一级（{tax['name']}）")
        everything: list[str] = []
        for name, spec in level1.items():
            children = list((spec or {}).get("level2") or {})
            for child in children:
                if child not in everything:
                    everything.append(child)
            if children:
                self.add(f"二级_{name}", children, f"二级：{name}")
        if everything:
            self.add("二级_全部", everything, "二级：全部")
            # aliases of a 一级 (as clerks write them) lead to the same list
            for name, spec in level1.items():
                if (spec or {}).get("level2"):
                    for alias in spec.get("aliases") or []:
                        self.alias(f"二级_{alias}", f"二级_{name}")
        return tax

    def finish(self) -> None:
        protect(self.ws)


# --------------------------------------------------------------------------
# Sheets

def protect(ws) -> None:
    """Protect without password; clerks may still format and insert/delete rows."""
    p = ws.protection
    p.sheet = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False
    p.insertRows = False
    p.deleteRows = False
    p.insertHyperlinks = False
    # still protected: insert/delete columns, sort, autofilter, objects


class FormSheet:
    """Lay one sheet of an official form out."""

    def __init__(self, wb: Workbook, title: str, widths: list[float], *, landscape: bool, form: str,
                 helper_col: str | None = None, check_col: str | None = None):
        self.wb = wb
        self.prefix = f"_{form}_"
        self.ws = wb.create_sheet(title)
        self.widths = widths
        self.ncols = len(widths)
        self.last = get_column_letter(self.ncols)
        self.landscape = landscape
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        # columns right of the form: hidden helper, then the checks (not printed)
        self.helper_col = helper_col or get_column_letter(self.ncols + 1)
        self.check_col = check_col or get_column_letter(self.ncols + 2)
        hc = self.ws.column_dimensions[self.helper_col]
        hc.width = 12
        hc.hidden = True
        cc = self.check_col
        self.value_col = get_column_letter(self.ws[cc + "1"].column + 1)
        self.desc_col = get_column_letter(self.ws[cc + "1"].column + 2)
        self.ws.column_dimensions[cc].width = 6
        self.ws.column_dimensions[self.value_col].width = 14
        self.ws.column_dimensions[self.desc_col].width = 40
        self.dvs: dict[tuple, DataValidation] = {}
        self.checks: list[tuple[int, str]] = []

    # -- cells ---------------------------------------------------------
    def _range(self, ref: str) -> tuple[str, str]:
        if ":" in ref:
            a, b = ref.split(":")
            return a, b
        return ref, ref

    def _put(self, ref, value, *, fnt, align, border=True, locked=True, fmt=None, merge=True):
        first, last = self._range(ref)
        ws = self.ws
        min_col, min_row, max_col, max_row = range_boundaries(f"{first}:{last}")
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                cell = ws.cell(r, c)
                if border:
                    cell.border = BOX
                cell.font = fnt
                cell.alignment = align
                cell.protection = Protection(locked=locked)
                if fmt:
                    cell.number_format = fmt
        cell = ws[first]
        cell.value = value
        if merge and first != last:
            ws.merge_cells(f"{first}:{last}")
        return cell

    def title(self, row: int, text: str, *, size=TITLE_SIZE, height=32, bold=True, name=TITLE_FONT):
        self._put(f"A{row}:{self.last}{row}", text, fnt=font(size, bold, name),
                  align=Alignment(horizontal="center", vertical="center"), border=False)
        self.ws.row_dimensions[row].height = height

    def line(self, ref: str, text: str, *, align="center", size=BODY_SIZE, bold=False, locked=True, height=None):
        cell = self._put(ref, text, fnt=font(size, bold),
                         align=Alignment(horizontal=align, vertical="center", wrap_text=False),
                         border=False, locked=locked)
        if height:
            self.ws.row_dimensions[cell.row].height = height
        return cell

    def label(self, ref: str, text: str, *, align="center", bold=False, indent=0, size=BODY_SIZE,
              valign="center"):
        return self._put(ref, text, fnt=font(size, bold),
                         align=Alignment(horizontal=align, vertical=valign, wrap_text=True, indent=indent))

    def field(self, ref: str, path_or_text: str, *, fmt=None, align="left", valign="center",
              wrap=True, locked=False):
        """An input cell.  `path_or_text` is a model path (→ `{{ path }}`) or a text with placeholders."""
        value = path_or_text if "{{" in path_or_text else "{{ " + path_or_text + " }}"
        if fmt in (MONEY, SCORE, PERCENT) and align == "left":
            align = "right"
        return self._put(ref, value, fnt=font(), fmt=fmt, locked=locked,
                         align=Alignment(horizontal=align, vertical=valign, wrap_text=wrap))

    def text(self, ref: str, path: str):
        """A long text field: wrapped, top-left."""
        return self.field(ref, path, valign="top")

    def formula(self, ref: str, formula: str, *, align="left", fmt=None):
        return self._put(ref, formula, fnt=font(), fmt=fmt,
                         align=Alignment(horizontal=align, vertical="center", wrap_text=True))

    def blank(self, ref: str, *, locked=True):
        return self._put(ref, None, fnt=font(), align=Alignment(vertical="center"), locked=locked)

    def side(self, col: str, row: int, *, top: bool, bottom: bool, locked=True):
        """A cell of a side-label column that continues down (no inner lines)."""
        cell = self.ws[f"{col}{row}"]
        cell.border = Border(left=THIN, right=THIN, top=THIN if top else NONE, bottom=THIN if bottom else NONE)
        cell.protection = Protection(locked=locked)
        cell.font = font()
        return cell

    def close_below(self, row: int, first: str, last: str, h: float = 6):
        """A thin spacer row whose top line closes the table above it."""
        for c in range(self.ws[first + "1"].column, self.ws[last + "1"].column + 1):
            self.ws.cell(row, c).border = Border(top=THIN)
        self.height(row, h)

    def height(self, row: int, h: float):
        self.ws.row_dimensions[row].height = h

    # -- loops ---------------------------------------------------------
    def loop(self, row: int, spec: str, col: str = "A"):
        """Mark `row` as a loop row: a note `jx:for …` on its first cell (column A)."""
        cell = self.ws[f"{col}{row}"]
        note = Comment(spec, AUTHOR, width=260, height=60)
        cell.comment = note
        return cell

    # -- checks (outside the print area) ---------------------------------
    def check_header(self, row: int):
        ws = self.ws
        for col, text in ((self.check_col, "核对"), (self.value_col, "计算值"), (self.desc_col, "说明（本栏不打印）")):
            c = ws[f"{col}{row}"]
            c.value = text
            c.font = Font(name=BODY_FONT, size=9, bold=True, color="595959")
            c.fill = CHECK_FILL
            c.alignment = Alignment(horizontal="center", vertical="center")

    def check(self, row: int, formula: str, desc: str, value: str | None = None, fmt=None):
        """A ✓/✗ formula at `row` in the check column; `value` a computed value beside it."""
        ws = self.ws
        c = ws[f"{self.check_col}{row}"]
        c.value = formula
        c.font = Font(name=BODY_FONT, size=11, bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center")
        c.fill = CHECK_FILL
        if value:
            v = ws[f"{self.value_col}{row}"]
            v.value = value
            v.font = CHECK_FONT
            v.fill = CHECK_FILL
            v.alignment = Alignment(horizontal="right", vertical="center")
            if fmt:
                v.number_format = fmt
        d = ws[f"{self.desc_col}{row}"]
        d.value = desc
        d.font = CHECK_FONT
        d.fill = CHECK_FILL
        d.alignment = Alignment(vertical="center", wrap_text=True)
        self.checks.append((row, desc))

    # -- validation ----------------------------------------------------
    def validate(self, ref: str, kind: str, formula1: str, *, formula2=None, operator=None,
                 title="", prompt="", error="", strict=False):
        key = (kind, formula1, formula2, operator, strict, title)
        dv = self.dvs.get(key)
        if dv is None:
            dv = DataValidation(type=kind, formula1=formula1, formula2=formula2, operator=operator,
                                allow_blank=True, showDropDown=False,
                                showErrorMessage=True, showInputMessage=bool(prompt),
                                errorStyle="stop" if strict else "warning",
                                errorTitle=title or None, error=error or None,
                                promptTitle=title or None, prompt=prompt or None)
            self.dvs[key] = dv
            self.ws.add_data_validation(dv)
        dv.add(ref)
        return dv

    def choose(self, ref: str, name: str, title: str):
        return self.validate(ref, "list", self.prefix + name, title=title,
                             error=f"请从下拉列表选择{title}；列表外的值须确认后方可保留。")

    def money(self, ref: str):
        return self.validate(ref, "decimal", "0", operator="greaterThanOrEqual", title="金额",
                             error="金额应为不小于 0 的数字（不要带单位或文字）。")

    def date(self, ref: str):
        return self.validate(ref, "date", "36526", formula2="73050", operator="between", title="日期",
                             error="请填写日期，如 2023-01-01。")

    def level1(self, ref: str):
        return self.choose(ref, "一级_列表", "一级指标")

    def level2(self, ref: str, level1_cell: str):
        """二级 depending on the 一级 of its row (the helper column holds the 一级 in force)."""
        h = f"${self.helper_col}{level1_cell}"
        p = self.prefix
        f = f'INDIRECT(IF(ISREF(INDIRECT("{p}二级_"&{h})),"{p}二级_"&{h},"{p}二级_全部"))'
        return self.validate(ref, "list", f, title="二级指标",
                             error="请从下拉列表选择该一级指标下的二级指标。")

    def level1_helper(self, header_row: int, loop_row: int, level1_col: str):
        """Hidden helper: the 一级 in force on the loop row (filled down under merged cells)."""
        hc, c = self.helper_col, level1_col
        head = self.ws[f"{hc}{header_row}"]
        head.value = "（一级）"
        cell = self.ws[f"{hc}{loop_row}"]
        # the last non-blank 一级 at or above this row (LOOKUP(1,0/…) works in Excel, WPS and
        # LibreOffice without array entry); the range grows with the table's rows.
        rng = f"${c}${header_row}:${c}${loop_row}"
        cell.value = f'=LOOKUP(1,0/((ROW({rng})<=ROW())*({rng}<>"")),{rng})'
        cell.protection = Protection(locked=True, hidden=True)

    # -- page ----------------------------------------------------------
    def finish(self, *, last_row: int, title_rows: str | None, freeze: str):
        ws = self.ws
        ws.sheet_view.showGridLines = False
        ws.sheet_view.zoomScale = 100
        ws.freeze_panes = freeze
        ps = ws.page_setup
        ps.paperSize = ws.PAPERSIZE_A4
        ps.orientation = "landscape" if self.landscape else "portrait"
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        m = ws.page_margins
        m.left = m.right = 0.5
        m.top = 0.6
        m.bottom = 0.7
        m.header = 0.3
        m.footer = 0.3
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9
        ws.print_area = f"A1:{self.last}{last_row}"
        if title_rows:
            ws.print_title_rows = title_rows
        # ✓ green, ✗ red in the check column
        col = self.check_col
        ws.conditional_formatting.add(f"{col}1:{col}1000",
                                      CellIsRule(operator="equal", formula=[f'"{BAD}"'],
                                                 font=Font(color="C00000", bold=True)))
        ws.conditional_formatting.add(f"{col}1:{col}1000",
                                      CellIsRule(operator="equal", formula=[f'"{OK}"'],
                                                 font=Font(color="00804A", bold=True)))
        protect(ws)


# --------------------------------------------------------------------------
# Workbook

def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def set_properties(wb: Workbook, form: str, region: str, title: str) -> None:
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.title = title
    props.subject = f"jixiao template {form}"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    for name, value in (("jx.form", form), ("jx.region", region), ("jx.title", title)):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def to_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes, the same on every build (fixed times, fixed zip entry dates)."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(entry(info.filename), data)
    return out.getvalue()


def save(wb: Workbook, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = to_bytes(wb)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def polish(wb) -> None:
    """What a rendered workbook needs after the template engine: list sheets hidden, rows fitted.

    (The engine copies every template sheet; the `_lists_*` sheets must stay hidden, and
    rows holding long texts must grow to show them.)
    """
    for ws in wb.worksheets:
        if ws.title.startswith("_lists"):
            ws.sheet_state = "hidden"
        else:
            autofit_rows(ws)
