"""Ribbon handlers: thin calls into generator/, run by the ribbon through RunPython.

    RunPython "import addin.handlers as h; h.validate()"     (macros/JixiaoRibbon.bas)

Each handler works on the calling workbook (xw.Book.caller(), or the book it is
given) through xlwings' Book API only, so it runs the same in desktop Excel and
on xlwings' remote engine.  No exception reaches Excel: a JixiaoError becomes
a Chinese message box, anything else is logged with its traceback and the
message box names the log file.
"""
from __future__ import annotations

import functools
import logging

import xlwings as xw

from generator import __version__
from generator.errors import JixiaoError
from generator.grid import Grid
from generator.logs import log_path
from generator.report import COLUMNS, summary
from generator.rules import check_forms

TITLE = "绩效助手"
RESULT_SHEET = "校验结果"
RESULT_COLUMNS = [("index", "序号")] + [c for c in COLUMNS if c[0] != "file"]
SHEET_COL, CELL_COL = 1, 2       # 0-based positions of 工作表 and 单元格 in RESULT_COLUMNS
log = logging.getLogger("jixiao.addin")
log.propagate = False        # nothing on stderr: RunPython would show it as an error


def _log_exception(action: str) -> str:
    """Log the current exception's traceback to the user's log file; return its path."""
    path = str(log_path())
    files = [h for h in log.handlers if isinstance(h, logging.FileHandler)]
    for old in [h for h in files if h.baseFilename != path]:
        log.removeHandler(old)
        old.close()
    if not any(h.baseFilename == path for h in files):
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    log.exception("%s失败", action)
    return path


def status(book: xw.Book, text) -> None:
    """Progress in Excel's status bar (False hands it back); engines without one skip it."""
    try:
        book.app.status_bar = text
    except NotImplementedError:
        pass


def alert(book: xw.Book, text: str, critical: bool = False) -> None:
    book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def handler(action: str):
    """Run a handler on the calling book; turn every failure into a message box."""
    def wrap(func):
        @functools.wraps(func)
        def run(book: xw.Book | None = None):
            book = book or xw.Book.caller()
            try:
                return func(book)
            except JixiaoError as exc:
                alert(book, f"{action}未完成：{exc}", critical=True)
            except Exception:
                path = _log_exception(action)
                alert(book, f"{action}时出现意外错误，详细信息已记录在：\n{path}", critical=True)
            finally:
                status(book, False)
        return run
    return wrap


def sheet_values(sheet: xw.Sheet) -> list[list]:
    """A sheet's values from A1 to the end of its used range."""
    last = sheet.used_range.last_cell
    return sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value


def grid_of(book: xw.Book) -> Grid:
    """The open workbook as the engine's Grid (without the previous 校验结果)."""
    sheets = {s.name: sheet_values(s) for s in book.sheets if s.name != RESULT_SHEET}
    names = {n.name: n.refers_to.lstrip("=") for n in book.names
             if "!" not in n.name and n.refers_to}     # workbook-scoped names only
    return Grid.from_values(sheets, names=names, path=book.name)


def clear_marks(book: xw.Book) -> None:
    """Undo the previous run: uncolor the cells its 校验结果 lists, then drop that sheet."""
    if RESULT_SHEET not in [s.name for s in book.sheets]:
        return
    listed = sheet_values(book.sheets[RESULT_SHEET])[1:]
    sheets = {s.name for s in book.sheets}
    for sheet, cell in {(row[SHEET_COL], row[CELL_COL]) for row in listed}:
        if sheet in sheets and cell:
            book.sheets[sheet][cell].color = None
    book.sheets[RESULT_SHEET].delete()


def apply_marks(book: xw.Book, findings) -> None:
    from generator.template.annotate import marks
    for mark in marks(findings):
        book.sheets[mark.sheet][mark.cell].color = mark.color


def _link(sheet: str, cell: str) -> str:
    return "#'{}'!{}".format(sheet.replace("'", "''"), cell)


def write_results(book: xw.Book, findings) -> None:
    """The 校验结果 sheet: one row per finding, its cell linked to the cell it names."""
    sheet = book.sheets.add(RESULT_SHEET, after=book.sheets[len(book.sheets) - 1])
    rows = [[n, *(getattr(f, key) for key, _ in RESULT_COLUMNS[1:])]
            for n, f in enumerate(findings, 1)]
    sheet["A1"].value = [[label for _, label in RESULT_COLUMNS]] + rows
    if not rows:
        sheet["A2"].value = "未发现问题"
    for row, f in enumerate(findings, 2):
        if f.sheet and f.cell:
            sheet.range((row, CELL_COL + 1)).add_hyperlink(_link(f.sheet, f.cell), f.cell)
    sheet.range((1, 1), (len(rows) + 1, len(RESULT_COLUMNS))).autofit()


@handler("校验")
def validate(book: xw.Book):
    """校验: read the open workbook, run the rules, color and list what they find."""
    from generator.template import read_grid   # the template engine loads only for 校验
    status(book, f"{TITLE}：正在读取工作簿……")
    result = read_grid(grid_of(book))
    status(book, f"{TITLE}：正在校验……")
    findings = list(result.findings) + check_forms(result.book.forms, book.name)
    clear_marks(book)
    status(book, f"{TITLE}：正在标注……")
    apply_marks(book, findings)
    write_results(book, findings)
    alert(book, f"校验完成：{summary(findings)}。" if findings else "校验完成：未发现问题。")
    return findings


@handler("说明")
def about(book: xw.Book):
    alert(book, f"{TITLE} {__version__}\n"
                "校验：检查当前工作簿的指标表、金额与日期，在“校验结果”工作表中列出问题。\n"
                "工作表函数：JX_PARSE、JX_CHECK、JX_SCORE、JX_RATE、JX_RMB、JX_WAN。\n"
                f"出错时的详细信息记录在：{log_path()}")
