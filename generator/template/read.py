"""Read filled forms back into the model, each sheet through the template it matches.

A sheet's template is named by the `jx_<k>__<part>.<form>` defined name a
rendered workbook carries, else found by its label texts.  Its rows are found
by alignment (align.py), helped by the defined names over fields where they
still sit beside their labels.  Only cached values are read: no formula is
evaluated and no macro is loaded (an .xlsm is read for its values like an .xlsx).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from ..grid import Grid, open_grid
from ..memo import Memo
from ..model import Book, Form
from ..rules import Finding
from . import access
from .align import Alignment, SheetIndex, _shown, best_anchors
from .registry import Specs, best_match, sheet_texts
from .render import name_of
from .spec import Field, SheetSpec, _normalize, normalize
from .values import blank, from_cell

RESULTS_SHEET = "校验结果"
HINT = "提示"
_MARKER = re.compile(r"^jx_(\d+)__(\d+)\.(.+)$")
_REF = re.compile(r"^(?:'((?:[^']++|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?")
_TOTAL = ("合计", "小计", "总计")
MOVED_ROWS = 3             # how far below a blank field its moved name is looked at
LIST_TITLES = {"indicators": "绩效指标", "details": "项目构成明细", "subprojects": "子项目",
               "sources": "资金来源", "guarantees": "制度保障", "execution.lines": "预算执行"}


@dataclass(frozen=True)
class Source:
    form: int             # index in book.forms
    template: str         # form id
    template_path: str
    sheets: tuple         # the sheets the form was read from
    method: str           # names (defined names of a rendered form) / labels


@dataclass
class ReadResult:
    book: Book
    findings: list = field(default_factory=list)
    sources: list = field(default_factory=list)


def read_workbook(path: str | Path, templates_dir: str | Path | None = None,
                  engine: str = "calamine") -> ReadResult:
    """Read every form in an .xlsx (also .xlsm values, .xls/.ods with calamine)."""
    return read_grid(open_grid(path, engine), templates_dir)


def read_grid(grid: Grid, templates_dir: str | Path | None = None) -> ReadResult:
    result = ReadResult(Book(path=grid.path))
    refs = _Refs(grid.names)
    groups = _groups(grid, Specs(templates_dir), result)
    for key, spec, parts in groups:
        form = Form(form=spec.form, region=spec.region, sheet=parts[0][0])
        findings, named = [], False
        for sheet, part in parts:
            named |= _SheetReader(grid, sheet, part, form, key, findings, refs).read()
        result.book.forms.append(form)
        result.findings += [_with_project(f, form) for f in findings]
        result.sources.append(Source(len(result.book.forms) - 1, spec.form, spec.path,
                                     tuple(s for s, _ in parts), "names" if named else "labels"))
    if not result.book.forms:
        result.findings.append(Finding("read.none", "错误", "文件中没有找到可识别的表单（与任何模板都对不上）",
                                       file=grid.path))
    return result


def _with_project(f: Finding, form: Form) -> Finding:
    return Finding(f.rule, f.severity, f.message, f.file, f.sheet, f.cell, form.project.name,
                   f.indicator, f.path)


class _Refs:
    """A workbook's defined names as (sheet, first row, last row) of what they cover, parsed when asked for."""

    def __init__(self, names: dict[str, str]):
        self.names, self._cells = names, {}

    def cell(self, name: str) -> tuple[str, int, int] | None:
        found = self._cells.get(name, self)
        if found is self:
            found = self._cells[name] = _cell_of(self.names.get(name))
        return found


def _cell_of(ref: str | None) -> tuple[str, int, int] | None:
    """(sheet, first row, last row) of a reference like 'Sheet 1'!$A$5:$F$9; None if it is none."""
    m = _REF.match(ref or "")
    if not m:
        return None
    quoted, sheet, first, last = m.group(1, 2, 4, 5)
    first = int(first)
    return (quoted.replace("''", "'") if quoted else sheet), first, int(last) if last else first


def _markers(grid: Grid) -> dict[str, tuple[int, int, str]]:
    """{sheet: (form number, part number, form id)} from a rendered workbook's names."""
    out = {}
    for name, ref in grid.names.items():
        m = "__" in name and _MARKER.match(name)
        r = m and _REF.match(ref or "")
        if r:
            sheet = (r.group(1) or "").replace("''", "'") or r.group(2)
            out[sheet] = (int(m.group(1)), int(m.group(2)), m.group(3))
    return out


def _groups(grid: Grid, specs: Specs, result: ReadResult):
    """[(form number or None, spec, [(sheet, part)])]: sheets grouped into forms."""
    markers = _markers(grid)
    groups = []
    for sheet in grid.sheet_names:
        if sheet == RESULTS_SHEET or sheet.startswith("_"):
            continue
        found = _identify(sheet, grid, markers.get(sheet), specs)
        if found is None:
            if sheet_texts(grid.rows(sheet)):
                result.findings.append(Finding("read.sheet", HINT, f"工作表 {sheet} 不是已知的表单，未读取",
                                               file=grid.path, sheet=sheet))
            continue
        key, spec, part = found
        last = groups[-1] if groups else None
        if (last and last[1] is spec and last[2][-1][1].index < part.index
                and (key is None or last[0] == key)):
            last[2].append((sheet, part))
        else:
            groups.append((key, spec, [(sheet, part)]))
    return groups


def _identify(sheet, grid, marker, specs: Specs):
    spec = specs.get(marker[2]) if marker else None
    if spec and marker[1] <= len(spec.sheets):
        return marker[0], spec, spec.sheets[marker[1] - 1]
    match = best_match(sheet_texts(grid.rows(sheet)), specs.all())
    return (None, match.spec, match.part) if match else None


class _Target(NamedTuple):
    """A model path a field's cell reads into."""
    path: str
    kind: str | None      # access.kind; None where the model has no such path (reported when read)
    name: str             # its defined name, name_of(k, path) without the `jx_<k>_` head
    text: bool            # a str or any path: a text cell reads as itself, trimmed
    put: Callable         # access.setter(Form, path): (form, value) -> None


@dataclass(frozen=True, slots=True)
class _FieldPlan:
    field: Field
    exact: bool
    targets: tuple        # _Target per path
    letter: str           # its column's letter


class _Plan:
    """What reading a template sheet needs, worked out once per template sheet."""

    def __init__(self, part: SheetSpec):
        self.header = part.label_texts
        self.fields = [_FieldPlan(f, f.exact, tuple(_target(path) for path in f.paths), get_column_letter(f.col))
                       for f in part.fields if f.readable]
        # per template row, the names of its fields, last first: the last one into a sheet places the row
        names: dict[int, list] = {}
        for f in part.fields:
            names.setdefault(f.row, []).extend(_tail(path) for path in f.paths if path)
        self.hints = [(row, tuple(reversed(found))) for row, found in names.items() if found]
        self.loop_names = [(lp.row, _tail(lp.list)) for lp in part.loops]
        self.named = Memo(self._with_key, 256)   # made once per form key
        self.loops = {}
        for lp in part.loops:
            try:
                item_type = access.item_type(lp.list)
            except Exception:         # noqa: BLE001, S112 - not a model list: _loop_plain fails as reading does
                continue
            self.loops[lp.row] = _LoopPlan(lp, item_type)

    def _with_key(self, key) -> tuple[list, list]:
        """hints and loop_names with form `key`'s defined names (`jx_<key>_` + name)."""
        head = f"jx_{key}_"
        return ([(row, tuple(head + n for n in names)) for row, names in self.hints],
                [(row, head + n) for row, n in self.loop_names])


class _LoopPlan:
    """What reading a loop's rows needs, worked out once per template loop (and column shift)."""

    def __init__(self, lp, item_type: type):
        self.loop, self.item_type = lp, item_type
        simple = dataclasses.is_dataclass(item_type)
        # (col, path, kind, number format, a plain attribute, a text one: read as itself, trimmed)
        self.columns = []
        for c in lp.fields:
            kind, plain = _kind(c.path, item_type), simple and access._tokens(c.path) == (c.path,)
            self.columns.append((c.col, c.path, kind, c.number_format, plain, plain and kind in ("str", "any")))
        self.paths = tuple(c.path for c in lp.fields)
        self.put = access.setter(Form, lp.list)
        self._keys: list[str] = []
        self._layouts: dict[int, _Layout] = {}

    def keys(self, count: int) -> list[str]:
        """The form.where keys of the cells of items 0 … count-1, item after item: indicators[3].target …"""
        for k in range(len(self._keys) // max(len(self.paths), 1), count):
            self._keys.extend(f"{self.loop.list}[{k}].{path}" for path in self.paths)
        return self._keys[:count * len(self.paths)]

    def layout(self, shift: int) -> _Layout:
        found = self._layouts.get(shift)
        if found is None:
            found = self._layouts[shift] = _Layout(self, shift)
        return found


class _Layout:
    """A loop's columns moved `shift` columns right (none left of column A)."""

    def __init__(self, plan: _LoopPlan, shift: int):
        self.columns = [(col + shift, *rest) for col, *rest in plan.columns]
        self.letters = [get_column_letter(c[0]) for c in self.columns]
        self.first = min((c[0] for c in self.columns), default=1)
        self._fixed = {c.col + shift for c in plan.loop.columns if not c.path}
        self._slicers: dict[int, tuple] = {}

    def slicers(self, width: int) -> tuple:
        """(cells -> the cells outside fixed columns, cells -> the field cells) for rows `width` wide."""
        found = self._slicers.get(width)
        if found is None:
            scan = [i for i in range(width) if i + 1 not in self._fixed]
            found = self._slicers[width] = (_getter(scan), _getter([c[0] - 1 for c in self.columns], width))
        return found


def _target(path: str) -> _Target:
    kind = _kind(path, Form)
    return _Target(path, kind, _tail(path), kind in ("str", "any"), access.setter(Form, path))


def _tail(path: str) -> str:
    """name_of(k, path) without its `jx_<k>_` head."""
    return name_of(0, path)[len("jx_0_"):]


def _kind(path: str, root: type) -> str | None:
    """access.kind, or None where the model has no such path (found out, and reported, when read)."""
    try:
        return access.kind(path, root)
    except Exception:                 # noqa: BLE001
        return None


_PLANS: dict[int, tuple] = {}


def _plan(part: SheetSpec) -> _Plan:
    cached = _PLANS.get(id(part))
    if cached is None or cached[0] is not part:
        if len(_PLANS) > 1024:
            _PLANS.clear()
        cached = _PLANS[id(part)] = (part, _Plan(part))
    return cached[1]


class _SheetReader:
    def __init__(self, grid: Grid, sheet: str, part: SheetSpec, form: Form, key, findings: list,
                 refs: _Refs | None = None):
        self.grid, self.sheet, self.part, self.form = grid, sheet, part, form
        self.key, self.findings = key, findings
        self.refs = refs or _Refs(grid.names)
        self.plan = _plan(part)
        self.index = SheetIndex(grid.rows(sheet), self.plan.header)

    def read(self) -> bool:
        """Fill the form from this sheet; True when defined names placed anchors."""
        align = Alignment(self.part, self.index, best_anchors(self.part, self.index, self._hints()))
        for plan in self.plan.fields:
            self._field(plan, align.locate(plan.field.row))
        for lp in self.part.loops:
            self._loop(lp, *align.loop_rows_of(lp.row))
        return align.named

    def _hints(self) -> dict[int, int]:
        """{template row: sheet row} of fields whose defined name points into this sheet,
        and of the row below each loop, from the end of the loop's named range."""
        if self.key is None:
            return {}
        out, (hints, loop_names), cell_of = {}, self.plan.named[self.key], self.refs.cell
        for row, names in hints:
            for name in names:
                cell = cell_of(name)
                if cell and cell[0] == self.sheet:
                    out[row] = cell[1]
                    break
        for row, name in loop_names:
            cell = cell_of(name)
            if cell and cell[0] == self.sheet:
                out.setdefault(row + 1, cell[2] + 1)
        return out

    def _ref(self, row: int, col: int) -> str:
        return f"{self.sheet}!{get_column_letter(col)}{row}"

    def _note(self, rule: str, row: int, col: int, message: str, path: str = "") -> None:
        cell = f"{get_column_letter(col)}{row}"
        self.findings.append(Finding(rule, HINT, f"工作表 {self.sheet} 单元格 {cell}：{message}",
                                     file=self.grid.path, sheet=self.sheet, cell=cell, path=path))

    @staticmethod
    def _put(obj, path: str, value) -> None:
        """Set only what the sheet says: blanks leave the model's defaults (and None objects)."""
        if not (blank(value) or value is False):
            access.set_path(obj, path, value)

    def _convert(self, value, path: str, number_format: str, row: int, col: int, root=Form, kind=None):
        kind = kind or access.kind(path, root)
        if kind in ("str", "date") and isinstance(value, (int, float)) and not isinstance(value, bool):
            number_format = self.grid.number_formats(self.sheet).get((row, col), number_format)
        return from_cell(value, kind, number_format)

    def _field(self, plan: _FieldPlan, placed) -> None:
        f = plan.field
        if placed is None:
            self._note("read.missing", f.row, f.col, f"没有找到模板第 {f.row} 行（{_label(self.part, f)}）"
                       f"对应的行，{'、'.join(f.paths)} 未读取", f.paths[0])
            return
        row, col = placed[0], f.col + placed[1]
        value = self.index.value(row, col)
        if value == "" or value is None or (isinstance(value, str) and value.isspace()):     # blank
            if self.key is not None:
                self._named_elsewhere(plan, row, col)
            values = (value,) if plan.exact else (None,) * len(plan.targets)
        elif plan.exact:
            values = (value,)
        else:
            m = self.part.patterns[f.row][f.col].match(str(value))
            if not m:
                self._note("read.text", row, col, f"内容“{value}”与模板“{f.text}”对不上，未读取", f.paths[0])
                return
            values = m.groups()
        where = self.form.where
        ref = f"{self.sheet}!{plan.letter}{row}" if col == f.col else self._ref(row, col)
        for (path, kind, _, text, put), v in zip(plan.targets, values):
            if kind is None or path in where:
                self._again(path, kind, v, f.number_format, row, col, ref)
                continue
            where[path] = ref                   # the first copy: no conflict to look for
            if v == "" or v is None or (isinstance(v, str) and v.isspace()):
                continue                        # blank: the model's default stays
            if text and isinstance(v, str):
                put(self.form, v.strip())
                continue
            value = self._convert(v, path, f.number_format, row, col, kind=kind)
            if not (blank(value) or value is False):
                put(self.form, value)

    def _again(self, path: str, kind, v, number_format: str, row: int, col: int, ref: str) -> None:
        """A path read before (or one the model lacks): kept unless this copy fills it first."""
        value = self._convert(v, path, number_format, row, col, kind=kind)
        if not self._repeated(path, value, row, col):
            self.form.where[path] = ref
            self._put(self.form, path, value)

    def _named_elsewhere(self, plan: _FieldPlan, row: int, col: int) -> None:
        """A blank field whose defined name points a few rows further down, at a filled cell that is
        no label (rows inserted above it in Excel, the labels placed elsewhere): say so."""
        head = f"jx_{self.key}_"
        for target in plan.targets:
            named = self.refs.cell(head + target.name)
            if named and named[0] == self.sheet and 0 < named[1] - row <= MOVED_ROWS:
                other = self.index.value(named[1], col)
                if not blank(other) and normalize(str(other)) not in self.plan.header:
                    self._note("read.moved", row, col, f"为空，但名称 {head + target.name} 指向的 "
                               f"{get_column_letter(col)}{named[1]} 有内容（“{str(other)[:20]}”），未读取，请核对",
                               target.path)
                    return

    def _repeated(self, path: str, value, row: int, col: int) -> bool:
        """A field the form shows twice (项目名称 on every sheet): the first filled copy wins."""
        if path not in self.form.where:
            return False
        current = access.get(self.form, path)
        if blank(current) or current is False:
            return blank(value)
        if not blank(value) and value != current:
            self._note("read.conflict", row, col,
                       f"“{value}”与 {self.form.where[path]} 的“{current}”不一致，以后者为准", path)
        return True

    def _loop(self, lp, rows: range, shift: int) -> None:
        plan = self.plan.loops.get(lp.row)
        if plan is None or any(c.col + shift < 1 for c in lp.columns):
            return self._loop_plain(lp, rows, shift)
        layout = plan.layout(shift)
        where = self.form.where
        where.setdefault(lp.list, self._ref(rows.start, layout.first))
        refs = [f"{self.sheet}!{letter}" for letter in layout.letters]
        header = self.plan.header
        count = header.__contains__
        first_row = max(rows.start, 1)          # rows outside the sheet hold nothing
        found = self.index.rows[first_row - 1:max(rows.stop - 1, first_row - 1)]
        item_type, columns, fill = plan.item_type, layout.columns, self._fill
        items, placed, width = [], [], None
        for row, cells in enumerate(found, first_row):
            if len(cells) != width:
                width = len(cells)
                scan, pick = layout.slicers(width)
            texts = [_normalize(v) if isinstance(v, str) else _shown(v) for v in scan(cells)
                     if v != "" and v is not None and not (isinstance(v, str) and v.isspace())]
            if not texts:
                continue
            item = item_type()
            # a total, or mostly the table's labels (its header repeated), or no field filled: no item
            if texts[0].startswith(_TOTAL) or (not header.isdisjoint(texts) and sum(map(count, texts)) * 2 > len(texts)) \
                    or not fill(item, pick(cells), columns, row):
                title = LIST_TITLES.get(lp.list, lp.list)
                self._note("read.row", row, layout.first,
                           f"第 {row} 行（{'，'.join(texts)[:40]}）不是{title}表格的一行，未读取")
                continue
            items.append(item)
            placed.append(row)
        if items:
            # each item's cells, row after row as they were placed: one update, not one per row
            where.update(zip(plan.keys(len(items)), [ref + n for n in map(str, placed) for ref in refs]))
            plan.put(self.form, items)

    def _fill(self, item, values: tuple, columns: list, row: int) -> bool:
        """Set an item's fields from its row's cells; False when every one is blank."""
        filled = False
        for value, column in zip(values, columns):
            if value == "" or value is None:
                continue
            col, path, kind, number_format, plain, text = column
            if isinstance(value, str):
                if value.isspace():
                    continue                # blank: the model's default stays
                if text:
                    setattr(item, path, value.strip())
                    filled = True
                    continue
            filled = True
            value = self._convert(value, path, number_format, row, col, type(item), kind)
            if not (blank(value) or value is False):
                if plain:
                    setattr(item, path, value)
                else:
                    access.set_path(item, path, value)
        return filled

    def _loop_plain(self, lp, rows: range, shift: int) -> None:
        """_loop for a layout shifted left of column A: item by item, as the cells say."""
        item_type = access.item_type(lp.list)
        field_cols = {c.col + shift: c for c in lp.fields}
        fixed = {c.col + shift for c in lp.columns if not c.path}
        self.form.where.setdefault(lp.list, self._ref(rows.start, min(field_cols, default=1)))
        header = self.plan.header
        items = []
        for row in rows:
            texts = [t for c, t in self.index.row_texts(row).items() if c not in fixed]
            if not texts:
                continue
            values = {col: self.index.value(row, col) for col in field_cols}
            title = LIST_TITLES.get(lp.list, lp.list)
            if all(blank(v) for v in values.values()) or texts[0].startswith(_TOTAL) \
                    or len([t for t in texts if t in header]) * 2 > len(texts):
                self._note("read.row", row, min(field_cols, default=1),
                           f"第 {row} 行（{'，'.join(texts)[:40]}）不是{title}表格的一行，未读取")
                continue
            item, i = item_type(), len(items)
            for col, column in field_cols.items():
                path = f"{lp.list}[{i}].{column.path}"
                self.form.where[path] = self._ref(row, col)
                value = self._convert(values[col], column.path, column.number_format, row, col, item_type)
                self._put(item, column.path, value)
            items.append(item)
        if items:
            access.set_path(self.form, lp.list, items)


def _getter(indexes: list, width: int | None = None):
    """A function from a row to the tuple of its cells at 0-based `indexes` (None past `width`)."""
    if width is not None and any(i >= width for i in indexes):
        return lambda cells: tuple(cells[i] if i < len(cells) else None for i in indexes)
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        i = indexes[0]
        return lambda cells: (cells[i],)
    return itemgetter(*indexes)


def _label(part: SheetSpec, f) -> str:
    """The label nearest a field: left on its row, else above in its column."""
    left = [c for c in part.labels.get(f.row, {}) if c < f.col]
    if left:
        return part.labels[f.row][max(left)]
    above = [r for r in part.labels if r < f.row and f.col in part.labels[r]]
    return part.labels[max(above)][f.col] if above else f.text
