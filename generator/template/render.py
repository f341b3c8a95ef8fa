"""Render forms into one workbook: each form through the template its `form.form` names.

Every template sheet is copied cell by cell into the output with its styles,
row heights, column widths, merges, data validation, conditional formats, print
settings and notes; loop rows repeat per item and everything below moves down
(see layout.py).  Output bytes depend only on the input: fixed document times,
fixed zip entry times, names in sorted order.

`render_workbook` gives the openpyxl workbook (callers may add sheets, e.g. a
目录, before `save_workbook`); `render_bytes`/`render_book` save it at once.
Speed: each template is loaded and prepared once per process (`_Template`);
the output starts from the first template's style tables, so cells take their
template style arrays as they are; merges are made as openpyxl's merge_cells
would make them, with the style work done once per distinct case; moved
formulas are remembered per loop layout; xlsxwrite.py writes sheet rows as text.
"""
from __future__ import annotations

import datetime as dt
import re
from copy import copy, deepcopy
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import openpyxl
from jinja2 import ChainableUndefined
from jinja2.sandbox import SandboxedEnvironment
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.descriptors.serialisable import Serialisable
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..forms.styles import autofit_rows
from ..model import Book, Form
from . import access
from .layout import _REF, RowMap, map_formula
from .registry import template_for
from .spec import PATH, PLACEHOLDER, SheetSpec, TemplateSpec
from .values import to_cell
from .xlsxwrite import xlsx_bytes

FIXED_TIME = dt.datetime(2000, 1, 1)
_ILLEGAL_SHEET = re.compile(r"[\[\]:*?/\\]")
_ENV = SandboxedEnvironment(undefined=ChainableUndefined, autoescape=False)


def render_book(book: Book, out_path: str | Path, templates_dir: str | Path | None = None) -> None:
    """Write `book` to `out_path` (.xlsx), one sheet (or template sheet group) per form."""
    Path(out_path).write_bytes(render_bytes(book, templates_dir))


def render_bytes(book: Book, templates_dir: str | Path | None = None) -> bytes:
    return workbook_bytes(render_workbook(book, templates_dir))


def render_workbook(book: Book, templates_dir: str | Path | None = None) -> openpyxl.Workbook:
    """`book` rendered into a new openpyxl workbook (in memory; save it with `save_workbook`).

    The workbook starts from the first template's style tables, so template cells
    keep their style index; callers may add sheets or styles before saving.
    """
    out = openpyxl.Workbook()
    out.remove(out.active)
    plans, shared, specs, styles = [], {}, {}, None
    for k, form in enumerate(book.forms, 1):
        if form.form not in specs:
            specs[form.form] = template_for(form.form, templates_dir)
        spec = specs[form.form]
        tpl = _template(spec.path)
        if styles is None:
            out.loaded_theme = tpl.wb.loaded_theme
            styles = _Styles(out, tpl)
        plans.append(_Plan(k, form, spec, tpl, _titles(form, spec, tpl.wb, out, shared)))
    for src_ws, title in shared.values():
        _sheets(out)[title] = out.create_sheet(title)
    names = {}
    for plan in plans:
        plan.render(out, styles, names, shared)
    for name in sorted(names):
        out.defined_names[name] = _defined_name(name, names[name])
    for attr in ("_jx_taken", "_jx_sheets"):
        out.__dict__.pop(attr, None)
    _properties(out, book)
    return out


_NAME = DefinedName("_", attr_text="_")


def _defined_name(name: str, ref: str) -> DefinedName:
    """DefinedName(name, attr_text=ref), made without its descriptors' checks (both are text)."""
    new = object.__new__(DefinedName)
    new.__dict__.update(_NAME.__dict__, name=name, attr_text=ref)
    return new


def workbook_bytes(wb) -> bytes:
    """The .xlsx bytes of `wb`: fixed document times and zip entry times (equal content, equal bytes)."""
    props = wb.properties
    props.created = props.modified = FIXED_TIME
    props.creator, props.lastModifiedBy = "jixiao", None
    return _save(wb)


def save_workbook(wb, path: str | Path) -> None:
    """Save `wb` deterministically (see `workbook_bytes`)."""
    Path(path).write_bytes(workbook_bytes(wb))


def shared_sheet(title: str) -> bool:
    """Template sheets named _… (list data) appear once per workbook, not once per form."""
    return title.startswith("_")


def _titles(form, spec, src, out, shared) -> dict[str, str]:
    """Output sheet title of each template sheet; creates the form's own sheets."""
    titles = {}
    taken = _taken(out)
    for i, ws in enumerate(src.worksheets):
        if shared_sheet(ws.title):
            key = (spec.path, ws.title)
            if key not in shared:
                shared[key] = (ws, _unique(_legal(ws.title), taken))
                taken.add(shared[key][1].lower())
            titles[ws.title] = shared[key][1]
            continue
        titles[ws.title] = _unique(_legal(form.sheet if i == 0 and form.sheet else ws.title), taken)
        taken.add(titles[ws.title].lower())
        _sheets(out)[titles[ws.title]] = out.create_sheet(titles[ws.title])
    return titles


def _sheets(out) -> dict:
    """{title: worksheet} of the sheets created while rendering `out`."""
    found = getattr(out, "_jx_sheets", None)
    if found is None:
        found = out._jx_sheets = {ws.title: ws for ws in out.worksheets}
    return found


def _sheet(out, title: str):
    return _sheets(out).get(title) or out[title]


def _taken(out) -> set:
    """Lower-cased titles taken in `out` while rendering (kept on the workbook)."""
    taken = getattr(out, "_jx_taken", None)
    if taken is None:
        taken = out._jx_taken = {t.lower() for t in out.sheetnames}
    return taken


def _legal(name: str) -> str:
    name = _ILLEGAL_SHEET.sub("_", name).strip("'")[:31]
    return name or "Sheet"


def _unique(name: str, taken) -> str:
    """`name`, else `name(2)`, `name(3)` …: the first not taken (`taken`: titles, or a set of them lower-cased)."""
    lower = taken if isinstance(taken, set) else {t.lower() for t in taken}
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


# ---------------------------------------------------------------- templates, prepared once

_STATIC, _SETTER, _FORMULA, _PATH, _EXPR, _TEXT = range(6)
_PLAIN = StyleArray()


class _SheetProto:
    """A template sheet as rendering needs it: cells by kind, styles, copies of its settings."""

    def __init__(self, ws):
        self.ws = ws
        self.cells = []             # (row, col, kind, payload, style or None, comment or None)
        probe = Cell(ws)
        for (r, c), cell in sorted(ws._cells.items()):
            if isinstance(cell, MergedCell):
                continue
            style = StyleArray(cell._style) if cell.has_style else None
            comment = cell.comment
            note = None
            if comment and not comment.text.lstrip().startswith("jx:"):
                note = (comment.text, comment.author, comment.height, comment.width)
            self.cells.append((r, c) + _kind(cell, probe) + (style, note))
        self.merges = sorted(m.bounds for m in ws.merged_cells.ranges)
        self.merges = [(b[1], b[0], b[3], b[2]) for b in self.merges]    # (min_row, min_col, max_row, max_col)
        self.rows = []              # (template row, a new row's RowDimension as rendering sets it)
        for r, d in sorted(ws.row_dimensions.items()):
            proto = RowDimension(None)
            proto.height, proto.hidden, proto.outlineLevel = d.height, d.hidden, d.outlineLevel
            self.rows.append((r, proto))
        self.cols = [(k, d.width, d.hidden, d.min, d.max) for k, d in sorted(ws.column_dimensions.items())]
        self.validations = [(copy(dv), list(dv.sqref.ranges), dv.formula1, dv.formula2)
                            for dv in ws.data_validations.dataValidation]
        self.formats = [(list(cf.sqref.ranges), [(copy(rule), list(rule.formula)) for rule in cf.rules])
                        for cf in ws.conditional_formatting]
        self.settings = {attr: copy(getattr(ws, attr)) for attr in _SETTINGS}
        self.views = deepcopy(ws.views)


_SETTINGS = ("sheet_format", "sheet_properties", "page_margins", "page_setup", "print_options",
             "HeaderFooter", "protection")


def _kind(cell, probe) -> tuple:
    """(kind, payload) of a template cell: how its output value is made."""
    value = cell.value
    if cell.data_type == "f" and isinstance(value, str):
        return _FORMULA, value
    if isinstance(value, str) and PLACEHOLDER.search(value):
        m = PLACEHOLDER.fullmatch(value.strip())
        if m:
            expr = m.group(1)
            if PATH.match(expr):
                return _PATH, tuple(access.tokens(expr))
            return _EXPR, _expression(expr)
        return _TEXT, _text_template(value)
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        probe._value, probe.data_type = None, "n"
        probe.value = value                 # as the value setter stores it
        return _STATIC, (probe._value, probe.data_type)
    return _SETTER, value


class _Template:
    """A template workbook loaded once, its sheets prepared; never changed by rendering."""

    def __init__(self, path: str):
        self.wb = openpyxl.load_workbook(path, rich_text=False)
        self.sheets = [_SheetProto(ws) for ws in self.wb.worksheets]
        self.tables = {name: _indexed(getattr(self.wb, name)) for name in _TABLES}
        self.merged = {}            # merge styles that need nothing beyond this template's tables
        self._pristine = None

    def merge(self, key):
        """Merge styles (see _Styles.merge) when this template's own tables hold all they need, else None.

        Worked out on a scratch workbook holding a fresh copy of the tables: when
        nothing had to be added, any workbook starting from these tables gets the
        same result and adds nothing either.
        """
        if key not in self.merged:
            if self._pristine is None:
                self._pristine = openpyxl.Workbook()
                self._pristine_ws = Worksheet(self._pristine, "_jx_scratch")
            book = self._pristine
            _adopt_tables(book, self)
            sizes = [len(getattr(book, name)) for name in _TABLES + ("_named_styles",)]
            found = _merge_styles(self._pristine_ws, key)
            grown = [len(getattr(book, name)) for name in _TABLES + ("_named_styles",)] != sizes
            self.merged[key] = None if grown else found
        return self.merged[key]


_TABLES = ("_fonts", "_fills", "_borders", "_alignments", "_protections", "_number_formats", "_cell_styles")


def _indexed(items) -> tuple[list, dict]:
    """A style table's items and {item: first index}."""
    first = {}
    for i, item in enumerate(items):
        first.setdefault(item, i)
    return list(items), first


@lru_cache(maxsize=16)
def _loaded(path: str, mtime: float) -> _Template:
    return _Template(path)


def _template(path: str) -> _Template:
    return _loaded(path, Path(path).stat().st_mtime)


# ---------------------------------------------------------------- styles

class _Styles:
    """Style tables of one output workbook.

    They start as a copy of the first template's tables: its cells keep their
    style arrays.  Another template's styles are added once each; merged cells'
    borders (as openpyxl's merge_cells makes them) are worked out once per
    distinct top-left style and shape.
    """

    def __init__(self, out, first: _Template):
        self.out, self.first = out, first
        _adopt_tables(out, first)
        self.other = {}             # id(template) -> _Convert
        self.merged = {}
        self._scratch = None

    def mapping(self, tpl: _Template):
        """None when `tpl`'s style arrays hold as they are, else a converter to output style arrays."""
        if tpl is self.first:
            return None
        if id(tpl) not in self.other:
            self.other[id(tpl)] = _Convert(self, tpl)
        return self.other[id(tpl)]

    def _probe(self):
        if self._scratch is None:
            self._scratch = Worksheet(self.out, "_jx_scratch")
        return Cell(self._scratch)

    def merge(self, tl: StyleArray, end: StyleArray | None, rows: int, cols: int):
        """What merging does to styles: (top-left style, {edge flags: merged cell style}).

        Worked out by openpyxl's own merge_cells on a scratch sheet of the same
        shape class (1, 2 or more rows and columns), once per distinct input: once
        per process when the template's own style tables hold every style it
        needs, else once per workbook (adding to its tables as merge_cells would).
        """
        key = (tuple(tl), None if end is None else tuple(end), min(rows, 3), min(cols, 3))
        found = self.merged.get(key) or self.first.merge(key)
        if found is None:
            self._probe()
            found = self.merged[key] = _merge_styles(self._scratch, key)
        return found


def _adopt_tables(out, tpl: _Template) -> None:
    """Give `out` a copy of the template's style tables."""
    for name in _TABLES:
        items, index = tpl.tables[name]
        table = IndexedList()
        list.extend(table, items)
        table._dict = dict(index)
        setattr(out, name, table)
    named = NamedStyleList()
    list.extend(named, tpl.wb._named_styles)
    out._named_styles = named
    out._date_formats = copy(tpl.wb._date_formats)
    out._timedelta_formats = copy(tpl.wb._timedelta_formats)
    out._colors = list(tpl.wb._colors)


def _merge_styles(ws, key):
    """merge_cells on the empty scratch sheet `ws`: (top-left style, {edge flags: style})."""
    tl, end, rows, cols = key
    ws._cells.clear()
    ws.merged_cells = MultiCellRange()
    ws.cell(1, 1)._style = StyleArray(tl)
    if end is not None and (rows, cols) != (1, 1):
        ws.cell(rows, cols)._style = StyleArray(end)
    ws.merge_cells(start_row=1, start_column=1, end_row=rows, end_column=cols)
    edges = {(r == 1, r == rows, c == 1, c == cols): StyleArray(cell._style)
             for (r, c), cell in ws._cells.items() if (r, c) != (1, 1)}
    found = (StyleArray(ws._cells[1, 1]._style), edges)
    ws._cells.clear()
    ws.merged_cells = MultiCellRange()
    return found


class _Convert:
    """Another template's style arrays as style arrays of the output (each distinct one added once)."""

    def __init__(self, styles: _Styles, tpl: _Template):
        self.styles, self.sheet, self.cache = styles, tpl.wb.worksheets[0], {}

    def __call__(self, style: StyleArray) -> StyleArray:
        key = tuple(style)
        found = self.cache.get(key)
        if found is None:
            src = Cell(self.sheet, style_array=StyleArray(style))
            dst = self.styles._probe()
            for attr in ("font", "border", "fill", "protection", "alignment"):
                setattr(dst, attr, copy(getattr(src, attr)))
            dst.number_format = src.number_format
            dst._style.quotePrefix = src._style.quotePrefix
            found = self.cache[key] = dst._style
        return found


# ---------------------------------------------------------------- formulas, moved once per layout

_MOVED: dict = {}
_REFS: dict = {}


def _sheet_refs(formula: str) -> tuple:
    """The sheets (None: its own) a formula's references name, as map_formula sees them."""
    refs = _REFS.get(formula)
    if refs is None:
        found = []
        for t in Tokenizer(formula).items:
            if t.type == Token.OPERAND and t.subtype == Token.RANGE:
                m = _REF.match(t.value)
                if m:
                    sheet = m.group("sheet")
                    name = sheet.strip("'").replace("''", "'") if sheet else None
                    if name not in found:
                        found.append(name)
        if len(_REFS) > 50_000:
            _REFS.clear()
        refs = _REFS[formula] = tuple(found)
    return refs


@lru_cache(maxsize=65536)
def _translated(formula: str, origin: str, dest: str) -> str:
    return Translator(formula, origin=origin).translate_formula(dest)


class _Plan:
    """One form: its template, output sheet titles and row maps."""

    def __init__(self, k: int, form: Form, spec: TemplateSpec, tpl: _Template, titles: dict[str, str]):
        self.k, self.form, self.spec, self.tpl, self.titles = k, form, spec, tpl, titles
        self.src = tpl.wb
        self.maps = {p.name: RowMap({lp.row: len(access.get(form, lp.list) or []) for lp in p.loops})
                     for p in spec.sheets}
        self.layout = {name: tuple(sorted(m.counts.items())) for name, m in self.maps.items()}

    def rows_of(self, own: str):
        return lambda name: self.maps.get(own if name is None else name)

    def rename(self, name: str) -> str:
        return self.titles.get(name, name)

    def moved(self, formula: str, own: str, item=None) -> str:
        """map_formula(formula, self.rows_of(own), self.rename, item), remembered per layout."""
        key = (formula, item) + tuple((name, self.layout.get(own if name is None else name),
                                       None if name is None else self.rename(name))
                                      for name in _sheet_refs(formula))
        found = _MOVED.get(key)
        if found is None:
            if len(_MOVED) > 100_000:
                _MOVED.clear()
            found = _MOVED[key] = map_formula(formula, self.rows_of(own), self.rename, item)
        return found

    def render(self, out, styles, names: dict, shared: dict) -> None:
        ctx = _context(self.form)
        mapping = styles.mapping(self.tpl)
        for part, proto in zip(self.spec.sheets, self.tpl.sheets):
            ws = proto.ws
            title = self.titles[ws.title]
            if shared_sheet(ws.title):
                if shared.pop((self.spec.path, ws.title), None) is None:
                    continue                # already written by an earlier form
            dst = _sheet(out, title)
            _SheetWriter(self, proto, dst, part, self.maps[part.name], styles, mapping).write(self.form, ctx)
            autofit_rows(dst)
            for name, ref in _names(self.k, self.spec, part, self.maps[part.name], title).items():
                names.setdefault(name, ref)
        self._template_names(out, names)

    def _template_names(self, out, names: dict) -> None:
        """The template's own names (list data for validations), moved like formulas.

        A name another form already defines differently is scoped to this form's sheets.
        """
        for name, dn in sorted(self.src.defined_names.items()):
            ref = self.moved(f"={dn.attr_text}", "")[1:]
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


def _clone(obj):
    """A deep copy of an openpyxl object tree (what copy()/deepcopy() give, faster)."""
    if isinstance(obj, Serialisable):
        new = object.__new__(type(obj))
        new.__dict__.update({k: _clone(v) for k, v in obj.__dict__.items()})
        return new
    if type(obj) is list:
        return [_clone(v) for v in obj]
    if type(obj) is tuple:
        return tuple(_clone(v) for v in obj)
    return obj


class _SheetWriter:
    def __init__(self, plan: _Plan, proto: _SheetProto, dst, part: SheetSpec, rows: RowMap,
                 styles: _Styles, mapping):
        self.plan, self.proto, self.src, self.dst, self.part, self.rows = plan, proto, proto.ws, dst, part, rows
        self.styles, self.mapping = styles, mapping
        self.loops = {lp.row: lp for lp in part.loops}
        self.own = part.name

    def write(self, form: Form, ctx: dict) -> None:
        items = {r: access.get(form, lp.list) or [None] for r, lp in self.loops.items()}
        dst, cells = self.dst, self.dst._cells
        firsts = {}

        def first(r: int) -> int:
            if r not in firsts:
                firsts[r] = self.rows.first(r)
            return firsts[r]
        mapping = self.mapping
        item_ctx = {}
        for r, c, kind, payload, style, note in self.proto.cells:
            if style is not None and mapping is not None:
                style = mapping(style)
            if r in self.loops:
                lp = self.loops[r]
                top = first(r)
                for i, item in enumerate(items[r]):
                    cell = cells[top + i, c] = Cell(dst, top + i, c, None, style)
                    if kind == _STATIC:
                        cell._value, cell.data_type = payload
                    elif kind == _PATH:
                        toks = payload
                        _set(cell, to_cell(access.get_tokens(item, toks[1:]) if toks[0] == lp.var else
                                           access.get_tokens({lp.var: item}, toks)))
                    elif kind == _FORMULA:
                        cell.value = self._loop_formula(c, payload, (r, i))
                    elif kind in (_EXPR, _TEXT):
                        if (r, i) not in item_ctx:
                            item_ctx[r, i] = ctx | {lp.var: item}
                        _set(cell, to_cell(_value(kind, payload, item_ctx[r, i])))
                    else:
                        cell.value = payload
                    if note:
                        cell.comment = Comment(*note)
            else:
                row = first(r)
                cell = cells[row, c] = Cell(dst, row, c, None, style)
                if kind == _STATIC:
                    cell._value, cell.data_type = payload
                elif kind == _PATH:
                    _set(cell, to_cell(access.get_tokens(form, payload)))
                elif kind == _FORMULA:
                    cell.value = self.plan.moved(payload, self.own)
                elif kind in (_EXPR, _TEXT):
                    _set(cell, to_cell(_value(kind, payload, ctx)))
                else:
                    cell.value = payload
                if note:
                    cell.comment = Comment(*note)
        if self.proto.cells:
            dst._current_row = max(dst._current_row, self.rows.last(self.proto.cells[-1][0]))
        self._dimensions()
        self._merges(items)
        self._validations()
        self._conditional_formats()
        self._print_settings()

    def _loop_formula(self, col: int, value: str, item) -> str:
        """Item 0 gets the moved formula; later items the fill-down of it, as Excel copies."""
        letter = get_column_letter(col)
        top = self.rows.first(item[0])
        moved = self.plan.moved(value, self.own, (item[0], 0))
        if item[1] == 0:
            return moved
        return _translated(moved, f"{letter}{top}", f"{letter}{top + item[1]}")

    def _dimensions(self):
        first, last = self.rows.first, self.rows.last
        dims = self.dst.row_dimensions
        for r, proto in self.proto.rows:
            for row in range(first(r), last(r) + 1):
                if row in dims:
                    new = dims[row]
                    new.height, new.hidden, new.outlineLevel = proto.height, proto.hidden, proto.outlineLevel
                    continue
                new = object.__new__(RowDimension)      # dims[row] with height, hidden, level set
                new.__dict__.update(proto.__dict__, index=row)
                new.parent, new._style = self.dst, None
                dims[row] = new
        for key, width, hidden, lo, hi in self.proto.cols:
            new = self.dst.column_dimensions[key]
            new.width, new.hidden, new.min, new.max = width, hidden, lo, hi

    def _area(self, rng: CellRange) -> str:
        top, bottom = self.rows.span(rng.min_row, rng.max_row)
        left, right = get_column_letter(rng.min_col), get_column_letter(rng.max_col)
        return f"{left}{top}" if (left, top) == (right, bottom) else f"{left}{top}:{right}{bottom}"

    def _moved_range(self, rng: CellRange) -> CellRange:
        """CellRange(self._area(rng)), made without parsing."""
        top, bottom = self.rows.span(rng.min_row, rng.max_row)
        new = CellRange.__new__(CellRange)
        new.__dict__.update(min_col=rng.min_col, min_row=top, max_col=rng.max_col, max_row=bottom, title=None)
        return new

    def _merges(self, items):
        runs = {r: _runs(lp, items[r], self.src) for r, lp in self.loops.items()}
        span, first = self.rows.span, self.rows.first
        todo = []
        for min_row, min_col, max_row, max_col in self.proto.merges:
            if min_row == max_row and min_row in self.loops:
                covered = runs[min_row]
                for i in range(len(items[min_row])):
                    if (i, min_col) not in covered:
                        row = first(min_row) + i
                        todo.append((row, min_col, row, max_col))
            else:
                top, bottom = span(min_row, max_row)
                todo.append((top, min_col, bottom, max_col))
        for r, spans in runs.items():
            for (i, col), (last, end_col) in sorted(spans.items()):
                top = first(r)
                todo.append((top + i, col, top + last, end_col))
        done = []
        for bounds in todo:
            self._merge(bounds, done)

    def _merge(self, bounds, done: list) -> None:
        """ws.merge_cells(…) as openpyxl does it (borders and protection of the merged cells), faster."""
        ws, cells = self.dst, self.dst._cells
        r1, c1, r2, c2 = bounds
        tl = cells.get((r1, c1))
        if tl is None:
            tl = ws.cell(r1, c1)
        end = cells.get((r2, c2))
        tl_style, edges = self.styles.merge(tl._style or _PLAIN, None if end is None else end._style or _PLAIN,
                                            r2 - r1 + 1, c2 - c1 + 1)
        tl._style = StyleArray(tl_style)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if r == r1 and c == c1:
                    continue
                cell = cells[r, c] = MergedCell(ws, r, c)
                cell._style = StyleArray(edges[r == r1, r == r2, c == c1, c == c2])
        if not any(a <= r1 and b <= c1 and r2 <= x and c2 <= y for a, b, x, y in done):
            mcr = MergedCellRange.__new__(MergedCellRange)
            mcr.__dict__.update(ws=ws, min_col=c1, min_row=r1, max_col=c2, max_row=r2, title=None, start_cell=tl)
            ws.merged_cells.ranges.add(mcr)
            done.append(bounds)

    def _formula(self, text):
        return self.plan.moved(f"={text}", self.own)[1:] if text else text

    def _validations(self):
        for proto, ranges, formula1, formula2 in self.proto.validations:
            new = _clone(proto)
            new.sqref = MultiCellRange([self._moved_range(r) for r in ranges])
            new.formula1, new.formula2 = self._formula(formula1), self._formula(formula2)
            self.dst.add_data_validation(new)

    def _conditional_formats(self):
        for ranges, rules in self.proto.formats:
            area = " ".join(self._area(r) for r in ranges)
            for proto, formula in rules:
                new = object.__new__(type(proto))       # a copy sharing the (unchanged) differential style
                new.__dict__.update({k: v if k == "dxf" else _clone(v) for k, v in proto.__dict__.items()})
                new.formula = [self._formula(f) for f in formula]
                self.dst.conditional_formatting.add(area, new)

    def _print_settings(self):
        src, dst = self.src, self.dst
        for attr, proto in self.proto.settings.items():
            setattr(dst, attr, _clone(proto))
        dst.views = _clone(self.proto.views)
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


def _value(kind, payload, ctx):
    if kind == _EXPR:
        return payload(**ctx)
    return payload.render(**ctx)


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


def _save(wb) -> bytes:
    return xlsx_bytes(wb)
