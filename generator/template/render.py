"""Render forms into one workbook: each form through the template its `form.form` names.

Every template sheet is copied cell by cell into the output with its styles,
row heights, column widths, merges, data validation, conditional formats, print
settings and notes; loop rows repeat per item and everything below moves down
(see layout.py).  Output bytes depend only on the input: fixed document times,
fixed zip entry times, names in sorted order.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy, deepcopy
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import openpyxl
from jinja2 import ChainableUndefined
from jinja2.sandbox import SandboxedEnvironment
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formula.translate import Translator
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.writer.excel import ExcelWriter
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname

from ..forms.styles import autofit_rows
from ..model import Book, Form
from . import access
from .layout import RowMap, map_formula
from .registry import template_for
from .spec import PATH, PLACEHOLDER, SheetSpec, TemplateSpec
from .values import to_cell

FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ILLEGAL_SHEET = re.compile(r"[\[\]:*?/\\]")
_ENV = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False)


def render_book(book: Book, out_path: str | Path, templates_dir: str | Path | None = None) -> None:
    """Write `book` to `out_path` (.xlsx), one sheet (or template sheet group) per form."""
    Path(out_path).write_bytes(render_bytes(book, templates_dir))


def render_bytes(book: Book, templates_dir: str | Path | None = None) -> bytes:
    out = openpyxl.Workbook()
    out.remove(out.active)
    plans, shared = [], {}
    for k, form in enumerate(book.forms, 1):
        spec = template_for(form.form, templates_dir)
        src = _template_book(spec.path)
        if k == 1:
            out.loaded_theme = src.loaded_theme
        plans.append(_Plan(k, form, spec, src, _titles(form, spec, src, out, shared)))
    for src_ws, title in shared.values():
        out.create_sheet(title)
    styles, names = _Styles(), {}
    for plan in plans:
        plan.render(out, styles, names, shared)
    for name in sorted(names):
        out.defined_names[name] = DefinedName(name, attr_text=names[name])
    _properties(out, book)
    return _save(out)


def shared_sheet(title: str) -> bool:
    """Template sheets named _… (list data) appear once per workbook, not once per form."""
    return title.startswith("_")


def _titles(form, spec, src, out, shared) -> dict[str, str]:
    """Output sheet title of each template sheet; creates the form's own sheets."""
    titles = {}
    taken = out.sheetnames + [t for _, t in shared.values()]
    for i, ws in enumerate(src.worksheets):
        if shared_sheet(ws.title):
            key = (spec.path, ws.title)
            if key not in shared:
                shared[key] = (ws, _unique(_legal(ws.title), taken))
                taken.append(shared[key][1])
            titles[ws.title] = shared[key][1]
            continue
        titles[ws.title] = _unique(_legal(form.sheet if i == 0 and form.sheet else ws.title), taken)
        taken.append(titles[ws.title])
        out.create_sheet(titles[ws.title])
    return titles


@lru_cache(maxsize=16)
def _loaded(path: str, mtime: float):
    return openpyxl.load_workbook(path, rich_text=False)


def _template_book(path: str):
    return _loaded(path, Path(path).stat().st_mtime)


def _legal(name: str) -> str:
    name = _ILLEGAL_SHEET.sub("_", name).strip("'")[:31]
    return name or "Sheet"


def _unique(name: str, taken: list[str]) -> str:
    lower = {t.lower() for t in taken}
    n, candidate = 1, name
    while candidate.lower() in lower:
        n += 1
        suffix = f"({n})"
        candidate = name[:31 - len(suffix)] + suffix
    return candidate


def _context(form: Form) -> dict:
    ctx = {f.name: getattr(form, f.name) for f in fields(Form) if f.name != "where"}
    ctx["form"] = form
    return ctx


@lru_cache(maxsize=1024)
def _expression(expr: str):
    return _ENV.compile_expression(expr, undefined_to_none=True)


@lru_cache(maxsize=1024)
def _text_template(text: str):
    return _ENV.from_string(text)


def fill(text: str, ctx: dict, root=None):
    """A template cell's value: native for a lone placeholder, else the rendered text."""
    m = PLACEHOLDER.fullmatch(text.strip())
    if m:
        expr = m.group(1)
        if root is not None and PATH.match(expr):
            return access.get(root, expr)
        return _expression(expr)(**ctx)
    return _text_template(text).render(**ctx)


class _Plan:
    """One form: its template, output sheet titles and row maps."""

    def __init__(self, k: int, form: Form, spec: TemplateSpec, src, titles: dict[str, str]):
        self.k, self.form, self.spec, self.src, self.titles = k, form, spec, src, titles
        self.maps = {p.name: RowMap({lp.row: len(access.get(form, lp.list) or []) for lp in p.loops})
                     for p in spec.sheets}

    def rows_of(self, own: str):
        return lambda name: self.maps.get(own if name is None else name)

    def rename(self, name: str) -> str:
        return self.titles.get(name, name)

    def render(self, out, styles, names: dict, shared: dict) -> None:
        ctx = _context(self.form)
        for part, ws in zip(self.spec.sheets, self.src.worksheets):
            title = self.titles[ws.title]
            if shared_sheet(ws.title):
                if shared.pop((self.spec.path, ws.title), None) is None:
                    continue                # already written by an earlier form
            writer = _SheetWriter(ws, out[title], part, self.maps[part.name], styles,
                                  self.rows_of(part.name), self.rename)
            writer.write(self.form, ctx)
            autofit_rows(out[title])
            for name, ref in _names(self.k, self.spec, part, self.maps[part.name], title).items():
                names.setdefault(name, ref)
        self._template_names(out, names)

    def _template_names(self, out, names: dict) -> None:
        """The template's own names (list data for validations), moved like formulas.

        A name another form already defines differently is scoped to this form's sheets.
        """
        for name, dn in sorted(self.src.defined_names.items()):
            ref = map_formula(f"={dn.attr_text}", self.rows_of(""), self.rename)[1:]
            if names.setdefault(name, ref) == ref:
                continue
            for ws in self.src.worksheets:
                if not shared_sheet(ws.title):
                    out[self.titles[ws.title]].defined_names[name] = DefinedName(name, attr_text=ref)


def _names(k: int, spec: TemplateSpec, part: SheetSpec, rows: RowMap, title: str) -> dict[str, str]:
    """Defined names over every field and loop table, and one naming the sheet's template part."""
    sheet = quote_sheetname(title)
    out = {}
    if shared_sheet(part.name):
        return out
    if re.fullmatch(r"[A-Za-z0-9_.]+", spec.form):
        out[f"jx_{k}__{part.index + 1}.{spec.form}"] = f"{sheet}!$A$1"
    for f in part.fields:
        for path in filter(None, f.paths):
            ref = absolute_coordinate(f"{get_column_letter(f.col)}{rows.first(f.row)}")
            out[name_of(k, path)] = f"{sheet}!{ref}"
    for lp in part.loops:
        cols = [c.col for c in lp.columns] or [1]
        top, bottom = rows.span(lp.row, lp.row)
        ref = f"{get_column_letter(min(cols))}{top}:{get_column_letter(max(cols))}{bottom}"
        out[name_of(k, lp.list)] = f"{sheet}!{absolute_coordinate(ref)}"
    return out


def name_of(k: int, path: str) -> str:
    """The defined name of form k's `path`: jx_1_project.name, jx_1_execution.lines_0.planned."""
    return f"jx_{k}_" + re.sub(r"\[(\d+)\]", r"_\1", path)


class _Styles:
    """Copies cell styles between workbooks, each distinct style once."""

    def __init__(self):
        self.cache = {}

    def apply(self, src, dst):
        if not src.has_style:
            return
        key = (id(src.parent.parent), tuple(src._style))
        if key not in self.cache:
            for attr in ("font", "border", "fill", "protection", "alignment"):
                setattr(dst, attr, copy(getattr(src, attr)))
            dst.number_format = src.number_format
            dst._style.quotePrefix = src._style.quotePrefix
            self.cache[key] = copy(dst._style)
        dst._style = copy(self.cache[key])


class _SheetWriter:
    def __init__(self, src, dst, part: SheetSpec, rows: RowMap, styles: _Styles, rows_of, rename):
        self.src, self.dst, self.part, self.rows = src, dst, part, rows
        self.styles, self.rows_of, self.rename = styles, rows_of, rename
        self.loops = {lp.row: lp for lp in part.loops}

    def write(self, form: Form, ctx: dict) -> None:
        items = {r: access.get(form, lp.list) or [None] for r, lp in self.loops.items()}
        for (r, c), cell in sorted(self.src._cells.items()):
            if isinstance(cell, MergedCell):
                continue
            if r in self.loops:
                lp = self.loops[r]
                for i, item in enumerate(items[r]):
                    self._cell(cell, self.rows.first(r) + i, ctx | {lp.var: item}, {lp.var: item}, (r, i))
            else:
                self._cell(cell, self.rows.first(r), ctx, form, None)
        self._dimensions()
        self._merges(items)
        self._validations()
        self._conditional_formats()
        self._print_settings()

    def _cell(self, src, row, ctx, root, item):
        dst = self.dst.cell(row, src.column)
        self.styles.apply(src, dst)
        value = src.value
        if src.data_type == "f" and isinstance(value, str):
            dst.value = self._loop_formula(src, value, item) if item else \
                map_formula(value, self.rows_of, self.rename)
        elif isinstance(value, str) and PLACEHOLDER.search(value):
            _set(dst, to_cell(fill(value, ctx, root)))
        else:
            dst.value = value
        if src.comment and not src.comment.text.lstrip().startswith("jx:"):
            dst.comment = Comment(src.comment.text, src.comment.author,
                                  src.comment.height, src.comment.width)

    def _loop_formula(self, src, value: str, item) -> str:
        """Item 0 gets the moved formula; later items the fill-down of it, as Excel copies."""
        top = f"{src.column_letter}{self.rows.first(item[0])}"
        first = map_formula(value, self.rows_of, self.rename, (item[0], 0))
        if item[1] == 0:
            return first
        return Translator(first, origin=top).translate_formula(f"{src.column_letter}{self.rows.first(item[0]) + item[1]}")

    def _dimensions(self):
        for r, dim in sorted(self.src.row_dimensions.items()):
            for row in range(self.rows.first(r), self.rows.last(r) + 1):
                new = self.dst.row_dimensions[row]
                new.height, new.hidden = dim.height, dim.hidden
                new.outlineLevel = dim.outlineLevel
        for key, dim in sorted(self.src.column_dimensions.items()):
            new = self.dst.column_dimensions[key]
            new.width, new.hidden, new.min, new.max = dim.width, dim.hidden, dim.min, dim.max

    def _area(self, rng: CellRange) -> str:
        top, bottom = self.rows.span(rng.min_row, rng.max_row)
        return CellRange(min_col=rng.min_col, min_row=top, max_col=rng.max_col, max_row=bottom).coord

    def _merges(self, items):
        runs = {r: _runs(lp, items[r], self.src) for r, lp in self.loops.items()}
        for rng in sorted(self.src.merged_cells.ranges, key=lambda m: m.bounds):
            if rng.min_row == rng.max_row and rng.min_row in self.loops:
                covered = runs[rng.min_row]
                for i in range(len(items[rng.min_row])):
                    if (i, rng.min_col) not in covered:
                        row = self.rows.first(rng.min_row) + i
                        self.dst.merge_cells(start_row=row, end_row=row,
                                             start_column=rng.min_col, end_column=rng.max_col)
            else:
                self.dst.merge_cells(self._area(rng))
        for r, spans in runs.items():
            for (i, col), (last, end_col) in sorted(spans.items()):
                top = self.rows.first(r)
                self.dst.merge_cells(start_row=top + i, end_row=top + last,
                                     start_column=col, end_column=end_col)

    def _formula(self, text):
        return map_formula(f"={text}", self.rows_of, self.rename)[1:] if text else text

    def _validations(self):
        for dv in self.src.data_validations.dataValidation:
            new = copy(dv)
            new.sqref = MultiCellRange([self._area(r) for r in dv.sqref.ranges])
            new.formula1, new.formula2 = self._formula(dv.formula1), self._formula(dv.formula2)
            self.dst.add_data_validation(new)

    def _conditional_formats(self):
        for cf in self.src.conditional_formatting:
            area = " ".join(self._area(r) for r in cf.sqref.ranges)
            for rule in cf.rules:
                new = copy(rule)
                new.formula = [self._formula(f) for f in rule.formula]
                self.dst.conditional_formatting.add(area, new)

    def _print_settings(self):
        src, dst = self.src, self.dst
        for attr in ("sheet_format", "sheet_properties", "page_margins", "page_setup",
                     "print_options", "HeaderFooter", "protection"):
            setattr(dst, attr, copy(getattr(src, attr)))
        dst.views = deepcopy(src.views)
        dst.sheet_state = src.sheet_state
        if src._print_rows:
            top, bottom = self.rows.span(src._print_rows.min_row, src._print_rows.max_row)
            dst.print_title_rows = f"{top}:{bottom}"
        if src._print_cols:
            dst.print_title_cols = str(src._print_cols)
        if src._print_area.ranges:
            dst.print_area = [self._area(r) for r in src._print_area.ranges]
        if src.freeze_panes:
            cell = src[src.freeze_panes]
            dst.freeze_panes = f"{cell.column_letter}{self.rows.first(cell.row)}"
        for brk in src.row_breaks.brk:
            dst.row_breaks.append(Break(id=self.rows.last(brk.id)))


def _set(cell, value) -> None:
    """Write a value; text starting with '=' stays text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, dt.date) and cell.number_format == "General":
        cell.number_format = "yyyy-mm-dd"


def _runs(lp, items, src) -> dict[tuple[int, int], tuple[int, int]]:
    """Merge runs of the loop's merge columns: (item, col) -> (last item, last col).

    A run starts at a non-blank value and takes the blank rows below it; a run
    in a later merge column also ends where an earlier column starts a run.
    """
    by_col = {c.col: c.path for c in lp.columns}
    widths = {m.min_col: m.max_col for m in src.merged_cells.ranges
              if m.min_row == m.max_row == lp.row}
    out, starts = {}, set()
    for col in lp.merge:
        path = by_col.get(col)
        values = [access.get(item, path) if path and item is not None else None for item in items]
        begun = {i for i, v in enumerate(values) if v not in (None, "")}
        starts |= begun
        for i in sorted(begun):
            last = i
            while last + 1 < len(values) and last + 1 not in starts:
                last += 1
            if last > i:
                out[(i, col)] = (last, widths.get(col, col))
    return out


def _properties(out, book: Book) -> None:
    props = out.properties
    props.creator, props.lastModifiedBy = "jixiao", None
    props.created = props.modified = FIXED_TIME
    forms = list(dict.fromkeys(f.form for f in book.forms))
    regions = list(dict.fromkeys(f.region for f in book.forms if f.region))
    out.custom_doc_props.append(StringProperty(name="jx.form", value=",".join(forms)))
    if regions:
        out.custom_doc_props.append(StringProperty(name="jx.region", value=",".join(regions)))


class _FixedZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time, so equal input gives equal bytes."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:
            self.writestr(arcname or str(filename), fh.read())


def _save(wb) -> bytes:
    buf = io.BytesIO()
    ExcelWriter(wb, _FixedZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buf.getvalue()
