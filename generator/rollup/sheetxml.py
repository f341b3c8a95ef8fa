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
from xml.sax.saxutils import quoteattr

from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..fixedzip import entry

FIXED_TIME = dt.datetime(2000, 1, 1)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LINK_TYPE = f"{R_NS}/hyperlink"
# XML 1.0 forbids most control characters; Excel reads _xHHHH_ as an escape, so a
# literal one is escaped in turn.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                       **{c: "" for c in range(32) if c not in (9, 10, 13)}})
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
LINK_FONT = Font(color="0563C1", underline="single")


@dataclass(frozen=True)
class Formula:
    text: str              # without '='
    cached: object = None  # the value the command computed


@dataclass
class Body:
    """A sheet's rows below the header (row 2 on), as values."""
    rows: list
    styles: list                                   # style id per column
    row_styles: dict = field(default_factory=dict)  # row index -> style ids (e.g. 合计)
    links: list = field(default_factory=list)      # (row index, column index, target, internal)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


class Palette:
    """Style ids (cellXfs indices) registered in a workbook, by number format, bold, link."""

    def __init__(self, wb):
        self._sheet, self._ids = wb.worksheets[0], {}

    def id(self, number_format: str = "General", bold: bool = False, link: bool = False) -> int:
        key = (number_format, bold, link)
        if key not in self._ids:
            cell = Cell(self._sheet)        # detached: registers the style, is not written
            cell.number_format = number_format
            cell.font = LINK_FONT if link else Font(bold=bold)
            self._ids[key] = cell.style_id
        return self._ids[key]


def save(wb, bodies: dict, out) -> None:
    """Save `wb` with each body spliced into its sheet ({worksheet: Body}) to `out`."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator, wb.properties.lastModifiedBy = "jixiao", None
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()     # recompressed below
    parts = {ws.path.lstrip("/"): body for ws, body in bodies.items()}
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            data = src.read(name)
            if name in parts:
                data, rels = _splice(data, parts[name], _rels_of(src, name, names))
                _write(dst, _rels_path(name), rels)
            elif _is_sheet_rels(name, parts):
                continue                     # written with its sheet
            _write(dst, name, data)


def _write(dst: zipfile.ZipFile, name: str, data: bytes | None) -> None:
    if data is not None:
        dst.writestr(entry(name), data)


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
    last = get_column_letter(max(body.width, 1)) + str(len(body.rows) + 1)
    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', text, count=1)
    if body.links:
        links, rels = _links(body, rels)
        text = text.replace("<pageMargins", links + "<pageMargins", 1)
    head, tail = text.split("</sheetData>", 1)
    return b"".join((head.encode("utf-8"), rows_xml(body).encode("utf-8"),
                     b"</sheetData>", tail.encode("utf-8"))), rels


def _links(body: Body, rels: bytes | None) -> tuple[str, bytes]:
    items, extra = [], []
    for n, (row, col, target, internal) in enumerate(body.links, 1):
        ref = f"{get_column_letter(col + 1)}{row + 2}"
        if internal:
            items.append(f'<hyperlink ref="{ref}" location={quoteattr(target)}/>')
            continue
        rid = f"rIdLink{n}"
        items.append(f'<hyperlink ref="{ref}" r:id="{rid}"/>')
        extra.append(f'<Relationship Id="{rid}" Type="{LINK_TYPE}" Target={quoteattr(target)} '
                     f'TargetMode="External"/>')
    head = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '</Relationships>')
    text = (rels.decode("utf-8") if rels else head).replace("</Relationships>", "".join(extra) + "</Relationships>")
    return f'<hyperlinks xmlns:r="{R_NS}">{"".join(items)}</hyperlinks>', text.encode("utf-8")


def rows_xml(body: Body) -> str:
    letters = [get_column_letter(i + 1) for i in range(body.width)]
    out = []
    for i, values in enumerate(body.rows):
        r = i + 2
        styles = body.row_styles.get(i, body.styles)
        out.append(f'<row r="{r}">')
        for c, v in enumerate(values):
            if v.__class__ is str:          # the common case first
                if v:
                    out.append(f'<c r="{letters[c]}{r}" s="{styles[c]}" t="inlineStr"><is>{_text(v)}</is></c>')
            elif v is not None:
                out.append(_cell(f"{letters[c]}{r}", v, styles[c]))
        out.append("</row>")
    return "".join(out)


def _cell(ref: str, value, style: int) -> str:
    """A cell that is not text."""
    if isinstance(value, Formula):
        return f'<c r="{ref}" s="{style}"><f>{value.text.translate(_TEXT)}</f>{_cached(value.cached)}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}" s="{style}"><v>{_number(value)}</v></c>'


@lru_cache(maxsize=65536)
def _text(value: str) -> str:
    """An inline string's <t> element (summaries repeat the same texts many times)."""
    text = value.translate(_TEXT)
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{text}</t>"


def _cached(value) -> str:
    return "" if value is None else f"<v>{_number(value)}</v>"


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)
