"""The template engine: render a Book through annotated templates and read it back.

Templates are built here with openpyxl (fields, two loops with a merge, a sum
check with ✓/✗ below a loop, a data validation on a loop row), so these tests
need no official template.  Clerk edits are made with openpyxl, which moves
neither merges nor defined names on insert_rows: reading must carry them
through the labels.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from generator.errors import InputError
from generator.grid import Grid, open_grid
from generator.model import Book, DetailLine, Form, FundSource, Funding, Indicator, Project
from generator.rules import Finding
from generator.template import (annotate_copy, describe_template, marks, parse_template, read_grid,
                                read_workbook, render_book, render_bytes)
from generator.template.layout import RowMap, map_formula

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = Path(__file__).parent.parent / "templates"

ROWS = {
    1: ["财政项目支出绩效目标申报表"],
    2: ["（{{ year }}年度）"],
    3: ["项目名称", "{{ project.name }}", None, "项目性质", "{{ project.nature }}"],
    4: ["项目资金总额", "{{ funding.total }}", None, "计划开始日期", "{{ project.start }}"],
    5: ["一级指标", "二级指标", "三级指标", "指标值", "备注"],
    6: ["{{ ind.level1 }}", "{{ ind.level2 }}", "{{ ind.name }}", "{{ ind.target }}", "{{ ind.note }}"],
    7: ["项目名称", "项目明细", "明细金额", "备注"],
    8: ["{{ d.project }}", "{{ d.item }}", "{{ d.amount }}", "{{ d.note }}", None, '=IF(C8>0,"✓","✗")'],
    9: ["金额合计", None, "{{ details_total }}", '=IF(SUM(C8:C8)=C9,"✓","✗")'],
    10: ["填表人", "{{ project.filled_by }}"],
}


def _props(wb, form_id: str) -> None:
    for name, value in (("jx.form", form_id), ("jx.region", "上海"), ("jx.title", "测试申报表")):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def _fill(ws, rows: dict) -> None:
    for r, values in rows.items():
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(r, c, v)


def make_template(path: Path, form_id: str = "t1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报表"
    _fill(ws, ROWS)
    for rng in ("A1:F1", "A2:F2", "B3:C3", "A9:B9"):
        ws.merge_cells(rng)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A6"].comment = Comment("jx:for ind in indicators; merge=A,B", "t")
    ws["A8"].comment = Comment("jx:for d in details", "t")
    for c in ("B4", "C8", "C9"):
        ws[c].number_format = "#,##0.00"
    ws["D6"].fill = PatternFill("solid", fgColor="DDEEFF")
    ws.row_dimensions[6].height = 30
    ws.row_dimensions[9].height = 22
    dv = DataValidation(type="list", formula1='"年度项目,一次性"', allow_blank=True)
    dv.add("D8")
    ws.add_data_validation(dv)
    ws.print_title_rows = "5:5"
    ws.column_dimensions["C"].width = 30
    _props(wb, form_id)
    wb.save(path)
    return path


def make_two_sheet_template(path: Path) -> Path:
    """Like the three-sheet sh2019: a second sheet refers to the first."""
    wb = openpyxl.Workbook()
    one = wb.active
    one.title = "项目总体情况"
    _fill(one, {1: ["项目总体情况表"], 2: ["项目名称", "{{ project.name }}"],
                3: ["项目总预算", "{{ funding.total }}"]})
    two = wb.create_sheet("绩效目标")
    _fill(two, {1: ["绩效目标表"], 2: ["一级指标", "二级指标", "三级指标", "指标值"],
                3: ["{{ i.level1 }}", "{{ i.level2 }}", "{{ i.name }}", "{{ i.target }}"],
                4: ["填报说明", "='项目总体情况'!B3"]})
    two["A3"].comment = Comment("jx:for i in indicators; merge=A,B", "t")
    _props(wb, "t2")
    wb.save(path)
    return path


def sample(name: str = "智慧教育云平台", sheet: str = "申报表") -> Form:
    return Form(
        form="t1", region="上海", year=2023, sheet=sheet,
        project=Project(name=name, nature="=经常性项目", start=dt.date(2023, 1, 1), filled_by="张三"),
        funding=Funding(total=Decimal("1700000.00")),
        indicators=[Indicator("产出指标", "数量指标", "统一身份认证中心建设内容完成率", "=100.00%", "工作计划"),
                    Indicator("", "", "数据中台建设内容完成率", "=100.00%"),
                    Indicator("", "质量指标", "故障排除率", "≥90%"),
                    Indicator("效益指标", "社会效益指标", "云平台运营维护情况", "7*24无休"),
                    Indicator("", "", "教育云平台建设效果", "提升")],
        details=[DetailLine(project=name, item="安全测评费", amount=Decimal("84600.00"), note="年度项目"),
                 DetailLine(project=name, item="咨询费", amount=Decimal("55400.00"), note="年度项目"),
                 DetailLine(project=name, item="软件开发", amount=Decimal("5640000.00"), note="年度项目")],
        details_total=Decimal("5780000.00"))


@pytest.fixture
def tdir(tmp_path) -> Path:
    d = tmp_path / "templates"
    d.mkdir()
    make_template(d / "t1.xlsx")
    make_two_sheet_template(d / "t2.xlsx")
    return d


@pytest.fixture
def rendered(tdir, tmp_path) -> Path:
    out = tmp_path / "out.xlsx"
    render_book(Book([sample()]), out, tdir)
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path, tdir, engine="calamine"):
    result = read_workbook(path, tdir, engine)
    return result, result.book.forms


# ---------------------------------------------------------------- render → read


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_round_trip(rendered, tdir, engine):
    result, forms = _read(rendered, tdir, engine)
    assert forms == [sample()]
    assert result.findings == []
    assert result.sources[0].template == "t1" and result.sources[0].method == "names"


def test_where_names_every_cell(rendered, tdir):
    form = _read(rendered, tdir)[1][0]
    assert form.where["project.name"] == "申报表!B3"
    assert form.where["year"] == "申报表!A2"
    assert form.where["indicators[3].target"] == "申报表!D9"
    assert form.where["details[2].amount"] == "申报表!C14"
    assert form.where["details_total"] == "申报表!C15"
    assert form.where["indicators[1].level1"] == "申报表!A7"     # blank under a merge, still placed


def test_loop_rows_carry_styles_merges_validation_formulas(rendered):
    ws = openpyxl.load_workbook(rendered)["申报表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A8", "B6:B7", "B9:B10", "A9:A10", "A15:B15", "B3:C3"} <= merged
    assert [ws.row_dimensions[r].height for r in range(6, 11)] == [30] * 5
    assert ws.row_dimensions[15].height == 22
    assert all(ws[f"D{r}"].fill.fgColor.rgb.endswith("DDEEFF") for r in range(6, 11))
    assert ws["C13"].number_format == "#,##0.00"
    assert ws["F13"].value == '=IF(C13>0,"✓","✗")'
    assert ws["D15"].value == '=IF(SUM(C12:C14)=C15,"✓","✗")'
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["D12:D14"]
    assert ws.print_title_rows == "$5:$5"


def test_values_are_native_and_text_never_a_formula(rendered):
    ws = openpyxl.load_workbook(rendered)["申报表"]
    assert ws["B4"].value == 1700000 and ws["B4"].number_format == "#,##0.00"
    assert ws["E4"].value == dt.datetime(2023, 1, 1) and ws["E4"].is_date
    assert ws["E3"].value == "=经常性项目" and ws["E3"].data_type == "s"
    assert ws["D6"].data_type == "s"


def test_defined_names_and_properties(rendered):
    wb = openpyxl.load_workbook(rendered)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    assert names["jx_1_project.name"] == "'申报表'!$B$3"
    assert names["jx_1_indicators"] == "'申报表'!$A$6:$E$10"
    assert names["jx_1_details"] == "'申报表'!$A$12:$F$14"
    assert names["jx_1__1.t1"] == "'申报表'!$A$1"
    assert {p.name: p.value for p in wb.custom_doc_props}["jx.form"] == "t1"


def test_render_is_deterministic(tdir):
    book = Book([sample(), sample("第二个项目", sheet="")])
    first = render_bytes(book, tdir)
    time.sleep(1.1)
    assert render_bytes(book, tdir) == first
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in zf.read("docProps/core.xml")


def test_empty_loop_renders_one_blank_row(tdir, tmp_path):
    form = sample()
    form.details, form.indicators = [], []
    out = tmp_path / "empty.xlsx"
    render_book(Book([form]), out, tdir)
    ws = openpyxl.load_workbook(out)["申报表"]
    assert ws["D9"].value == '=IF(SUM(C8:C8)=C9,"✓","✗")'
    assert _read(out, tdir)[1] == [form]


def test_several_forms_one_sheet_each(tdir, tmp_path):
    book = Book([sample(), sample("项目:二/三*", sheet=""), sample("项目三", sheet="申报表")])
    out = tmp_path / "book.xlsx"
    render_book(book, out, tdir)
    assert openpyxl.load_workbook(out).sheetnames == ["申报表", "申报表(2)", "申报表(3)"]
    result, forms = _read(out, tdir)
    assert [f.project.name for f in forms] == ["智慧教育云平台", "项目:二/三*", "项目三"]
    assert forms[1].where["details[0].amount"] == "申报表(2)!C12"


def test_sheet_names_are_legal_and_unique(tdir, tmp_path):
    long = "很长的项目名称" * 6
    book = Book([sample(sheet="a[b]:c*d?e/f\\g"), sample(sheet=long), sample(sheet=long)])
    names = openpyxl.load_workbook(__import__("io").BytesIO(render_bytes(book, tdir))).sheetnames
    assert names[0] == "a_b__c_d_e_f_g"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 3


def test_multi_sheet_template_per_project(tdir, tmp_path):
    forms = [Form(form="t2", region="上海", sheet="项目总体情况", project=Project(name=n),
                  funding=Funding(total=Decimal(t)),
                  indicators=[Indicator("产出指标", "数量指标", "a", "1"), Indicator("", "", "b", "2")])
             for n, t in (("甲", "100.5"), ("乙", "200"))]
    out = tmp_path / "two.xlsx"
    render_book(Book(forms), out, tdir)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["项目总体情况", "绩效目标", "项目总体情况(2)", "绩效目标(2)"]
    assert wb["绩效目标(2)"]["B5"].value == "='项目总体情况(2)'!B3"
    result, back = _read(out, tdir)
    assert [f.sheet for f in back] == ["项目总体情况", "项目总体情况(2)"]
    forms[1].sheet = "项目总体情况(2)"
    assert back == forms
    assert [s.sheets for s in result.sources] == [("项目总体情况", "绩效目标"), ("项目总体情况(2)", "绩效目标(2)")]


def test_default_filter_reads_back_to_its_path(tmp_path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    _fill(ws, {1: ["资金来源表"], 2: ["来源", "金额"],
               3: ['{{ sources[0].source | default("上级财政资金", true) }}', "{{ sources[0].total }}"],
               4: ['{{ sources[1].source | default("市级财政资金", true) }}', "{{ sources[1].total }}"],
               5: ["编码与单位", "{{ project.unit_code }} {{ project.unit }}"]})
    _props(wb, "t4")
    wb.save(tdir / "t4.xlsx")
    form = Form(form="t4", region="上海", sheet="Sheet",
                project=Project(unit_code="320100", unit="苏州市电化教育馆 (本级)"),
                sources=[FundSource(total=Decimal("1")), FundSource(source="自筹", total=Decimal("2"))])
    out = tmp_path / "f.xlsx"
    render_book(Book([form]), out, tdir)
    [back] = read_workbook(out, tdir).book.forms
    assert [s.source for s in back.sources] == ["上级财政资金", "自筹"]
    assert (back.project.unit_code, back.project.unit) == ("320100", "苏州市电化教育馆 (本级)")


def test_shared_list_sheet_and_template_names(tmp_path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    _fill(ws, {1: ["项目性质表"], 2: ["项目性质", "{{ project.nature }}"]})
    lists = wb.create_sheet("_lists")
    _fill(lists, {1: ["经常性项目"], 2: ["一次性项目"]})
    lists.sheet_state = "hidden"
    wb.defined_names["选项_性质"] = DefinedName("选项_性质", attr_text="'_lists'!$A$1:$A$2")
    dv = DataValidation(type="list", formula1="选项_性质")
    dv.add("B2")
    ws.add_data_validation(dv)
    _props(wb, "t5")
    wb.save(tdir / "t5.xlsx")
    forms = [Form(form="t5", sheet=n, project=Project(nature="一次性项目")) for n in ("甲", "乙")]
    out = tmp_path / "f.xlsx"
    render_book(Book(forms), out, tdir)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["甲", "乙", "_lists"] and book["_lists"].sheet_state == "hidden"
    assert book.defined_names["选项_性质"].attr_text == "'_lists'!$A$1:$A$2"
    result = read_workbook(out, tdir)
    assert [f.project.nature for f in result.book.forms] == ["一次性项目"] * 2 and not result.findings


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_recalculates_checks_and_keeps_names(rendered, tdir, tmp_path):
    import subprocess
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                    str(rendered)], check=True, capture_output=True, timeout=180)
    saved = tmp_path / "lo" / "out.xlsx"
    assert openpyxl.load_workbook(saved, data_only=True)["申报表"]["D15"].value == "✓"
    result = read_workbook(saved, tdir)
    assert result.book.forms == [sample()] and result.sources[0].method == "names"
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "lo"),
                    str(rendered)], check=True, capture_output=True, timeout=180)
    assert read_workbook(tmp_path / "lo" / "out.xls", tdir).book.forms == [sample()]


# ---------------------------------------------------------------- clerk edits


def _edit(path: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb["申报表"])
    wb.save(path)
    return path


def test_row_inserted_in_table_and_filled(rendered, tdir):
    def change(ws):
        ws.insert_rows(8)
        ws["C8"], ws["D8"] = "新增指标", "≥95%"
    _edit(rendered, change)
    result, [form] = _read(rendered, tdir)
    expected = sample()
    expected.indicators.insert(2, Indicator(name="新增指标", target="≥95%"))
    assert form == expected
    assert form.where["details_total"] == "申报表!C16"
    assert result.findings == []


def test_row_deleted_and_blank_rows_added(rendered, tdir):
    def change(ws):
        ws.delete_rows(13)          # 咨询费
        ws.insert_rows(13, 2)       # two blank rows inside the table
    _edit(rendered, change)
    form = _read(rendered, tdir)[1][0]
    assert [d.item for d in form.details] == ["安全测评费", "软件开发"]
    assert form.where["details[1].amount"] == "申报表!C15"
    assert form.details_total == Decimal("5780000.00")


def test_full_width_text_numbers_spaces_and_line_breaks(rendered, tdir):
    def change(ws):
        ws["A2"] = "（ ２０２３ 年度）"
        ws["B4"] = "1,700,000.00"
        ws["C12"] = "８４６００．００"
        ws["C13"] = " 55,400 "
        ws["A3"] = "项目\n名称 "
        ws["A15"] = "金 额 合 计："
        ws["C5"] = "三级\n指标"
    _edit(rendered, change)
    result, [form] = _read(rendered, tdir)
    assert form.year == 2023
    assert form.funding.total == Decimal("1700000.00")
    assert [d.amount for d in form.details] == [Decimal("84600.00"), Decimal("55400"), Decimal("5640000.00")]
    assert form == sample()


def test_amount_not_a_number_keeps_raw_text(rendered, tdir):
    _edit(rendered, lambda ws: ws.__setitem__("C12", "八万四千六"))
    form = _read(rendered, tdir)[1][0]
    assert form.details[0].amount == "八万四千六"


def test_unknown_rows_in_table_are_findings(rendered, tdir):
    def change(ws):
        ws.insert_rows(14)
        ws["A14"], ws["C14"] = "小计", 140000
    _edit(rendered, change)
    result, [form] = _read(rendered, tdir)
    assert len(form.details) == 3
    [finding] = result.findings
    assert finding.rule == "read.row" and finding.severity == "提示"
    assert finding.sheet == "申报表" and finding.cell == "A14"
    assert "申报表" in finding.message and "A14" in finding.message and "小计" in finding.message
    assert finding.project == "智慧教育云平台"


def test_a_table_row_without_fields_is_a_finding(rendered, tdir):
    """Text only in a column beside the table's fields: no item, and a hint saying so."""
    def change(ws):
        ws.insert_rows(14)
        ws["E14"] = "另见附件"
    _edit(rendered, change)
    result, [form] = _read(rendered, tdir)
    assert [d.item for d in form.details] == ["安全测评费", "咨询费", "软件开发"]
    assert [(f.rule, f.cell) for f in result.findings] == [("read.row", "A14")]
    assert "另见附件" in result.findings[0].message


def test_level1_repeated_or_blank_reads_as_typed(rendered, tdir):
    def change(ws):
        for rng in list(ws.merged_cells.ranges):
            if rng.min_col == 1 and 6 <= rng.min_row <= 10:
                ws.unmerge_cells(str(rng))
        ws["A7"] = "产出指标"
    _edit(rendered, change)
    form = _read(rendered, tdir)[1][0]
    assert [i.level1 for i in form.indicators] == ["产出指标", "产出指标", "", "效益指标", ""]


def test_hand_filled_official_layout_without_names(tdir, tmp_path):
    """A sheet typed by a clerk on the printed layout: no names, no properties, another sheet name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    _fill(ws, {1: ["财政项目支出绩效目标申报表"], 2: ["(2024年度)"], 3: ["项目名称：", "校园网"],
               4: ["项目资金总额", 300000], 5: ["一级指标", "二级指标", "三级指标", "指标值", "备注"],
               6: ["产出指标", "数量指标", "覆盖学校数", "=20所"], 7: [None, None, "覆盖率", "100%"],
               8: [None, None, None, None, None], 9: ["项目名称", "项目明细", "明细金额", "备注"],
               10: ["校园网", "设备", "300,000.00"], 11: ["金额合计", None, 300000], 12: ["填表人", "李四"]})
    wb.create_sheet("说明")["A1"] = "这不是表单"
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    result = read_workbook(path, tdir)
    [form] = result.book.forms
    assert (form.form, form.year, form.project.name, form.project.filled_by) == ("t1", 2024, "校园网", "李四")
    assert [i.name for i in form.indicators] == ["覆盖学校数", "覆盖率"]
    assert form.details == [DetailLine(project="校园网", item="设备", amount=Decimal("300000.00"))]
    assert form.details_total == Decimal("300000.00")
    assert result.sources[0].method == "labels"
    assert [f.rule for f in result.findings] == ["read.sheet"]


def test_percent_number_in_text_field_reads_as_shown(rendered, tdir):
    def change(ws):
        ws["D6"] = 0.95
        ws["D6"].number_format = "0%"
    _edit(rendered, change)
    assert _read(rendered, tdir)[1][0].indicators[0].target == "95%"


def test_numbers_in_text_fields_read_without_loading_openpyxl(rendered, tdir, monkeypatch):
    """A phone number or a code typed as a number, a share shown as a %: each number's format
    comes from the package's XML; openpyxl would load the whole workbook (~50× the read)."""
    def change(ws):
        ws["B3"] = 13812345678              # 项目名称 typed as a number, General
        ws["D6"], ws["D6"].number_format = 0.95, "0%"
        ws["D7"], ws["D7"].number_format = 0.125, "0.0%"
    _edit(rendered, change)
    monkeypatch.setattr("generator.grid.OpenpyxlGrid.__init__", lambda *a: pytest.fail("openpyxl loaded"))
    [form] = _read(rendered, tdir)[1]
    assert form.project.name == "13812345678"
    assert [i.target for i in form.indicators[:2]] == ["95%", "12.5%"]


def test_both_engines_read_an_edited_form_alike(rendered, tdir):
    def change(ws):
        ws["D6"] = 0.95
        ws["D6"].number_format = "0%"
        ws["B4"], ws["C12"], ws["E3"] = "1,700,000.00", "８４６００．００", None
        ws["A13"], ws["C13"] = "小计", 140000
    _edit(rendered, change)
    fast, full = (read_workbook(rendered, tdir, engine) for engine in ("calamine", "openpyxl"))
    assert fast.book.forms == full.book.forms
    assert fast.book.forms[0].indicators[0].target == "95%" and len(fast.book.forms[0].details) == 2
    assert [f.where for f in fast.book.forms] == [f.where for f in full.book.forms]
    assert fast.findings == full.findings and [f.rule for f in fast.findings] == ["read.row"]


def test_input_bytes_unchanged_by_read_and_annotate(rendered, tdir, tmp_path):
    before = _digest(rendered)
    result = read_workbook(rendered, tdir)
    read_workbook(rendered, tdir, "openpyxl")
    annotate_copy(rendered, result.findings, tmp_path / "marked.xlsx")
    assert _digest(rendered) == before


def test_grid_from_values_reads_like_a_file(rendered, tdir):
    file_grid = open_grid(rendered)
    grid = Grid.from_values({s: file_grid.rows(s) for s in file_grid.sheet_names}, path="live")
    assert read_grid(grid, tdir).book.forms == [sample()]


def test_grid_from_values_takes_the_number_formats_it_is_given(rendered, tdir):
    """A live workbook's values carry no format: the add-in hands the grid a mapping that asks
    Excel, so 0.95 shown as 95% in a 指标值 reads as the file would read it."""
    _edit(rendered, lambda ws: ws.__setitem__("D6", 0.95))
    file_grid = open_grid(rendered)
    values = {s: file_grid.rows(s) for s in file_grid.sheet_names}
    asked = []

    class Formats(dict):
        def get(self, cell, default=None):
            asked.append(cell)
            return super().get(cell, default)

    plain = read_grid(Grid.from_values(values, path="live"), tdir).book.forms[0]
    shown = read_grid(Grid.from_values(values, path="live", formats={"申报表": Formats({(6, 4): "0%"})}),
                      tdir).book.forms[0]
    assert (plain.indicators[0].target, shown.indicators[0].target) == ("0.95", "95%")
    assert asked == [(6, 4)]                # only the number in a text field


def test_macro_workbook_is_read_for_values_only(rendered, tdir, tmp_path):
    xlsm = tmp_path / "form.xlsm"
    shutil.copy(rendered, xlsm)
    assert read_workbook(xlsm, tdir).book.forms == [sample()]


def test_read_is_faster_than_pandas(rendered, tdir):
    pd = pytest.importorskip("pandas")
    read_workbook(rendered, tdir)           # template specs parse once

    def best(fn):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)
    ours = best(lambda: read_workbook(rendered, tdir))
    theirs = best(lambda: pd.read_excel(rendered, sheet_name=None, header=None, engine="openpyxl"))
    assert ours < theirs


# ---------------------------------------------------------------- annotate


def _findings():
    return [Finding("money.total", "错误", "金额合计与明细之和不符", "out.xlsx", "申报表", "C15", "智慧教育云平台"),
            Finding("values.unit", "提示", "指标值缺少单位", "out.xlsx", "申报表", "D7", "智慧教育云平台", "数据中台"),
            Finding("values.op", "错误", "缺少运算符", "out.xlsx", "申报表", "D7", "智慧教育云平台", "数据中台"),
            Finding("read.none", "错误", "整个文件的问题", "out.xlsx")]


def test_marks_are_pure_and_merge_per_cell():
    got = marks(_findings())
    assert [(m.sheet, m.cell, m.color) for m in got] == [("申报表", "C15", "FFC7CE"), ("申报表", "D7", "FFC7CE")]
    assert "指标值缺少单位" in got[1].note and "values.op" in got[1].note


def test_annotate_copy(rendered, tmp_path):
    out = annotate_copy(rendered, _findings(), tmp_path / "marked.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["申报表"]
    assert ws["C15"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "金额合计与明细之和不符" in ws["C15"].comment.text
    assert ws["A7"].fill.fgColor.rgb in ("00000000", None) or not ws["A7"].fill.fill_type
    results = wb["校验结果"]
    assert [c.value for c in results[1]] == ["文件", "工作表", "单元格", "项目", "指标", "规则", "级别", "说明"]
    assert results.max_row == 5
    assert results["C2"].hyperlink.location == "'申报表'!C15"
    assert results["C5"].hyperlink is None


def test_annotate_refuses_to_overwrite_input(rendered):
    with pytest.raises(InputError, match="不能覆盖原文件"):
        annotate_copy(rendered, [], rendered)


def test_annotate_marks_a_merged_cell_on_its_first_cell(rendered, tmp_path):
    finding = Finding("x", "提示", "合并单元格", sheet="申报表", cell="A7")
    out = annotate_copy(rendered, [finding], tmp_path / "m.xlsx")
    assert openpyxl.load_workbook(out)["申报表"]["A6"].fill.fgColor.rgb.endswith("FFEB9C")


# ---------------------------------------------------------------- spec, layout


def test_describe_template(tdir):
    text = describe_template(tdir / "t1.xlsx")
    assert "循环 第 6 行: ind in indicators; merge=A,B" in text
    assert "校验 D9: =IF(SUM(C8:C8)=C9,\"✓\",\"✗\")" in text
    assert "字段 B3: {{ project.name }}" in text


def test_bad_loop_note_is_a_chinese_error(tmp_path):
    path = make_template(tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["申报表"]["A6"].comment = Comment("jx:for indicators", "t")
    wb.save(path)
    with pytest.raises(InputError, match="循环批注格式"):
        parse_template(path)


def test_formula_references_follow_the_rows():
    rows = RowMap({8: 3})
    own = lambda name: rows if name is None else None    # noqa: E731
    same = lambda name: name                                # noqa: E731
    assert map_formula("=SUM(C8:C8)+C9+$C$3", own, same) == "=SUM(C8:C10)+C11+$C$3"
    assert map_formula("=C8*2", own, same, item=(8, 2)) == "=C10*2"
    assert map_formula("=SUM(A:A)+Other!C9", own, same) == "=SUM(A:A)+Other!C9"


@pytest.mark.parametrize("path", ["year", "project.name", "funding.total", "execution.lines", "sources_total.total",
                                  "extra.note", "indicators[1].name", "no.such"])
def test_a_planned_setter_sets_as_set_path_does(path):
    from generator.template import access

    def outcome(put):
        form = Form()
        try:
            put(form, "x")
        except Exception as exc:        # noqa: BLE001 - the same failure is the same outcome
            return type(exc)
        return form
    assert outcome(access.setter(Form, path)) == outcome(lambda form, value: access.set_path(form, path, value))


@pytest.mark.parametrize("ref, cell", [("'表 1'!$B$3", ("表 1", 3, 3)), ("'a''b'!$A$12:$F$14", ("a'b", 12, 14)),
                                       ("'x!y'!B2", ("x!y", 2, 2)), ("Sheet1!$C$5:$C$5", ("Sheet1", 5, 5)),
                                       ("'表 1'!#REF!", None), ("", None)])
def test_a_defined_name_reads_as_its_sheet_and_rows(ref, cell):
    from generator.template.read import _cell_of
    assert _cell_of(ref) == cell


def test_defined_names_read_by_pattern_as_the_parser_reads_them():
    from defusedxml import ElementTree

    from generator.grid import _defined_names_fast, defined_names
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    names = ["<definedName name=\"jx_1_project.name\">'表 1'!$B$3</definedName>",
             "<definedName name=\"local\" localSheetId=\"0\">'表 1'!$A$1</definedName>",
             "<definedName name=\"hidden\" hidden=\"1\">'a&amp;b'!$A$1:$F$9</definedName>",
             "<definedName\n name=\"spaced\">Sheet1!$C$5</definedName>",
             "<definedName name=\"odd\" comment=\"x &amp; y\">Sheet1!$D$6</definedName>"]

    def workbook(chosen):
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{main}">'
                f'<definedNames>{"".join(chosen)}</definedNames></workbook>').encode()
    for chosen in ([], names[:1], names[:4], names):
        root = ElementTree.fromstring(workbook(chosen))
        assert defined_names(workbook(chosen)) == {e.get("name"): e.text or "" for e in root.iter(f"{{{main}}}definedName")
                                                   if e.get("localSheetId") is None}
    assert _defined_names_fast(workbook(names[:4])) is not None     # the usual names: read by pattern
    assert _defined_names_fast(workbook(names)) is None             # one written otherwise: by the parser


# ---------------------------------------------------------------- real templates


@pytest.mark.parametrize("seed", sorted(p.name for p in FIXTURES.glob("seed00*.yaml")))
def test_seed_round_trip_through_official_templates(seed, tmp_path):
    from generator.yamlio import load_book
    assert_round_trip(load_book(FIXTURES / seed), tmp_path)


def assert_round_trip(book, tmp_path):
    """Rendered and read back, every form is the same data, with nothing to report."""
    out = tmp_path / "seed.xlsx"
    render_book(book, out)
    result = read_workbook(out)
    assert result.findings == []
    for want, got in zip(book.forms, result.book.forms, strict=True):
        got.sheet = want.sheet
        assert got == want


# Fields the master list may carry that a form prints nowhere else: 项目编码 (printed beside the
# 年度 line), 负责人/联系人/联系电话 and an indicator's 备注/指标解释 (printed, or kept right of the
# print area).  selfeval (not made from the master list) keeps only 项目编码.
MASTER_EXTRAS = {"seed000.yaml": ("code", "leader", "contact", "phone", "note", "explanation"),
                 "seed002.yaml": ("code", "leader", "contact", "phone", "note", "explanation"),
                 "seed003.yaml": ("code",),
                 "seed004.yaml": ("code", "leader", "contact", "phone", "note", "explanation")}


@pytest.mark.parametrize("seed", sorted(MASTER_EXTRAS))
def test_master_list_fields_round_trip(seed, tmp_path):
    from generator.yamlio import load_book
    book, extras = load_book(FIXTURES / seed), MASTER_EXTRAS[seed]
    for k, form in enumerate(book.forms):
        p = form.project
        for attr, value in (("code", f"MH2023-JYXY-{k:03d}"), ("leader", "张中涛"), ("contact", "朱华"),
                            ("phone", "021-64924988")):
            if attr in extras:
                setattr(p, attr, value)
        for i, ind in enumerate(form.indicators):
            if "note" in extras:
                ind.note = ind.note or f"备注{i}"
            if "explanation" in extras:
                ind.explanation = ind.explanation or f"解释{i}"
    assert_round_trip(book, tmp_path)


def test_sz2021_without_sources_prints_the_funding_as_total(tmp_path):
    """A form made from the master list (funding only): 合计 shows it, the labels print."""
    form = Form(form="sz2021", region="苏州", year=2021, project=Project(name="信息化建设"),
                funding=Funding(unit="万元", total=Decimal("10.00"), annual=Decimal("5.00")))
    out = tmp_path / "sz.xlsx"
    render_book(Book([form]), out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [ws[c].value for c in ("B21", "B24", "B25", "C25", "E25")] == ["上级财政资金", "下级财政资金",
                                                                         "合计", 10, 5]
    [got] = read_workbook(out).book.forms
    assert (got.funding.total, got.funding.annual) == (Decimal("10.00"), Decimal("5.00"))
    assert [s.source for s in got.sources] == ["上级财政资金", "市级财政资金", "其他", "下级财政资金"]
    assert got.sources_total == FundSource("合计", Decimal("10.00"), None, Decimal("5.00"))


def test_clerk_edits_on_the_official_sh2019(tmp_path):
    from generator.yamlio import load_book
    out = tmp_path / "seed000.xlsx"
    render_book(load_book(FIXTURES / "seed000.yaml"), out)
    wb = openpyxl.load_workbook(out)
    ws = wb["绩效目标"]
    detail_row = next(r for r in range(1, ws.max_row) if ws.cell(r, 3).value == "咨询费")
    ws.delete_rows(detail_row)
    ws.insert_rows(detail_row)
    ws.cell(detail_row, 1).value, ws.cell(detail_row, 4).value = "小计", 140000
    ws.insert_rows(10)
    ws["C10"], ws["F10"] = "新指标", "≥1个"
    wb["项目总体情况"]["E13"] = "18,000,000"
    wb.save(out)
    result = read_workbook(out)
    [form] = result.book.forms
    assert len(form.indicators) == 16 and form.indicators[3].name == "新指标"
    assert [d.item for d in form.details] == ["安全测评费", "软件测评费", "软件开发", "监理费"]
    assert form.funding.total == Decimal("18000000")
    assert form.details_total == Decimal("6000000")
    assert [f.rule for f in result.findings] == ["read.row"]


@pytest.mark.parametrize("seed", ["seed000.yaml", "seed004.yaml"])
def test_official_layout_typed_by_hand_reads_by_labels(seed, tmp_path):
    """Values only (no names, properties, merges or formulas), other sheet names: labels carry it."""
    from generator.yamlio import load_book
    book = load_book(FIXTURES / seed)
    rendered = tmp_path / "rendered.xlsx"
    render_book(book, rendered)
    hand = openpyxl.Workbook()
    hand.remove(hand.active)
    for ws in openpyxl.load_workbook(rendered).worksheets:
        if ws.title.startswith("_"):
            continue
        copy = hand.create_sheet(f"表{len(hand.sheetnames) + 1}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and c.data_type != "f":
                    copy.cell(c.row, c.column, c.value).data_type = c.data_type
    hand.save(tmp_path / "hand.xlsx")
    result = read_workbook(tmp_path / "hand.xlsx")
    assert {s.method for s in result.sources} == {"labels"} and not result.findings
    for want, got in zip(book.forms, result.book.forms, strict=True):
        got.sheet = want.sheet
        assert got == want


def _moved_by_excel(wb, at: int, count: int) -> None:
    """Move the defined names as Excel does when `count` rows are inserted at row `at`."""
    def shift(m):
        row = int(m.group(2))
        return f"${m.group(1)}${row + count if row >= at else row}"
    for name, dn in list(wb.defined_names.items()):
        wb.defined_names[name] = DefinedName(name, attr_text=re.sub(r"\$([A-Z]+)\$(\d+)", shift, dn.attr_text))


def test_rows_inserted_in_excel_read_by_the_names_without_a_search(rendered, tdir, monkeypatch):
    wb = openpyxl.load_workbook(rendered)
    wb["申报表"].insert_rows(4, 2)
    _moved_by_excel(wb, 4, 2)
    wb.save(rendered)
    from generator.template import align
    monkeypatch.setattr(align, "_candidates", lambda *a: pytest.fail("searched for the labels"))
    result, [form] = _read(rendered, tdir)
    assert form == sample() and result.findings == []
    assert form.where["details[1].amount"] == "申报表!C15" and result.sources[0].method == "names"


def test_names_that_no_longer_sit_by_their_labels_are_not_trusted(rendered, tdir):
    wb = openpyxl.load_workbook(rendered)
    wb["申报表"].insert_rows(4, 2)          # names left where they were: they now point 2 rows too high
    wb.save(rendered)
    result, [form] = _read(rendered, tdir)
    assert form == sample() and result.findings == []
    assert form.where["details[1].amount"] == "申报表!C15"        # C13 before the rows went in


@pytest.mark.parametrize("n", [3, 4])      # selfeval and sh2023: texts on the row under their headings
def test_a_row_inserted_above_a_text_without_labels_follows_its_moved_name(n, tmp_path):
    from conftest import seed
    book, path = seed(n), tmp_path / "form.xlsx"
    render_book(book, path)
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].insert_rows(11)
    _moved_by_excel(wb, 11, 1)
    wb.save(path)
    form = read_workbook(path).book.forms[0]
    assert form.texts == book.forms[0].texts
    assert form.where["texts.annual_goal"].endswith("!B12") or form.where["texts.annual_goal"].endswith("!E12")


def test_a_blank_field_whose_name_points_at_a_filled_cell_is_reported(tmp_path, monkeypatch):
    from conftest import seed
    from generator.template import align
    book, path = seed(4), tmp_path / "form.xlsx"
    render_book(book, path)
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].insert_rows(11)
    _moved_by_excel(wb, 11, 1)
    wb.save(path)
    monkeypatch.setattr(align, "_named_anchors", lambda *a: None)     # names not trusted: the label search
    result = read_workbook(path)
    moved = [f for f in result.findings if f.rule == "read.moved"]
    assert moved and moved[0].cell == "B11" and "B12" in moved[0].message
