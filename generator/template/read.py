"""Read filled forms back into the model, each sheet through the template it matches.

A sheet's template is named by the `jx_<k>__<part>.<form>` defined name a
rendered workbook carries, else found by its label texts.  Its rows are found
by alignment (align.py), helped by the defined names over fields where they
still sit beside their labels.  Only cached values are read: no formula is
evaluated and no macro is loaded (an .xlsm is read for its values like an .xlsx).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..grid import Grid, open_grid
from ..model import Book, Form
from ..rules import Finding
from . import access
from .align import Alignment, SheetIndex, best_anchors
from .registry import Specs, best_match, sheet_texts
from .render import name_of
from .spec import SheetSpec
from .values import blank, from_cell

RESULTS_SHEET = "校验结果"
HINT = "提示"
_MARKER = re.compile(r"^jx_(\d+)__(\d+)\.(.+)$")
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)")
_TOTAL = ("合计", "小计", "总计")
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
    groups = _groups(grid, Specs(templates_dir), result)
    for key, spec, parts in groups:
        form = Form(form=spec.form, region=spec.region, sheet=parts[0][0])
        findings, named = [], False
        for sheet, part in parts:
            named |= _SheetReader(grid, sheet, part, form, key, findings).read()
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


def _markers(grid: Grid) -> dict[str, tuple[int, int, str]]:
    """{sheet: (form number, part number, form id)} from a rendered workbook's names."""
    out = {}
    for name, ref in grid.names.items():
        m, r = _MARKER.match(name), _REF.match(ref or "")
        if m and r:
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


class _SheetReader:
    def __init__(self, grid: Grid, sheet: str, part: SheetSpec, form: Form, key, findings: list):
        self.grid, self.sheet, self.part, self.form = grid, sheet, part, form
        self.key, self.findings = key, findings
        self.index = SheetIndex(grid.rows(sheet))

    def read(self) -> bool:
        """Fill the form from this sheet; True when defined names placed anchors."""
        align = Alignment(self.part, self.index, best_anchors(self.part, self.index, self._hints()))
        for f in self.part.fields:
            if f.readable:
                self._field(f, align.locate(f.row))
        for lp in self.part.loops:
            self._loop(lp, *align.loop_rows_of(lp.row))
        return align.named

    def _hints(self) -> dict[int, int]:
        """{template row: sheet row} of fields whose defined name points into this sheet."""
        if self.key is None:
            return {}
        out = {}
        for f in self.part.fields:
            for path in filter(None, f.paths):
                m = _REF.match(self.grid.names.get(name_of(self.key, path)) or "")
                if m and ((m.group(1) or "").replace("''", "'") or m.group(2)) == self.sheet:
                    out[f.row] = int(m.group(4))
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

    def _convert(self, value, path: str, number_format: str, row: int, col: int, root=Form):
        kind = access.kind(path, root)
        if kind in ("str", "date") and isinstance(value, (int, float)) and not isinstance(value, bool):
            number_format = self.grid.number_formats(self.sheet).get((row, col), number_format)
        return from_cell(value, kind, number_format)

    def _field(self, f, placed) -> None:
        if placed is None:
            self._note("read.missing", f.row, f.col, f"没有找到模板第 {f.row} 行（{_label(self.part, f)}）"
                       f"对应的行，{'、'.join(f.paths)} 未读取", f.paths[0])
            return
        row, col = placed[0], f.col + placed[1]
        value = self.index.value(row, col)
        if f.exact:
            values = [value]
        elif blank(value):
            values = [None] * len(f.paths)
        else:
            m = self.part.patterns[f.row][f.col].match(str(value))
            if not m:
                self._note("read.text", row, col, f"内容“{value}”与模板“{f.text}”对不上，未读取", f.paths[0])
                return
            values = list(m.groups())
        for path, v in zip(f.paths, values):
            value = self._convert(v, path, f.number_format, row, col)
            if self._repeated(path, value, row, col):
                continue
            self.form.where[path] = self._ref(row, col)
            self._put(self.form, path, value)

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
        item_type = access.item_type(lp.list)
        field_cols = {c.col + shift: c for c in lp.fields}
        fixed = {c.col + shift for c in lp.columns if not c.path}
        self.form.where.setdefault(lp.list, self._ref(rows.start, min(field_cols, default=1)))
        header = self.part.label_texts
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


def _label(part: SheetSpec, f) -> str:
    """The label nearest a field: left on its row, else above in its column."""
    left = [c for c in part.labels.get(f.row, {}) if c < f.col]
    if left:
        return part.labels[f.row][max(left)]
    above = [r for r in part.labels if r < f.row and f.col in part.labels[r]]
    return part.labels[max(above)][f.col] if above else f.text
