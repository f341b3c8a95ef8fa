"""Number formats of a sheet's cells, read from the package's XML (no openpyxl load).

A number typed into a text field (a phone number, a 项目编码, 0.95 shown as
95%) is read as the clerk saw it, which takes its cell's number format.
openpyxl would load the whole workbook for that, some 50 times the time of
reading its values.  Here only what is needed is read, with defusedxml: the
sheet list and its relationships and styles.xml (once per workbook), and the
one sheet, by pattern where Excel's way of writing it allows, else parsed.
The answer is openpyxl's (a custom format by its id, else Excel's built-in
one, else General), also for the cells hidden under a merge whose values
openpyxl drops and calamine keeps.
"""
from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Callable
from functools import cached_property

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MAIN = "{" + MAIN_NS + "}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
GENERAL = "General"


class PackageFormats:
    """The number formats of a package's sheets; `part(name)` gives a part's bytes (None if absent)."""

    def __init__(self, part: Callable[[str], bytes | None]):
        self._part = part

    def of(self, sheet: str) -> dict[tuple[int, int], str]:
        """{(row, col): format} of the sheet's cells that hold a value and have a format other than General."""
        path = self._paths.get(sheet)
        xml = self._part(path) if path and any(f != GENERAL for f in self._styles) else None
        return _cell_formats(xml, self._styles) if xml else {}

    @cached_property
    def _paths(self) -> dict[str, str]:
        """{sheet name: its part}, from workbook.xml's sheet list and its relationships."""
        book, rels = self._part("xl/workbook.xml"), self._part("xl/_rels/workbook.xml.rels")
        if not book or not rels:
            return {}
        targets = {r.get("Id"): r.get("Target") or "" for r in ElementTree.fromstring(rels).iter(f"{_PKG_REL}Relationship")}
        out = {}
        for sheet in _children(book, b"sheets").iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"))
            if target:
                out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join("xl", target))
        return out

    @cached_property
    def _styles(self) -> list[str]:
        """The number format of each cell style (cellXfs), by style index."""
        xml = self._part("xl/styles.xml")
        if not xml:
            return []
        root = _children(xml, b"numFmts", b"cellXfs")
        custom = {int(f.get("numFmtId")): f.get("formatCode") or GENERAL
                  for f in root.iter(f"{_MAIN}numFmt") if (f.get("numFmtId") or "").isdigit()}
        xfs = root.find(f"{_MAIN}cellXfs")
        ids = [int(x.get("numFmtId") or 0) for x in (xfs if xfs is not None else ())]
        return [custom.get(i) or BUILTIN_FORMATS.get(i, GENERAL) for i in ids]


_ROOT = re.compile(rb"<(([\w.-]+:)?[\w.-]+)\b[^>]*>")       # the root's start tag: (name, prefix)


def _children(xml: bytes, *names: bytes):
    """The root element with only the named children, parsed: defusedxml parses in Python, and
    workbook.xml holds hundreds of defined names, styles.xml all the fonts, fills and borders.
    The children are cut out as they are, under the root's own start tag (its namespaces);
    where that can't be done cleanly the whole document is parsed."""
    root = None if b"<!" in xml else _ROOT.search(xml)
    if root is None or root.group(0).endswith(b"/>"):
        return ElementTree.fromstring(xml)
    prefix, parts = root.group(2) or b"", [root.group(0)]
    for name in names:
        tag = prefix + name
        start = re.search(rb"<" + re.escape(tag) + rb"[\s/>]", xml)
        if start is None:
            continue
        close = xml.find(b"</" + tag + b">", start.start())
        empty = xml.find(b"/>", start.start())
        end = close + len(tag) + 3 if close >= 0 else -1
        if 0 <= empty < xml.find(b">", start.start()) + 1:
            end = empty + 2                        # <numFmts count="0"/>
        if end < 0:
            return ElementTree.fromstring(xml)
        parts.append(xml[start.start():end])
    return ElementTree.fromstring(b"".join(parts) + b"</" + root.group(1) + b">")


_CELL = re.compile(rb"<c\s([^>]*)>")
_CELL_START = re.compile(rb"<c[\s/>]")
_REF_STYLE = re.compile(rb'\b(r|s)="([^"]*)"')
_VALUE = re.compile(rb"<v>[^<]|<is[\s>]")     # a cached value, or an inline text (not <v/>: a formula never computed)
_DEFAULT_NS = f'xmlns="{MAIN_NS}"'.encode()


def excel_written(xml: bytes) -> bool:
    """A part written as Excel writes it, the case our patterns read: no DTD, comment or
    CDATA, and the main namespace the default one (declared on the root)."""
    return b"<!" not in xml and _DEFAULT_NS in xml[:2000]


def _cell_formats(xml: bytes, formats: list[str]) -> dict[tuple[int, int], str]:
    """The sheet's formatted cells: by pattern as Excel writes sheets (every cell with its r,
    the default namespace, no DTD or comment), else streamed through the parser."""
    if not excel_written(xml):
        return _cell_formats_parsed(xml, formats)
    out, cells = {}, 0
    for m in _CELL.finditer(xml):
        attrs = dict(_REF_STYLE.findall(m.group(1)))
        if b"r" not in attrs:
            return _cell_formats_parsed(xml, formats)
        cells += 1
        style = int(attrs.get(b"s") or 0)
        if style >= len(formats) or formats[style] == GENERAL or m.group(1).endswith(b"/"):
            continue
        if _VALUE.search(xml, m.end(), xml.find(b"</c>", m.end())):
            letters, row = coordinate_from_string(attrs[b"r"].decode("ascii"))
            out[row, column_index_from_string(letters)] = formats[style]
    if cells != len(_CELL_START.findall(xml)):
        return _cell_formats_parsed(xml, formats)
    return out


def _cell_formats_parsed(xml: bytes, formats: list[str]) -> dict[tuple[int, int], str]:
    """Stream the sheet: each cell's place (its r, else next in its row) and style."""
    out, row, col = {}, 0, 0
    for event, el in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        if el.tag == f"{_MAIN}row":
            if event == "start":
                row, col = int(el.get("r") or row + 1), 0
            else:
                el.clear()              # a sheet can be large: keep no rows
        elif el.tag == f"{_MAIN}c" and event == "start":
            ref = el.get("r")
            col = column_index_from_string(coordinate_from_string(ref)[0]) if ref else col + 1
        elif el.tag == f"{_MAIN}c":
            style = int(el.get("s") or 0)
            has_value = bool(el.findtext(f"{_MAIN}v")) or el.find(f"{_MAIN}is") is not None
            if has_value and style < len(formats) and formats[style] != GENERAL:
                out[row, col] = formats[style]
    return out
