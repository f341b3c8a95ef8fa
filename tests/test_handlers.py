"""addin/handlers.py through xlwings' own Book API on Linux: the remote engine.

The book is built from a VBA-client payload, as xlwings' VBA module sends it;
book.json() returns the actions Excel would apply (setRangeColor, addSheet …).
"""
from __future__ import annotations

import io
import os
import re
import sys
import types
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

from addin import handlers as h
from generator.generate import generate as engine_generate
from generator.model import Book
from generator.rules import Finding
from tests.conftest import seed

BOOK = "闵行区2023.xlsx"
SHEET = [["项目名称", "德育队伍建设类项目", None, None, None],
         ["一级指标", "二级指标", "三级指标", None, "年度(/项目)指标值"],
         ["产出指标", "数量指标", "培训人数", None, "≥30.00(名)"],
         [None, None, "验收合格率", None, "100"]]
ERROR = Finding(rule="dup", severity="错误", message="三级指标重复", sheet="项目1", cell="C3",
                project="德育队伍建设类项目", indicator="培训人数")
HINT = Finding(rule="op", severity="提示", message="缺少比较符", sheet="项目1", cell="E4",
               project="德育队伍建设类项目", indicator="验收合格率")
COLORS = {"错误": "#FFC7CE", "提示": "#FFEB9C"}


@pytest.fixture(scope="module", autouse=True)
def remote_engine():
    """xlwings' remote engine (registered at import only when the key was set then)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
        if "remote" not in [e.name for e in xw.engines]:
            from xlwings.pro import _xlremote
            xw.engines.add(xw.Engine(impl=_xlremote.engine))
        yield


def payload(sheets: dict[str, list[list]], names: list | None = None) -> dict:
    width = max(len(r) for rows in sheets.values() for r in rows)
    return {"client": "VBA", "version": xw.__version__,
            "book": {"name": BOOK, "active_sheet_index": 0, "selection": "A1"},
            "names": names or [],
            "sheets": [{"name": name, "values": [list(r) + [None] * (width - len(r)) for r in rows],
                        "pictures": [], "tables": []} for name, rows in sheets.items()]}


def caller(sheets, names=None) -> xw.Book:
    book = xw.Book(json=payload(sheets, names))
    book.set_mock_caller()
    return book


def actions(book: xw.Book, func: str) -> list[dict]:
    return [a for a in book.json()["actions"] if a["func"] == func]


@pytest.fixture
def engine(monkeypatch):
    """The engine's reader and marks as doubles: what validate was given, and findings to return."""
    seen = {"findings": [ERROR, HINT]}

    def read_grid(grid):
        seen["grid"] = grid
        if isinstance(seen["findings"], Exception):
            raise seen["findings"]
        return types.SimpleNamespace(book=Book(), findings=seen["findings"])

    def marks(findings):
        return [types.SimpleNamespace(sheet=f.sheet, cell=f.cell, color=COLORS[f.severity],
                                      note=f.message) for f in findings]

    import generator.template
    monkeypatch.setattr(generator.template, "read_grid", read_grid, raising=False)
    monkeypatch.setitem(sys.modules, "generator.template.annotate", types.SimpleNamespace(marks=marks))
    return seen


def test_validate_colors_cells_and_lists_findings(engine):
    book = caller({"项目1": SHEET}, names=[{"name": "jx_1_project.name", "sheet_index": 0,
                                           "address": "$B$1", "book_scope": True}])
    assert h.validate() == [ERROR, HINT]
    grid = engine["grid"]
    assert grid.sheet_names == ["项目1"] and grid.value("项目1", 3, 5) == "≥30.00(名)"
    assert grid.names == {"jx_1_project.name": "项目1!$B$1"}
    colors = actions(book, "setRangeColor")
    assert [(a["sheet_position"], a["start_row"], a["start_column"], a["args"]) for a in colors] == [
        (0, 2, 2, ["#FFC7CE"]), (0, 3, 4, ["#FFEB9C"])]
    assert actions(book, "addSheet")[0]["args"] == [1, "校验结果"]
    (table,) = [a for a in actions(book, "setValues") if a["sheet_position"] == 1]
    assert table["values"][0] == ["序号", "工作表", "单元格", "项目", "指标", "规则", "级别", "说明"]
    assert table["values"][1] == [1, "项目1", "C3", "德育队伍建设类项目", "培训人数", "dup", "错误", "三级指标重复"]
    links = actions(book, "addHyperlink")
    assert [(a["start_row"], a["start_column"], a["args"][:2]) for a in links] == [
        (1, 2, ["#'项目1'!C3", "C3"]), (2, 2, ["#'项目1'!E4", "E4"])]
    assert actions(book, "alert")[-1]["args"][:4] == ["校验完成：共 1 个错误、1 个提示。", "绩效助手", "ok", "info"]


def test_rerun_clears_the_previous_marks_first(engine):
    previous = [["序号", "工作表", "单元格", "项目", "指标", "规则", "级别", "说明"],
                [1, "项目1", "E3", "", "", "op", "提示", "旧问题"],
                [2, "已删除的表", "A1", "", "", "op", "提示", "旧问题"]]
    book = caller({"项目1": SHEET, "校验结果": previous})
    h.validate()
    assert engine["grid"].sheet_names == ["项目1"]
    done = book.json()["actions"]
    assert done[0]["func"] == "setRangeColor" and done[0]["args"] == [None]
    assert (done[0]["sheet_position"], done[0]["start_row"], done[0]["start_column"]) == (0, 2, 4)
    assert done[1]["func"] == "sheetDelete" and done[1]["sheet_position"] == 1
    assert actions(book, "addSheet")[0]["args"] == [1, "校验结果"]


def test_nothing_found(engine):
    engine["findings"] = []
    book = caller({"项目1": SHEET})
    h.validate()
    assert actions(book, "setRangeColor") == [] and actions(book, "addHyperlink") == []
    assert any(a["values"] == [["未发现问题"]] for a in actions(book, "setValues"))
    assert actions(book, "alert")[-1]["args"][0] == "校验完成：未发现问题。"


def test_unexpected_error_is_logged_and_shown(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path))
    engine["findings"] = RuntimeError("读取中断")
    book = caller({"项目1": SHEET})
    assert h.validate() is None
    (shown,) = actions(book, "alert")
    assert shown["args"][3] == "critical"
    assert shown["args"][0].startswith("校验时出现意外错误") and str(tmp_path) in shown["args"][0]
    logged = (tmp_path / "jixiao" / "logs" / "jixiao.log").read_text("utf-8")
    assert "Traceback" in logged and "RuntimeError: 读取中断" in logged


def test_user_error_is_shown_without_traceback(engine, tmp_path, monkeypatch):
    from generator.errors import InputError
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path))
    engine["findings"] = InputError("认不出这是哪种表单", BOOK, "项目1")
    book = caller({"项目1": SHEET})
    h.validate()
    (shown,) = actions(book, "alert")
    assert shown["args"][0] == f"校验未完成：文件 {BOOK}，工作表 项目1：认不出这是哪种表单"
    logged = (tmp_path / "jixiao" / "logs" / "jixiao.log").read_text("utf-8")
    assert "WARNING 校验未完成：文件 闵行区2023.xlsx，工作表 项目1：认不出这是哪种表单" in logged
    assert "Traceback" not in logged


def test_about():
    book = caller({"项目1": SHEET})
    h.about()
    (shown,) = actions(book, "alert")
    assert shown["args"][0].startswith("绩效助手 ") and "JX_CHECK" in shown["args"][0]


def rendered_seed(n: int) -> dict[str, list[list]]:
    """Seed n rendered by the engine's templates, as the values a VBA client sends."""
    from generator.template.render import render_bytes
    book = openpyxl.load_workbook(io.BytesIO(render_bytes(seed(n))), data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_validate_with_the_real_engine():
    """Seed 004 rendered from the templates, read back and checked by the real engine."""
    from generator.rules import check_forms
    from generator.template import read_grid
    sheets = rendered_seed(4)
    book = caller(sheets)
    findings = h.validate()
    assert actions(book, "alert")[-1]["args"][3] == "info"
    expected = read_grid(h.grid_of(xw.Book(json=payload(sheets))))
    assert findings == list(expected.findings) + check_forms(expected.book.forms, BOOK)
    assert any(f.rule.startswith("dup") for f in findings)        # 004 repeats an indicator
    names = list(sheets)
    colored = {(names[a["sheet_position"]], a["start_row"], a["start_column"])
               for a in actions(book, "setRangeColor")}
    cells = {(f.sheet, *_row_col(f.cell)) for f in findings if f.cell}
    assert colored == cells
    assert len(actions(book, "addHyperlink")) == len([f for f in findings if f.sheet and f.cell])


class FakeSheet:
    """A sheet whose cells have the given number formats, counting how often Excel is asked."""

    def __init__(self, formats: dict):
        self.formats, self.asked = formats, []

    def range(self, cell):
        self.asked.append(cell)
        if self.formats is None:
            raise NotImplementedError
        return types.SimpleNamespace(number_format=self.formats.get(cell, "General"))


def test_live_formats_ask_excel_once_per_cell_and_general_keeps_the_template_format():
    sheet = FakeSheet({(6, 4): "0%"})
    formats = h.LiveFormats(sheet)
    assert [formats.get((6, 4), "@"), formats.get((6, 4), "@"), formats.get((7, 4), "@")] == ["0%", "0%", "@"]
    assert sheet.asked == [(6, 4), (7, 4)]
    assert h.LiveFormats(FakeSheet(None)).get((6, 4), "@") == "@"      # an engine that can't tell


def test_the_remote_engine_reads_a_number_in_a_text_field_as_its_value():
    """xlwings' remote engine has no synchronous number_format: the grid falls back to the value."""
    sheets = {"项目1": [row[:] for row in SHEET]}
    sheets["项目1"][3][4] = 0.95
    grid = h.grid_of(xw.Book(json=payload(sheets)))
    assert grid.number_formats("项目1").get((4, 5), "@") == "@"


def _row_col(cell: str) -> tuple[int, int]:
    """'E12' -> (11, 4), 0-based as the actions give them."""
    col = row = 0
    for char in cell:
        if char.isalpha():
            col = col * 26 + ord(char.upper()) - 64
        else:
            row = row * 10 + int(char)
    return row - 1, col - 1


def test_log_dir_default(monkeypatch, tmp_path):
    monkeypatch.delenv("JIXIAO_LOG_DIR", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert h.log_path() == tmp_path / "jixiao" / "logs" / "jixiao.log"
    assert os.path.isdir(tmp_path / "jixiao" / "logs")


# ---------------------------------------------------------------- 汇总 生成 新年度

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "项目清单.xlsx"
RIBBON_BAS = ROOT / "macros" / "JixiaoRibbon.bas"
MASTER = "项目清单.xlsx"


def workbook_values(path: Path) -> dict[str, list[list]]:
    """A workbook's values as the VBA client sends them (dates as ISO text ending in Z)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [[v.isoformat() + "Z" if hasattr(v, "isoformat") else v for v in row]
                       for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def book_of(sheets: dict, name: str) -> xw.Book:
    data = payload(sheets)
    data["book"]["name"] = name
    book = xw.Book(json=data)
    book.set_mock_caller()
    return book


def alerts(book: xw.Book) -> list[tuple[str, str]]:
    """(text, mode) of each message box the handler asked for."""
    return [(a["args"][0], a["args"][3]) for a in actions(book, "alert")]


def ribbon_command(sub: str, **chosen: str) -> str:
    """The Python that the ribbon's Sub hands to RunPython, with the dialog's answers as VBA
    encodes them (HexText: UTF-16 code units, four hex digits each)."""
    source = RIBBON_BAS.read_bytes().decode("ascii")
    body = re.search(rf"^Sub {sub}\(control As IRibbonControl\)\r\n(.*?)^End Sub", source, re.M | re.S)[1]
    body = re.sub(r" _\r\n\s*", " ", body)
    (literal,) = re.findall(r'^\s*RunPython (".*")\s*$', body, re.M)
    for variable, text in chosen.items():
        literal = literal.replace(f'" & HexText({variable}) & "', h.to_vba(text))
    assert "HexText" not in literal
    return literal[1:-1]


@pytest.fixture
def statusbar(monkeypatch) -> list:
    """Excel's status bar, which the remote engine lacks: what the handler wrote there."""
    from xlwings.pro import _xlremote  # importable once the license key is set

    shown = []
    monkeypatch.setattr(_xlremote.App, "status_bar",
                        property(lambda self: shown[-1] if shown else False,
                                 lambda self, value: shown.append(value)), raising=False)
    return shown


@pytest.fixture
def logdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path / "logs" / "jixiao" / "logs" / "jixiao.log"


@pytest.fixture(scope="module")
def sample_values() -> dict:
    return workbook_values(SAMPLE)


@pytest.fixture(scope="module")
def forms_2023(tmp_path_factory) -> Path:
    """This year's unit workbooks, generated by the engine from the sample master list."""
    folder = tmp_path_factory.mktemp("forms") / "2023 各单位 it's 100% & more"
    engine_generate(SAMPLE, folder)
    return folder


def saved_as(monkeypatch, path: Path) -> None:
    """The caller book is saved at `path` (the remote engine's books have no file)."""
    monkeypatch.setattr(xw.Book, "fullname", property(lambda self: str(path)))


def test_vba_hex_round_trip():
    for text in ["C:\\Users\\张三\\Desktop\\2024 汇总", "D:\\a'b\"c\\%TEMP%\\x & y^!", "\\\\server\\共享\\𠀀表"]:
        assert h.from_vba(h.to_vba(text)) == text
    assert h.to_vba("A汇") == "00416C47"                  # VBA: Right$("000" & Hex$(AscW(c) And &HFFFF&), 4)
    assert h.to_vba("𠀀") == "D840DC00"                   # surrogates: two code units, as Mid$ sees them


def test_generate_from_the_live_master_list(tmp_path, sample_values, statusbar):
    out = tmp_path / "2023 表单"
    out.mkdir()
    book = book_of(sample_values, MASTER)            # not saved: read from its values
    exec(ribbon_command("Generate", folder=str(out)))  # noqa: S102 - the ribbon's own command
    expected = engine_generate(SAMPLE, tmp_path / "direct")        # the engine on the saved sample
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in expected)
    for planned in expected:                                         # equal values, equal bytes
        assert (out / planned.name).read_bytes() == (tmp_path / "direct" / planned.name).read_bytes()
    presets = sum(o != "项目清单" for p in expected for o in p.origins)
    assert 0 < presets < 29                     # both sources of indicators came through the values
    ((text, mode),) = alerts(book)
    assert mode == "info"
    assert text == f"生成完成：9 个文件、29 个项目（其中 {presets} 个项目使用指标预设）。\n保存在：{out}"
    assert statusbar == ["绩效助手：正在读取项目清单……", "绩效助手：正在生成表单……", False]


def test_generate_reads_the_saved_file(tmp_path, monkeypatch, statusbar):
    """A saved master list is read from its file, not from the values sent."""
    saved_as(monkeypatch, SAMPLE)
    book = book_of({"项目": [["项目编码"], ["X1"]]}, MASTER)     # these values would be refused
    result = h.generate(folder=str(tmp_path))
    assert len(result) == 9 and len(list(tmp_path.glob("2023年度_*.xlsx"))) == 9
    assert alerts(book)[0][1] == "info"


def test_generate_refuses_a_bad_master_list(tmp_path, sample_values, logdir, statusbar):
    values = dict(sample_values)
    values["项目"] = [row[:3] for row in values["项目"]]        # 实施单位, dates, amounts … missing
    book = book_of(values, MASTER)
    assert h.generate(folder=str(tmp_path)) is None
    ((text, mode),) = alerts(book)
    assert mode == "critical"
    assert text.startswith(f"生成未完成：文件 {MASTER}：项目清单不能使用")
    assert "实施单位" in text and "Traceback" not in text and "jixiao-" not in text   # no temp path
    assert list(tmp_path.iterdir()) == [tmp_path / "logs"]
    logged = logdir.read_text("utf-8")
    assert "WARNING 生成未完成：文件 项目清单.xlsx：项目清单不能使用" in logged and "Traceback" not in logged
    assert statusbar[-1] is False


def test_generate_needs_a_master_list_and_an_existing_folder(tmp_path, logdir):
    book = book_of({"项目1": SHEET}, BOOK)
    h.generate(folder=str(tmp_path))
    assert alerts(book)[-1] == ((f"生成未完成：当前工作簿 {BOOK} 不是项目清单：没有工作表“项目”"
                                 "（现有：项目1）。请先打开项目清单再点此按钮"), "critical")
    h.generate(folder=str(tmp_path / "没有这个文件夹"))
    assert alerts(book)[-1] == (f"生成未完成：输出文件夹 {tmp_path / '没有这个文件夹'} 不存在或不是文件夹",
                                "critical")


def test_generate_keeps_existing_files(tmp_path, sample_values, logdir):
    engine_generate(SAMPLE, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.xlsx")}
    book = book_of(sample_values, MASTER)
    h.generate(folder=str(tmp_path))
    ((text, mode),) = alerts(book)
    assert mode == "critical" and "以下文件已存在，未写出任何文件" in text
    assert "--force" not in text and "请先删除或移走这些文件" in text
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.xlsx")} == before


def test_unexpected_generate_error_is_logged(tmp_path, sample_values, logdir, monkeypatch):
    import generator.generate
    def broken(*args, **kwargs):
        raise KeyError("模板缺少单元格")
    monkeypatch.setattr(generator.generate, "generate", broken)
    book = book_of(sample_values, MASTER)
    h.generate(folder=str(tmp_path))
    ((text, mode),) = alerts(book)
    assert mode == "critical" and text == f"生成时出现意外错误，详细信息已记录在：\n{logdir}"
    logged = logdir.read_text("utf-8")
    assert "生成失败" in logged and "Traceback" in logged and "KeyError: '模板缺少单元格'" in logged


def _summary_total(path: Path) -> Decimal:
    """项目资金总额 of the 合计 row of 项目汇总, read back by openpyxl."""
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["项目汇总"]
    header, total = list(ws.iter_rows(min_row=1, max_row=2, values_only=True))
    return Decimal(repr(total[header.index("项目资金总额（元）")]))


def test_rollup_over_the_generated_folder(forms_2023, sample_values, statusbar):
    book = book_of({"项目1": SHEET}, BOOK)
    exec(ribbon_command("Rollup", folder=str(forms_2023)))  # noqa: S102 - the ribbon's own command
    out = forms_2023.parent / f"{forms_2023.name}_汇总.xlsx"          # beside the folder, not in it
    assert out.is_file() and not list(forms_2023.glob("*汇总*"))
    sources = sum(Decimal(repr(row[8])) for row in sample_values["项目"][1:])     # 项目资金总额
    assert _summary_total(out) == sources == Decimal("22140061.00")
    ((text, mode),) = alerts(book)
    assert mode == "info"
    assert text.startswith("汇总完成：9 个文件中的 29 个项目（重复 0 个只计一次，未读取 0 个文件），"
                           "项目资金总额合计 22,140,061.00 元；")
    assert text.endswith(f"\n汇总表：{out}")
    assert statusbar[0].startswith("绩效助手：正在查找")
    assert statusbar[1:-1] == [f"绩效助手：正在汇总，已读取 {n}/9 个文件……" for n in range(1, 10)]
    assert statusbar[-1] is False
    exec(ribbon_command("Rollup", folder=str(forms_2023)))      # noqa: S102 - again: the summary is replaced
    assert alerts(book)[-1][0].startswith("汇总完成：9 个文件中的 29 个项目")
    assert _summary_total(out) == sources


def test_rollup_missing_or_empty_folder(tmp_path, logdir):
    book = book_of({"项目1": SHEET}, BOOK)
    missing = tmp_path / "已删除"
    h.rollup(hex_folder=h.to_vba(str(missing)))
    assert alerts(book)[-1] == (f"汇总未完成：各单位报送文件所在的文件夹 {missing} 不存在或不是文件夹", "critical")
    (tmp_path / "空").mkdir()
    h.rollup(folder=str(tmp_path / "空"))
    assert alerts(book)[-1] == (f"汇总未完成：文件夹 {tmp_path / '空'} 中没有任何文件", "critical")
    h.rollup(hex_folder="not hex!")
    assert alerts(book)[-1] == ("汇总未完成：功能区传来的文本无法识别，请重新安装插件", "critical")
    assert all("Traceback" not in text for text, _ in alerts(book))
    assert logdir.read_text("utf-8").count("WARNING 汇总未完成") == 3
    assert not list(tmp_path.glob("*汇总*"))


def test_summary_opens_in_desktop_excel(tmp_path):
    opened = []
    desktop = types.SimpleNamespace(app=types.SimpleNamespace(
        engine=types.SimpleNamespace(type="desktop"), books=types.SimpleNamespace(open=opened.append)))
    assert h.open_workbook(desktop, tmp_path / "汇总.xlsx") is True
    assert opened == [str(tmp_path / "汇总.xlsx")]
    assert h.open_workbook(book_of({"项目1": SHEET}, BOOK), tmp_path / "汇总.xlsx") is False


def test_newyear_from_the_master_list(tmp_path, sample_values, statusbar):
    book = book_of(sample_values, MASTER)
    exec(ribbon_command("NewYear", folder=str(tmp_path), **{"CStr(answer)": ""}))   # noqa: S102 - year left blank
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "项目清单_2024.xlsx" in names and "结转说明_2024.txt" in names
    assert len([n for n in names if n.startswith("2024年度_")]) == 9
    ((text, mode),) = alerts(book)
    assert mode == "info" and text.startswith("新年度完成：已由 2023 年度生成 2024 年度的 10 个工作簿")
    assert text.endswith(f"\n保存在：{tmp_path}")
    assert statusbar == ["绩效助手：正在读取本年度表单……", "绩效助手：正在生成 2024 年度表单……", False]


def test_newyear_with_a_typed_year(tmp_path, sample_values):
    book = book_of(sample_values, MASTER)
    h.newyear(folder=str(tmp_path), hex_year=h.to_vba("２０２５年"))
    assert (tmp_path / "项目清单_2025.xlsx").is_file()
    assert len(list(tmp_path.glob("2025年度_*.xlsx"))) == 9
    assert alerts(book)[0][0].startswith("新年度完成：已由 2023 年度生成 2025 年度")


def test_newyear_from_the_folder_of_a_saved_form(tmp_path, forms_2023, monkeypatch):
    first = min(forms_2023.glob("2023年度_*.xlsx"))
    saved_as(monkeypatch, first)
    book = book_of(workbook_values(first), first.name)
    h.newyear(folder=str(tmp_path))
    assert alerts(book)[0][1] == "info"
    assert sorted(p.name for p in tmp_path.glob("2024年度_*.xlsx")) == sorted(
        p.name.replace("2023", "2024") for p in forms_2023.glob("2023年度_*.xlsx"))
    h.newyear(folder=str(forms_2023))
    assert alerts(book)[-1] == (f"新年度未完成：输出文件夹不能是本年度表单所在的文件夹 {forms_2023}，请另选一个文件夹",
                                "critical")


@pytest.mark.parametrize("year, message", [
    ("明年", "新年度未完成：“明年”不是年份：请输入四位数的预算年度，如 2024，或留空"),
    ("2023", "新年度未完成：新的预算年度 2023 应晚于本年度 2023"),
])
def test_newyear_refuses_a_bad_year(tmp_path, sample_values, logdir, year, message):
    book = book_of(sample_values, MASTER)
    h.newyear(folder=str(tmp_path), hex_year=h.to_vba(year))
    assert alerts(book) == [(message, "critical")]
    assert list(tmp_path.glob("*.xlsx")) == []


def test_newyear_needs_a_saved_form_or_a_master_list(tmp_path, logdir):
    book = book_of({"项目1": SHEET}, BOOK)
    h.newyear(folder=str(tmp_path))
    ((text, mode),) = alerts(book)
    assert mode == "critical" and text.startswith(f"新年度未完成：请先保存当前工作簿 {BOOK}")


def test_saved_path_only_for_an_unchanged_readable_file(tmp_path):
    def desktop(path, saved):
        return types.SimpleNamespace(fullname=str(path), api=types.SimpleNamespace(Saved=saved))
    assert h.saved_path(desktop(SAMPLE, True)) == SAMPLE
    assert h.saved_path(desktop(SAMPLE, False)) is None          # edited since: use the live values
    old = tmp_path / "项目清单.xls"
    old.write_bytes(b"")
    assert h.saved_path(desktop(old, True)) is None              # the engine reads .xlsx/.xlsm only
    assert h.saved_path(desktop("工作簿1", True)) is None          # never saved
