"""Parse a template workbook's annotations into a `TemplateSpec`.

The spec is what both directions need: where each field sits, which rows
repeat (loops), which formulas check the form, and which static texts (labels)
let the reader find the form's rows in a filled sheet.  Parsing loads the
template with openpyxl once; `load_spec` caches by file and modification time.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

from ..errors import InputError, reason

PLACEHOLDER = re.compile(r"\{\{\s*((?:(?!\}\}).)*?)\s*\}\}", re.S)
PATH = re.compile(r"^[A-Za-z_]\w*(?:\.\w+|\[\d+\])*$")
_SYNTAX = jinja2.Environment()
LOOP = re.compile(r"^jx:for\s+(\w+)\s+in\s+([\w.]+)\s*(?:;\s*merge\s*=\s*([A-Za-z,\s]+))?\s*$")


@lru_cache(maxsize=65536)
def _normalize(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(":")


def normalize(text) -> str:
    """Text as compared: NFKC (full-width → half-width), no whitespace, no trailing colon."""
    return _normalize(text if isinstance(text, str) else str(text))


def _char(c: str) -> str:
    """A regex matching one literal character in either its half- or full-width form."""
    forms = {c, unicodedata.normalize("NFKC", c)}
    forms |= {chr(ord(f) + 0xFEE0) for f in list(forms) if "!" <= f <= "~"}
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]" if len(forms) > 1 else re.escape(c)


def text_pattern(template: str) -> re.Pattern:
    """A regex reading a filled cell of a mixed template text; one group per placeholder."""
    out, pos = [r"^\s*"], 0
    for m in PLACEHOLDER.finditer(template):
        literal = template[pos:m.start()]
        if pos and literal and literal.isspace():
            out.append(r"\s+")             # placeholders apart only by a space: split there
        out += [_char(c) + r"\s*" for c in literal if not c.isspace()]
        out.append(r"(.*?)\s*")
        pos = m.end()
    out += [_char(c) + r"\s*" for c in template[pos:] if not c.isspace()]
    return re.compile("".join(out) + "$", re.S)


@dataclass(frozen=True)
class Field:
    """A template cell holding placeholders, outside loops."""
    sheet: int            # index of the template sheet
    row: int
    col: int
    text: str             # the template cell's text
    paths: tuple          # model paths it writes/reads ('' for a non-path expression)
    number_format: str = "General"

    @property
    def exact(self) -> bool:
        """The cell is one placeholder: it holds the native value."""
        return PLACEHOLDER.fullmatch(self.text.strip()) is not None

    @property
    def readable(self) -> bool:
        return all(self.paths)

    @property
    def cell(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"


@dataclass(frozen=True)
class Column:
    """One cell of a loop row: a placeholder on the item, a formula or a literal."""
    col: int
    text: str
    path: str = ""        # attribute path on the item, e.g. "target"
    number_format: str = "General"


@dataclass(frozen=True)
class Loop:
    sheet: int
    row: int
    var: str
    list: str             # model list, e.g. indicators, execution.lines
    merge: tuple          # columns merged over runs, in order
    columns: tuple        # Column, by column

    @property
    def fields(self) -> tuple:
        return tuple(c for c in self.columns if c.path)


@dataclass(frozen=True)
class Check:
    sheet: int
    row: int
    col: int
    formula: str
    in_loop: bool = False


@dataclass
class SheetSpec:
    index: int
    name: str
    labels: dict = field(default_factory=dict)     # row -> {col: normalized text}
    patterns: dict = field(default_factory=dict)   # row -> {col: regex} of mixed fields
    fields: list = field(default_factory=list)
    loops: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    filled: frozenset = frozenset()               # rows holding anything (labels, fields, formulas)

    @property
    def label_texts(self) -> frozenset:
        return frozenset(t for row in self.labels.values() for t in row.values())

    @property
    def shared(self) -> bool:
        """A sheet named _… (list data): once per workbook, never a form."""
        return self.name.startswith("_")


@dataclass
class TemplateSpec:
    form: str
    region: str
    title: str
    path: str
    sheets: list

    @property
    def fields(self) -> list:
        return [f for s in self.sheets for f in s.fields]

    @property
    def loops(self) -> list:
        return [lp for s in self.sheets for lp in s.loops]


def read_path(expr: str) -> str:
    """The model path an expression reads back to: `a.b` or `a.b | default("…")`; else ''."""
    head = expr.split("|", 1)[0].strip()
    return head if PATH.match(head) else ""


def _paths(text: str) -> tuple:
    return tuple(read_path(e) for e in PLACEHOLDER.findall(text))


def _loop(note: str, sheet: int, row: int, cells: list, file: str, title: str) -> Loop:
    m = LOOP.match(note.strip().splitlines()[0].strip())
    if not m:
        raise InputError(f"循环批注格式应为 “jx:for 变量 in 列表; merge=A,B”，实际是 {note!r}",
                         file, title, f"A{row}")
    var, lst, merge = m.groups()
    columns = []
    for c in cells:
        text = c.value if isinstance(c.value, str) else ""
        path = ""
        exprs = PLACEHOLDER.findall(text)
        if len(exprs) == 1 and PLACEHOLDER.fullmatch(text.strip()):
            head, _, rest = read_path(exprs[0]).partition(".")
            if head != var or not rest:
                raise InputError(f"循环行的单元格应写 {{{{ {var}.字段 }}}}，实际是 {text!r}",
                                 file, title, c.coordinate)
            path = rest
        columns.append(Column(c.column, text, path, c.number_format))
    cols = tuple(column_index_from_string(x.strip().upper()) for x in (merge or "").split(",") if x.strip())
    return Loop(sheet, row, var, lst, cols, tuple(columns))


def _check_syntax(text: str, file: str, sheet: str, cell: str) -> None:
    try:
        _SYNTAX.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"模板表达式有误（{exc.message}）：{text}", file, sheet, cell) from None


def _sheet_spec(index: int, ws, file: str) -> SheetSpec:
    spec = SheetSpec(index, ws.title)
    filled = set()
    for row in ws.iter_rows():
        note = next((c.comment.text for c in row if c.comment and c.comment.text.lstrip().startswith("jx:")), "")
        cells = [c for c in row if c.value is not None]
        r = row[0].row
        if note:
            spec.loops.append(_loop(note, index, r, cells, file, ws.title))
        for c in cells:
            filled.add(r)
            if isinstance(c.value, str) and PLACEHOLDER.search(c.value):
                _check_syntax(c.value, file, ws.title, c.coordinate)
            _cell(spec, c, r, in_loop=bool(note))
    spec.filled = frozenset(filled)
    return spec


def _cell(spec: SheetSpec, c, r: int, in_loop: bool) -> None:
    value = c.value
    if c.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        spec.checks.append(Check(spec.index, r, c.column, str(value), in_loop))
    elif in_loop:
        return
    elif isinstance(value, str) and PLACEHOLDER.search(value):
        f = Field(spec.index, r, c.column, value, _paths(value), c.number_format)
        spec.fields.append(f)
        if not f.exact:
            spec.patterns.setdefault(r, {})[c.column] = text_pattern(value)
    elif isinstance(value, str) and normalize(value):
        spec.labels.setdefault(r, {})[c.column] = normalize(value)


def parse_template(path: str | Path) -> TemplateSpec:
    """Read a template workbook's annotations (raises InputError on a malformed template)."""
    path = str(path)
    try:
        wb = openpyxl.load_workbook(path, rich_text=False)
    except Exception as exc:      # openpyxl raises many types on bad files
        raise InputError(f"无法读取模板：{reason(exc)}", path) from None
    props = {p.name: str(p.value) for p in wb.custom_doc_props}
    if not props.get("jx.form"):
        raise InputError("不是 jixiao 模板：缺少自定义文档属性 jx.form", path)
    sheets = [_sheet_spec(i, ws, path) for i, ws in enumerate(wb.worksheets)]
    return TemplateSpec(props["jx.form"], props.get("jx.region", ""), props.get("jx.title", ""),
                        path, sheets)


@lru_cache(maxsize=64)
def _cached(path: str, mtime: float) -> TemplateSpec:
    return parse_template(path)


def load_spec(path: str | Path) -> TemplateSpec:
    """The template's spec, parsed once per file version."""
    path = Path(path).resolve()
    return _cached(str(path), path.stat().st_mtime)
