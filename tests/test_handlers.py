"""addin/handlers.py through xlwings' own Book API on Linux: the remote engine.

The book is built from a VBA-client payload, as xlwings' VBA module sends it;
book.json() returns the actions Excel would apply (setRangeColor, addSheet …).
"""
from __future__ import annotations

import io
import os
import sys
import types

import openpyxl
import pytest
import xlwings as xw

from addin import handlers as h
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
    assert not (tmp_path / "jixiao" / "logs" / "jixiao.log").exists()


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
