"""Write large sheets fast: openpyxl lays out the book, the rows are spliced in as XML.

openpyxl writes each summary sheet's header row, column widths, panes, tables
and charts (a skeleton).  The body rows — tens of thousands for 指标明细 — are
then written here straight into the sheet XML, about ten times faster than
openpyxl's cells, together with their hyperlinks.  Every text is written as a
text cell, never as a formula, whatever it starts with; the only formulas are
the summary's own (`Formula`), written with the value the command computed so a
viewer that does not recalculate shows it too.  The package is written with
fixed entry times and document times, so equal input gives equal bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import call
from xml.sax.saxutils import quoteattr

from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..fixedzip import write_package
from ..xmltext import cell_text, clean

FIXED_TIME = dt.datetime(2000, 1, 1)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LINK_TYPE = f"{R_NS}/hyperlink"
COMPRESS_LEVEL = 3     # a summary's sheets are tens of MB of XML: 1/3 of the time of zlib's default


@dataclass(frozen=True)
class Formula:
    text: str              # without '='
    cached: object = None  # the value the command computed


@dataclass(frozen=True)
class Ahead:
    """Rows written ahead (in a worker) as UTF-8 XML, numbered from the row they are placed at:
    their row numbers are `%(k)d` placeholders, k = 0 for the first (a `%` in a text is `%%`)."""
    xml: bytes
    count: int


@dataclass
class Body:
    """A sheet's rows below the header (row 2 on): value lists, or rows written ahead (`Ahead`).

    `row_styles` and `links` count rows from 0 = sheet row 2.
    """
    rows: list
    styles: list                                   # style id per column
    row_styles: dict = field(default_factory=dict)  # row -> style ids (e.g. 合计)
    links: list = field(default_factory=list)      # (row, column index, target, internal)

    @property
    def width(self) -> int:
        return len(self.styles)

    @property
    def height(self) -> int:
        return sum(r.count if r.__class__ is Ahead else 1 for r in self.rows)


class Palette:
    """Style ids (cellXfs indices) registered in a workbook, by number format, bold, link."""

    def __init__(self, wb):
        self._sheet, self._ids = wb.worksheets[0], {}

    def id(self, number_format: str = "General", bold: bool = False, link: bool = False) -> int:
        key = (number_format, bold, link)
        if key == ("General", False, False):
            return 0                        # the workbook's default style: no s="…" on the cell
        if key not in self._ids:
            cell = Cell(self._sheet)        # detached: registers the style, is not written
            cell.number_format = number_format
            cell.font = font(bold, link)
            self._ids[key] = cell.style_id
        return self._ids[key]


def font(bold: bool = False, link: bool = False) -> Font:
    """The workbook's default font (Calibri 11), bold or as a link: every cell looks alike."""
    base = dict(name=DEFAULT_FONT.name, sz=DEFAULT_FONT.sz, family=DEFAULT_FONT.family, scheme=DEFAULT_FONT.scheme)
    if link:
        return Font(**base, color="0563C1", underline="single")
    return Font(**base, color=DEFAULT_FONT.color, bold=bold)


def save(wb, bodies: dict, out) -> None:
    """Save `wb` with each body spliced into its sheet ({worksheet: Body}) to `out`."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator, wb.properties.lastModifiedBy = "jixiao", None
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()     # compressed below
    with zipfile.ZipFile(raw) as src:
        write_package(out, _parts(src, {ws.path.lstrip("/"): body for ws, body in bodies.items()}), COMPRESS_LEVEL)


def _parts(src: zipfile.ZipFile, bodies: dict):
    """(name, data) of the package: the skeleton's parts, the sheets with bodies spliced in."""
    names = src.namelist()
    for name in names:
        data = src.read(name)
        if name in bodies:
            data, rels = _splice(data, bodies[name], _rels_of(src, name, names))
            if rels is not None:
                yield _rels_path(name), rels
        elif _is_sheet_rels(name, bodies):
            continue                     # written with its sheet
        yield name, data


def _rels_path(sheet: str) -> str:
    folder, _, file = sheet.rpartition("/")
    return f"{folder}/_rels/{file}.rels"


def _is_sheet_rels(name: str, parts: dict) -> bool:
    return any(name == _rels_path(p) for p in parts)


def _rels_of(src: zipfile.ZipFile, sheet: str, names: list) -> bytes | None:
    path = _rels_path(sheet)
    return src.read(path) if path in names else None


def _splice(xml: bytes, body: Body, rels: bytes | None) -> tuple[bytes, bytes | None]:
    """The skeleton sheet with the body rows (and their hyperlinks) added."""
    text = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", xml.decode("utf-8"), count=1)
    last = get_column_letter(max(body.width, 1)) + str(body.height + 1)
    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', text, count=1)
    if body.links:
        links, rels = _links(body, rels)
        text = text.replace("<pageMargins", links + "<pageMargins", 1)
    head, tail = text.split("</sheetData>", 1)
    return b"".join((head.encode("utf-8"), rows_xml(body), b"</sheetData>", tail.encode("utf-8"))), rels


def _links(body: Body, rels: bytes | None) -> tuple[str, bytes]:
    items, extra = [], []
    for n, (row, col, target, internal) in enumerate(body.links, 1):
        ref = f"{get_column_letter(col + 1)}{row + 2}"
        if internal:
            items.append(f'<hyperlink ref="{ref}" location={quoteattr(clean(target))}/>')
            continue
        rid = f"rIdLink{n}"
        items.append(f'<hyperlink ref="{ref}" r:id="{rid}"/>')
        extra.append(f'<Relationship Id="{rid}" Type="{LINK_TYPE}" Target={quoteattr(clean(target))} '
                     f'TargetMode="External"/>')
    head = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '</Relationships>')
    text = (rels.decode("utf-8") if rels else head).replace("</Relationships>", "".join(extra) + "</Relationships>")
    return f'<hyperlinks xmlns:r="{R_NS}">{"".join(items)}</hyperlinks>', text.encode("utf-8")


def rows_xml(body: Body) -> bytes:
    """The body's <row> elements, from row 2 on, as UTF-8.

    A row is one `str.format` call on a template made once per shape (its values'
    types and its styles), each value turned into its cell's content by a function
    of its type: the indicator sheet has ~100,000 rows.  Blank values get no cell.
    Rows written ahead get their numbers in one `%` per block.
    """
    letters = [get_column_letter(i + 1) for i in range(body.width)]
    shapes: dict = {}
    out, texts, at = [], [], 0
    for values in body.rows:
        if values.__class__ is Ahead:
            out.append("".join(texts).encode("utf-8"))
            texts.clear()
            out.append(values.xml % dict(zip(_keys(values.count), range(at + 2, at + 2 + values.count))))
            at += values.count
            continue
        texts.append(_row(values, at + 2, body.row_styles.get(at, body.styles), letters, shapes))
        at += 1
    out.append("".join(texts).encode("utf-8"))
    return b"".join(out)


def render_ahead(rows: list, styles: list) -> Ahead:
    """Value rows written ahead, to be placed in a Body at any row (a worker's share of the work)."""
    letters, shapes = [get_column_letter(i + 1) for i in range(len(styles))], {}
    keys = _placeholders(len(rows))
    return Ahead("".join([_row(values, key, styles, letters, shapes, True) for values, key in zip(rows, keys)])
                 .encode("utf-8"), len(rows))


_KEYS: list = []            # b"0", b"1", …: the mapping keys of the `%(k)d` placeholders


def _keys(count: int) -> list:
    while len(_KEYS) < count:
        _KEYS.append(str(len(_KEYS)).encode())
    return _KEYS[:count]


@lru_cache(maxsize=64)
def _placeholders(count: int) -> tuple:
    return tuple(f"%({k})d" for k in range(count))


def _row(values: list, r, styles: list, letters: list, shapes: dict, ahead: bool = False) -> str:
    """One <row> of `values` numbered `r`; `shapes` caches the templates by types and styles.
    `ahead`: the contents' `%` doubled, for a row whose number is a `%(k)d` placeholder."""
    if "" in values:
        values = [None if v == "" else v for v in values]
    key = (tuple(map(type, values)), id(styles))
    shape = shapes.get(key)
    if shape is None:
        shape = shapes[key] = _shape(key[0], styles, letters, _AHEAD if ahead else _CONTENT)
    return shape[0].format(r, *map(call, shape[1], values))


def _shape(types: tuple, styles: list, letters: list, contents: dict) -> tuple[str, list]:
    """(format string of a row, a converter per value) for rows whose values have `types`."""
    cells, converters = [], []
    for c, kind in enumerate(types):
        if kind is type(None):
            converters.append(id)           # no cell; the slot is not used
            continue
        style = f' s="{styles[c]}"' if styles[c] else ""
        converters.append(contents.get(kind, contents[object]))
        cells.append(f'<c r="{letters[c]}{{0}}"{style}{{{c + 1}}}</c>')
    return f'<row r="{{0}}">{"".join(cells)}</row>', converters


@lru_cache(maxsize=1 << 18)
def _text_content(value: str) -> str:
    """What follows <c r=… s=…> for a text: always text, never a formula (summaries repeat texts)."""
    text = cell_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is>'


def _int_content(value: int) -> str:
    return f"><v>{value}</v>"


def _value_content(value) -> str:
    if isinstance(value, str):                      # a subclass of str
        return _text_content(value)
    if isinstance(value, Formula):
        return f"><f>{cell_text(value.text)}</f>{_cached(value.cached)}"
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    return f"><v>{_number(value)}</v>"


@lru_cache(maxsize=1 << 18)
def _text_ahead(value: str) -> str:
    return _text_content.__wrapped__(value).replace("%", "%%")


def _value_ahead(value) -> str:
    return _value_content(value).replace("%", "%%")


_CONTENT = {str: _text_content, int: _int_content, object: _value_content}
_AHEAD = {str: _text_ahead, int: _int_content, object: _value_ahead}


def _cached(value) -> str:
    return "" if value is None else f"<v>{_number(value)}</v>"


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)
