"""Number formats from the package XML (generator/cellformats.py) against openpyxl's own reading."""
import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from generator.cellformats import PackageFormats, _cell_formats, _cell_formats_parsed
from generator.errors import InputError
from generator.grid import CalamineGrid, OpenpyxlGrid

FORMATS = ["General", "0%", "0.00%", "#,##0.00", "0.0%", "yyyy-mm-dd", "@", '"￥"#,##0.00;[Red]-"￥"#,##0.00']


@pytest.fixture
def book(tmp_path):
    """Two sheets of numbers in every format, a styled cell with no value, a formula never computed."""
    wb = openpyxl.Workbook()
    for title in ("表一", "表 二"):
        ws = wb.create_sheet(title)
        for r, fmt in enumerate(FORMATS, 1):
            ws.cell(r, 2, 0.5 * r).number_format = fmt
            ws.cell(r, 3).number_format = fmt          # styled, empty
        ws["D1"], ws["D1"].number_format = "=B1*2", "0%"
        ws["E2"], ws["E2"].number_format = dt.date(2024, 1, 1), "yyyy年m月d日"
    wb.remove(wb["Sheet"])
    path = tmp_path / "formats.xlsx"
    wb.save(path)
    return path


def test_same_formats_as_openpyxl(book):
    fast, full = CalamineGrid(str(book)), OpenpyxlGrid(str(book))
    for sheet in full.sheet_names:
        got = fast.number_formats(sheet)
        assert got == full.number_formats(sheet)
        assert got[(2, 2)] == "0%" and got[(8, 2)] == FORMATS[7] and (2, 3) not in got and (1, 4) not in got


def test_unknown_sheet_or_not_a_package():
    assert PackageFormats(lambda name: None).of("表一") == {}


def test_pattern_and_parser_agree_and_the_parser_takes_what_the_pattern_cannot(book):
    styles = PackageFormats(lambda name: _part(book, name))._styles
    xml = _part(book, "xl/worksheets/sheet1.xml")
    assert _cell_formats(xml, styles) == _cell_formats_parsed(xml, styles) != {}
    # cells without r (optional in the schema) and a prefixed namespace: placed as the parser reads them
    bare = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", xml)
    assert _cell_formats(_prefixed(xml), styles) == _cell_formats_parsed(xml, styles)
    assert _cell_formats(bare, styles) == _cell_formats_parsed(bare, styles)
    assert _cell_formats(bare, styles)[(2, 1)] == "0%"          # B2 without its r: the row's first cell


def _part(book, name):
    with zipfile.ZipFile(book) as zf:
        return zf.read(name) if name in zf.namelist() else None


def test_reads_only_what_it_needs(book):
    asked = []

    def part(name):
        asked.append(name)
        return _part(book, name)

    formats = PackageFormats(part)
    formats.of("表一"), formats.of("表 二")
    assert sorted(set(asked)) == ["xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml",
                                  "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
    assert asked.count("xl/styles.xml") == 1


def _prefixed(xml: bytes) -> bytes:
    """The same part with the main namespace under a prefix, as some writers do."""
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(b'xmlns="' + main + b'"', b'xmlns:x="' + main + b'"', 1)
    return re.sub(rb"<(/?)(?![?!])([A-Za-z]+)([\s/>])", rb"<\1x:\2\3", xml)


def test_prefixed_workbook_and_styles_give_the_same_formats(book):
    plain = PackageFormats(lambda name: _part(book, name))
    prefixed = PackageFormats(lambda name: _prefixed(_part(book, name)) if name.endswith(("workbook.xml", "styles.xml"))
                              else _part(book, name))
    assert prefixed._paths == plain._paths and prefixed._styles == plain._styles
    assert prefixed.of("表 二") == plain.of("表 二") != {}


def test_a_styles_part_defusedxml_refuses_is_a_message_naming_file_and_sheet(book, tmp_path):
    """calamine opens it; its entity declaration is what defusedxml never expands."""
    broken = tmp_path / "坏样式.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/styles.xml":
                data = b'<!DOCTYPE styleSheet [<!ENTITY x "y">]>' + data
            out.writestr(item, data)
    assert CalamineGrid(str(broken)).rows("表一")[1][1] == 1.0
    with pytest.raises(InputError, match=r"文件 .*坏样式.xlsx，工作表 表一：单元格格式无法读取"):
        CalamineGrid(str(broken)).number_formats("表一")
