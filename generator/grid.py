"""Reader engines: a workbook's cell values behind one small interface.

Like pandas' io.excel, one `Grid` and several engines:

- `calamine` (default): python-calamine, cached values only, fast.  Defined
  names, custom document properties and number formats come from the
  package's XML (read with defusedxml); notes load through openpyxl when asked for.
- `openpyxl`: full load (values with data_only=True, notes, number formats).
- `Grid.from_values(...)`: values already in memory, e.g. a live Excel book fed
  through xlwings by the add-in (its number formats asked of Excel cell by cell).

Rows and columns are 1-based.  No engine evaluates a formula or loads a macro:
a formula cell reads as the value Excel last cached (blank if none).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cached_property
from html import unescape
from pathlib import Path
from typing import Mapping, Sequence

from defusedxml import ElementTree

from .cellformats import MAIN_NS, PackageFormats, excel_written
from .errors import InputError, reason
from .xmltext import unescaped

ENGINES = ("calamine", "openpyxl")
_MAIN = "{" + MAIN_NS + "}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
Merged = tuple[int, int, int, int]     # first row, first col, last row, last col


class Grid:
    """A workbook as values: sheet names, cells, merges, names, notes, properties."""

    engine = "values"

    def __init__(self, path: str = ""):
        self.path = path
        self._rows: dict[str, list[list]] = {}
        self._merged: dict[str, list[Merged]] = {}
        self._names: dict[str, str] = {}
        self._given_formats: dict[str, Mapping] = {}

    @classmethod
    def from_values(cls, sheets: Mapping[str, Sequence[Sequence]], names: Mapping | None = None,
                    merged: Mapping | None = None, path: str = "", formats: Mapping | None = None) -> "Grid":
        """A grid from values in memory: {sheet name: rows of values}.  `formats`: {sheet name:
        a mapping (row, col) -> number format}, asked with .get only, e.g. one that asks Excel."""
        grid = cls(path)
        grid._names = dict(names or {})
        grid._rows = {name: [list(r) for r in rows] for name, rows in sheets.items()}
        grid._merged = {name: list((merged or {}).get(name, ())) for name in sheets}
        grid._given_formats = dict(formats or {})
        return grid

    @property
    def sheet_names(self) -> list[str]:
        return list(self._rows)

    def rows(self, sheet: str) -> list[list]:
        """The sheet's values as rows (index 0 = row 1); blank cells are '' or None."""
        return self._rows[sheet]

    def value(self, sheet: str, row: int, col: int):
        rows = self.rows(sheet)
        if 0 < row <= len(rows) and 0 < col <= len(rows[row - 1]):
            return rows[row - 1][col - 1]
        return None

    def merged(self, sheet: str) -> list[Merged]:
        return self._merged.get(sheet, [])

    @property
    def names(self) -> dict[str, str]:
        """Workbook defined names: name -> what it refers to, e.g. 'Sheet 1'!$C$5."""
        return self._names

    @property
    def properties(self) -> dict[str, str]:
        """Custom document properties (jx.form …)."""
        return {}

    def notes(self, sheet: str) -> dict[tuple[int, int], str]:
        return {}

    def number_formats(self, sheet: str) -> Mapping[tuple[int, int], str]:
        """Number formats other than General, by (row, col)."""
        return self._given_formats.get(sheet, {})


class CalamineGrid(Grid):
    engine = "calamine"

    def __init__(self, path: str):
        super().__init__(path)
        self._formats: dict[str, dict] = {}
        from python_calamine import CalamineWorkbook
        try:                          # the file is read once: calamine and the package XML share the bytes
            with open(path, "rb") as fh:
                self._data = fh.read()
        except OSError as exc:
            raise InputError(f"无法读取为 Excel 工作簿：{reason(exc)}", path) from None
        try:
            if self._data.startswith(_ZIP):
                self._book = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
            else:                     # .xls / .ods: calamine tells the format by the file's name
                self._book = CalamineWorkbook.from_path(path)
        except Exception as exc:      # calamine raises its own error types
            raise InputError(f"无法读取为 Excel 工作簿：{reason(exc)}", path) from None

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, sheet: str) -> list[list]:
        if sheet not in self._rows:
            self._rows[sheet] = self._sheet(sheet).to_python(skip_empty_area=False)
        return self._rows[sheet]

    def _sheet(self, sheet):
        return self._book.get_sheet_by_name(sheet)

    def merged(self, sheet: str) -> list[Merged]:
        if sheet not in self._merged:
            ranges = self._sheet(sheet).merged_cell_ranges or []
            self._merged[sheet] = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]
        return self._merged[sheet]

    @cached_property
    def _package(self) -> zipfile.ZipFile | None:
        try:
            return zipfile.ZipFile(io.BytesIO(self._data))
        except (zipfile.BadZipFile, OSError):
            return None

    @cached_property
    def _package_formats(self) -> PackageFormats:
        return PackageFormats(self._part)

    def _part(self, name: str) -> bytes | None:
        """A part of the package (None if absent, or not a zip package: .xls / .ods)."""
        try:
            return self._package.read(name) if self._package else None
        except (zipfile.BadZipFile, OSError, KeyError):
            return None

    @cached_property
    def names(self) -> dict[str, str]:
        return defined_names(self._part("xl/workbook.xml"))

    @cached_property
    def properties(self) -> dict[str, str]:
        return custom_properties(self._part("docProps/custom.xml"))

    @cached_property
    def _openpyxl(self) -> "OpenpyxlGrid":
        return OpenpyxlGrid(self.path)

    def notes(self, sheet: str) -> dict[tuple[int, int], str]:
        return self._openpyxl.notes(sheet)

    def number_formats(self, sheet: str) -> dict[tuple[int, int], str]:
        """From the package's XML, not openpyxl: asked for whenever a number sits in a text field."""
        if sheet not in self._formats:
            try:
                self._formats[sheet] = self._package_formats.of(sheet)
            except (SyntaxError, ValueError, LookupError) as exc:   # ParseError, defusedxml's refusals, bad refs
                raise InputError(f"单元格格式无法读取（{reason(exc)}）", self.path, sheet) from None
        return self._formats[sheet]


class OpenpyxlGrid(Grid):
    engine = "openpyxl"

    def __init__(self, path: str):
        super().__init__(path)
        import openpyxl
        try:
            self._book = openpyxl.load_workbook(path, data_only=True, keep_vba=False,
                                                keep_links=False, rich_text=False)
        except Exception as exc:      # openpyxl raises many types on bad files
            raise InputError(f"无法读取为 Excel 工作簿：{reason(exc)}", path) from None

    @property
    def sheet_names(self) -> list[str]:
        return [ws.title for ws in self._book.worksheets]

    def rows(self, sheet: str) -> list[list]:
        if sheet not in self._rows:
            ws = self._book[sheet]
            self._rows[sheet] = [[_plain(c.value) for c in row]
                                 for row in ws.iter_rows(min_row=1, min_col=1)]
        return self._rows[sheet]

    def merged(self, sheet: str) -> list[Merged]:
        return [(m.min_row, m.min_col, m.max_row, m.max_col)
                for m in self._book[sheet].merged_cells.ranges]

    @cached_property
    def names(self) -> dict[str, str]:
        return {name: dn.attr_text for name, dn in self._book.defined_names.items()}

    @cached_property
    def properties(self) -> dict[str, str]:
        return {p.name: str(p.value) for p in self._book.custom_doc_props}

    def notes(self, sheet: str) -> dict[tuple[int, int], str]:
        return {(c.row, c.column): c.comment.text for row in self._book[sheet].iter_rows()
                for c in row if c.comment}

    def number_formats(self, sheet: str) -> dict[tuple[int, int], str]:
        return {(c.row, c.column): c.number_format for row in self._book[sheet].iter_rows()
                for c in row if c.number_format != "General" and c.value is not None}


def _plain(value):
    """A value as calamine gives it: a midnight datetime is a date, `_xHHHH_` escapes decoded."""
    if isinstance(value, str):
        return unescaped(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


_ZIP = b"PK\x03\x04"
# possessive quantifiers (*+): what each one takes the next token can't match, so nothing to give back
_DEFINED = re.compile(r'<definedName\s++name="([^"<&]*+)"((?:\s++\w++="[^"<&\t\n]*+")*+)\s*+(?:/>|>([^<]*+)</definedName>)')
_DEFINED_START = re.compile(r"<definedName[\s/>]")
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);)")
_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)")


def defined_names(xml: bytes | None) -> dict[str, str]:
    """xl/workbook.xml's workbook-scoped defined names, {name: what it refers to}.

    The names as Excel and openpyxl write them (default namespace, UTF-8, no
    DTD, comment or CDATA, `name` first) are read by pattern, several times
    faster than a parse; anything else goes through defusedxml.  Same answer.
    """
    if not xml:
        return {}
    fast = _defined_names_fast(xml)
    if fast is not None:
        return fast
    root = ElementTree.fromstring(xml)
    return {e.get("name"): (e.text or "") for e in root.iter(f"{_MAIN}definedName")
            if e.get("localSheetId") is None}


def _defined_names_fast(xml: bytes) -> dict[str, str] | None:
    enc = _ENCODING.match(xml)
    if (enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")) or not excel_written(xml) \
            or b"\r" in xml or b":definedName" in xml:
        return None
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if _ENTITY.search(text):
        return None
    found = _DEFINED.findall(text)
    # every name matched? (counted cheaply first: no name is matched twice, none not counted)
    if len(found) != text.count("<definedName") - text.count("<definedNames") \
            and len(found) != len(_DEFINED_START.findall(text)):
        return None                   # a name written some other way: leave it to the parser
    return {name: unescape(ref) if "&" in ref else ref for name, rest, ref in found
            if not rest or "localSheetId=" not in rest}


def custom_properties(xml: bytes | None) -> dict[str, str]:
    """docProps/custom.xml as {name: text value}."""
    if not xml:
        return {}
    root = ElementTree.fromstring(xml)
    return {p.get("name"): "".join(p.itertext()) for p in root.iter(f"{_CUSTOM}property")}


def open_grid(path: str | Path, engine: str = "calamine") -> Grid:
    """Open a workbook for reading with the named engine."""
    path = str(path)
    if not Path(path).is_file():
        raise InputError("文件不存在", path)
    if engine not in ENGINES:
        raise InputError(f"未知的读取引擎 {engine}（可用：{'、'.join(ENGINES)}）", path)
    if engine == "openpyxl" and not re.search(r"\.xls[xm]$", path, re.I):
        raise InputError("openpyxl 引擎只读 .xlsx / .xlsm 文件", path)
    return CalamineGrid(path) if engine == "calamine" else OpenpyxlGrid(path)
