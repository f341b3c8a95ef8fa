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
from itertools import chain
from operator import itemgetter
from typing import Iterator
from xml.sax.saxutils import quoteattr

from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..fixedzip import write_package
from ..memo import Memo
from ..xmltext import cell_text, clean, plain

FIXED_TIME = dt.datetime(2000, 1, 1)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LINK_TYPE = f"{R_NS}/hyperlink"
COMPRESS_LEVEL = 3     # a summary's sheets are tens of MB of XML: 1/3 of the time of zlib's default
RUN = 1000             # value rows rendered per block here: chunks of ~1 MB for the zip writer


@dataclass(frozen=True)
class Formula:
    text: str              # without '='
    cached: object = None  # the value the command computed


@dataclass(frozen=True)
class Ahead:
    """Rows written ahead (in a worker) as UTF-8 XML, numbered from the row they are placed at:
    their row numbers are `%(k)d` placeholders, k = 0 for the first (a `%` in a text is `%%`),
    until `placed` numbers them (`row`: the sheet row of the first; 0 while not placed)."""
    xml: bytes
    count: int
    row: int = 0

    def placed(self, row: int) -> Ahead:
        return Ahead(self.xml % dict(zip(_keys(self.count), range(row, row + self.count))), self.count, row)


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
    try:
        with zipfile.ZipFile(raw) as src:
            write_package(out, _parts(src, {ws.path.lstrip("/"): body for ws, body in bodies.items()}),
                          COMPRESS_LEVEL)
    finally:
        _TEXTS.clear()                  # a long-lived process (the add-in) keeps no summary's texts


def _parts(src: zipfile.ZipFile, bodies: dict):
    """(name, data) of the package: the skeleton's parts, the sheets with bodies spliced in,
    the tallest first (their compression runs while the rest is made; a zip's order means nothing)."""
    names = src.namelist()
    for name in sorted(names, key=lambda n: -bodies[n].height if n in bodies else 0):
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


def _splice(xml: bytes, body: Body, rels: bytes | None) -> tuple[Iterator[bytes], bytes | None]:
    """The skeleton sheet with the body rows (and their hyperlinks) added, in chunks made as they are read."""
    text = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", xml.decode("utf-8"), count=1)
    last = get_column_letter(max(body.width, 1)) + str(body.height + 1)
    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', text, count=1)
    if body.links:
        links, rels = _links(body, rels)
        text = text.replace("<pageMargins", links + "<pageMargins", 1)
    head, tail = text.split("</sheetData>", 1)
    return chain((head.encode("utf-8"),), rows_xml(body), (b"</sheetData>" + tail.encode("utf-8"),)), rels


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


def rows_xml(body: Body) -> Iterator[bytes]:
    """The body's <row> elements, from row 2 on, as chunks of UTF-8: blocks written
    ahead (`render_ahead`, in a worker or here), each numbered with one `%` unless placed already."""
    at = 2
    for block in _blocks(body):
        if not block.row:
            block = block.placed(at)
        elif block.row != at:
            raise RuntimeError(f"rows placed at {block.row} met at row {at}")
        yield block.xml
        at += block.count


def _blocks(body: Body) -> Iterator[Ahead]:
    """The body's rows as blocks: the ones written ahead, and runs of up to RUN value rows of the same styles."""
    run, run_styles, at = [], None, 0
    for row in body.rows:
        styles = None if row.__class__ is Ahead else body.row_styles.get(at, body.styles)
        if run and (styles is not run_styles or len(run) == RUN):
            yield render_ahead(run, run_styles)
            run = []
        if styles is None:
            yield row
            at += row.count
            continue
        run_styles = styles
        run.append(row)
        at += 1
    if run:
        yield render_ahead(run, run_styles)


def render_ahead(rows: list, styles: list, common: dict | None = None) -> Ahead:
    """Value rows as XML to be placed in a Body at any row (in a worker: its share of the work).

    `common` ({column: value}) holds what every row shares (a project's key), and
    `rows` the values of the other columns.  The cells are made column by column,
    each value's content by its type (`_content`), and joined between the tags of
    a template made once per row count and styles: the indicator sheet has
    ~100,000 rows.  A blank value is an empty cell.
    """
    width, count = len(styles), len(rows)
    common = common or {}
    free = [c for c in range(width) if c not in common]
    if set(map(len, rows)) - {len(free)}:          # a short row: blanks after its last value
        rows = [[*r, *[None] * (len(free) - len(r))] for r in rows]
    contents = [None] * (width * count)
    for c, value in common.items():
        contents[c::width] = [_content(value)] * count
    for k, c in enumerate(free):
        contents[c::width] = _column(list(map(itemgetter(k), rows)))
    xml = [None] * (2 * len(contents) + 1)
    xml[::2] = _tags(count, tuple(styles))
    xml[1::2] = contents
    return Ahead(b"".join(xml), count)


@lru_cache(maxsize=256)
def _tags(count: int, styles: tuple) -> list[bytes]:
    """What goes between the cells' contents of `count` rows numbered `%(k)d`, k from 0:
    the first opens row 0 and its first cell, the last closes the last row."""
    opens = [f'<c r="{get_column_letter(c + 1)}%({{k}})d"' + (f' s="{s}"' if s else "") for c, s in enumerate(styles)]
    tags, before = [], ""
    for k in range(count):
        for c, cell in enumerate(opens):
            tags.append(before + (f'<row r="%({k})d">' if c == 0 else "") + cell.format(k=k))
            before = "</c>" if c < len(opens) - 1 else "</c></row>"
    tags.append(before)
    return [tag.encode("utf-8") for tag in tags]


_KEYS: list = []            # b"0", b"1", …: the mapping keys of the `%(k)d` placeholders


def _keys(count: int) -> list:
    while len(_KEYS) < count:
        _KEYS.append(str(len(_KEYS)).encode())
    return _KEYS[:count]


def _column(values: list) -> list[bytes]:
    """The contents of a column's values: a column of texts or of integers without a call per value."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return _TEXTS.many(values, _texts)
    return list(map(_int if kinds == {int} else _content, values))


def _content(value) -> bytes:
    """What follows <c r=… s=…> up to </c> for a value, its `%` doubled (the row numbers are
    placeholders).  Text is always text, never a formula; a blank is an empty cell."""
    kind = value.__class__
    if kind is str:
        return _TEXTS[value]
    if kind is int:
        return _int(value)
    if value is None:
        return b">"
    return _other(value)


def _text(value: str) -> bytes:
    """A text's content ('' is a blank)."""
    return _texts([value])[0]


def _texts(values: list[str]) -> list[bytes]:
    """The contents of texts, made together: escaped where needed, then encoded and their `%`
    doubled in one go, joined by a '\\x00' that no cell text holds.  '' is a blank."""
    texts = values if plain("".join(values)) else list(map(cell_text, values))
    encoded = "\x00".join(texts).encode("utf-8").replace(b"%", b"%%").split(b"\x00")
    return [(_OPEN_SPACE if text != text.strip() else _OPEN) + raw + _CLOSE if value else b">"
            for value, text, raw in zip(values, texts, encoded)]


_OPEN, _OPEN_SPACE, _CLOSE = b' t="inlineStr"><is><t>', b' t="inlineStr"><is><t xml:space="preserve">', b"</t></is>"
_TEXTS = Memo(_text, 1 << 18)   # text -> its content: summaries repeat texts


_int = b"><v>%d</v>".__mod__


def _other(value) -> bytes:
    if isinstance(value, str):                      # a subclass of str
        return _content(str(value))
    if isinstance(value, Formula):
        content = f"><f>{cell_text(value.text)}</f>{_cached(value.cached)}"
    elif isinstance(value, bool):
        content = f' t="b"><v>{int(value)}</v>'
    else:
        content = f"><v>{_number(value)}</v>"
    return content.replace("%", "%%").encode("utf-8")


def _cached(value) -> str:
    return "" if value is None else f"<v>{_number(value)}</v>"


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)
