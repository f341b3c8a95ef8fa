"""Save a workbook as .xlsx the way openpyxl does, byte for byte, faster and with fixed times.

openpyxl's writer builds an element per cell and writes each sheet through a
temporary file.  Here the sheet rows and merged ranges of ordinary cells
(text, numbers, formulas, blanks) are written as text in the same form; any
other cell (dates, booleans, rich text, hyperlinks …) still goes through
openpyxl's own cell writer, and everything else in the package is openpyxl's.
One difference: a text holding `_xHHHH_` or a carriage return is escaped so
that Excel reads it back unchanged (xmltext.cell_text); openpyxl writes it raw.
Zip entries carry a fixed time, so equal content gives equal bytes.
"""
from __future__ import annotations

import io
import math
import zipfile
from xml.etree.ElementTree import _escape_attrib, _escape_cdata

from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from ..fixedzip import entry
from ..xmltext import cell_text

_LETTERS = [""] + [get_column_letter(c) for c in range(1, 16385)]


class FixedZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time, so equal input gives equal bytes."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = entry(name)
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:
            self.writestr(arcname or str(filename), fh.read())


def xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    writer = _Writer if not wb.write_only else ExcelWriter
    writer(wb, FixedZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buf.getvalue()


class _Writer(ExcelWriter):
    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


def _cell_tag(cell, coord: str, style: str) -> str | None:
    """The <c> element of an ordinary cell as openpyxl writes it; None for any other cell."""
    kind, value = cell.data_type, cell._value
    if cell.hyperlink is not None:
        return None
    if kind == "s":
        if type(value) is not str:
            return None
        if value == "":
            return f'<c r="{coord}"{style} t="inlineStr" />'
        text = cell_text(value)
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{coord}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if kind == "n":
        if value is None:
            return f'<c r="{coord}"{style} t="n" />'
        if type(value) not in (int, float) or not math.isfinite(value):
            return None
        return f'<c r="{coord}"{style} t="n"><v>{safe_string(value)}</v></c>'
    if kind == "f":
        if type(value) is not str:
            return None
        if value == "":
            return f'<c r="{coord}"{style} />'
        return f'<c r="{coord}"{style}><f>{_escape_cdata(value[1:])}</f><v /></c>'
    return None


class _SheetWriter(WorksheetWriter):

    def write_rows(self):
        xf = self.xf.send(True)
        ws = self.ws
        dims = ws.row_dimensions
        styles = ws.parent._cell_styles
        comments = ws._comments
        with xf.element("sheetData"):
            write = xf._file
            for row_idx, row in self.rows():
                attrs = {"r": f"{row_idx}"}
                attrs.update(dims.get(row_idx, {}))
                write("<row" + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()) + ">")
                for cell in row:
                    if cell._comment is not None:
                        comments.append(CommentRecord.from_cell(cell))
                    style = cell._style
                    styled = style is not None and any(style)
                    if cell._value is None and not styled and not cell._comment:
                        continue
                    text = _cell_tag(cell, f"{_LETTERS[cell.column]}{cell.row}",
                                     f' s="{styles.add(style)}"' if styled else "")
                    if text is None:
                        write_cell(xf, ws, cell, styled)
                    else:
                        write(text)
                write("</row>")
        self.xf.send(None)

    def write_merged_cells(self):
        merged = self.ws.merged_cells
        if merged:
            xf = self.xf.send(True)
            refs = [ref.coord for ref in merged]
            xf._file(f'<mergeCells count="{len(refs)}">'
                     + "".join(f'<mergeCell ref="{ref}" />' for ref in refs) + "</mergeCells>")
            self.xf.send(None)
