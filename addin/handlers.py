"""Ribbon handlers: thin calls into generator/, run by the ribbon through RunPython.

    RunPython "import addin.handlers as h; h.validate()"     (macros/JixiaoRibbon.bas)
    RunPython "import addin.handlers as h; h.rollup(hex_folder='0043003A...')"

Each handler works on the calling workbook (xw.Book.caller(), i.e. the active
workbook, or the book it is given) through xlwings' Book API only, so it runs
the same in desktop Excel and on xlwings' remote engine.  No exception reaches
Excel: a JixiaoError becomes a Chinese message box (and one line in the log),
anything else is logged with its traceback and the message box names the log
file.

Folders are chosen in VBA (Application.FileDialog, folder picker) before
RunPython starts, so no Python-side dialog is needed.  Text chosen there
reaches Python as `hex_<name>="…"`: its UTF-16 code units, four hex digits
each.  The command passes through cmd.exe and a Python string literal, and a
path may hold quotes, backslashes, %, & or Chinese; hex digits survive all of
them.  The decorator decodes `hex_folder` into `folder` (and so on).
"""
from __future__ import annotations

import functools
import logging
import re
import tempfile
import unicodedata
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import xlwings as xw

from generator import __version__
from generator.errors import JixiaoError
from generator.grid import Grid
from generator.logs import log_path
from generator.memo import Memo
from generator.report import COLUMNS, summary
from generator.rules import check_forms

TITLE = "绩效助手"
RESULT_SHEET = "校验结果"
RESULT_COLUMNS = [("index", "序号")] + [c for c in COLUMNS if c[0] != "file"]
SHEET_COL, CELL_COL = 1, 2       # 0-based positions of 工作表 and 单元格 in RESULT_COLUMNS
log = logging.getLogger("jixiao.addin")
log.propagate = False        # nothing on stderr: RunPython would show it as an error


def _logger() -> str:
    """The add-in's logger writing to the user's log file (JIXIAO_LOG_DIR may move it)."""
    path = str(log_path())
    files = [h for h in log.handlers if isinstance(h, logging.FileHandler)]
    for old in [h for h in files if h.baseFilename != path]:
        log.removeHandler(old)
        old.close()
    if not any(h.baseFilename == path for h in files):
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    return path


def _log_exception(action: str) -> str:
    """Log the current exception's traceback to the user's log file; return its path."""
    path = _logger()
    log.exception("%s失败", action)
    return path


def _log_refusal(action: str, exc: Exception) -> None:
    """A JixiaoError in the log: what was refused and why, without a traceback."""
    _logger()
    log.warning("%s未完成：%s", action, exc)


def from_vba(text: str) -> str:
    """Text sent by the ribbon as UTF-16 code units, four hex digits each (see HexText)."""
    if len(text) % 4 or not re.fullmatch(r"[0-9A-Fa-f]*", text):
        raise JixiaoError("功能区传来的文本无法识别，请重新安装插件")
    return bytes.fromhex(text).decode("utf-16-be")


def to_vba(text: str) -> str:
    """The inverse of from_vba, as the ribbon's HexText writes it."""
    return text.encode("utf-16-be").hex().upper()


def _decoded(options: dict) -> dict:
    """hex_folder='…' → folder='D:\\…'; other options as given."""
    return {key.removeprefix("hex_"): from_vba(value) if key.startswith("hex_") else value
            for key, value in options.items()}


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
        def run(*args, book: xw.Book | None = None, **options):
            book = book or xw.Book.caller()
            try:
                return func(book, *args, **_decoded(options))
            except JixiaoError as exc:
                _log_refusal(action, exc)
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
    live = [s for s in book.sheets if s.name != RESULT_SHEET]
    names = {n.name: n.refers_to.lstrip("=") for n in book.names
             if "!" not in n.name and n.refers_to}     # workbook-scoped names only
    return Grid.from_values({s.name: sheet_values(s) for s in live}, names=names, path=book.name,
                            formats={s.name: LiveFormats(s) for s in live})


class LiveFormats(Memo):
    """A sheet's number formats, asked of Excel cell by cell when the reader wants one: only for a
    number in a text field (95% typed into a 指标值 reads “95%”, as from the file), a few per form."""

    def __init__(self, sheet: xw.Sheet):
        super().__init__(self._ask)
        self.sheet = sheet

    def _ask(self, cell: tuple[int, int]) -> str:
        try:
            found = self.sheet.range(cell).number_format
        except NotImplementedError:         # xlwings' remote engine reads formats only asynchronously
            return ""
        return found if found and found != "General" else ""

    def get(self, cell: tuple[int, int], default: str | None = None) -> str | None:
        return self[cell] or default


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


# ---------------------------------------------------------------- 汇总 生成 新年度

SUMMARY_NAME = "汇总.xlsx"
MASTER_SHEET = "项目"               # the sheet that makes a workbook a 项目清单
READABLE = (".xlsx", ".xlsm")      # what the engine reads from disk; others go by live values
_FORCE_HINT = "（如需覆盖请加 --force）"
_EXCEL_HINT = "（如需覆盖，请先删除或移走这些文件，或选择另一个文件夹）"


def chosen_folder(folder, what: str) -> Path:
    """The folder picked in the ribbon's dialog: it must exist."""
    if folder is None or not str(folder).strip():
        raise JixiaoError(f"没有选择{what}")
    path = Path(str(folder).strip())
    if not path.is_dir():
        raise JixiaoError(f"{what} {path} 不存在或不是文件夹")
    return path


def saved_path(book: xw.Book) -> Path | None:
    """The workbook's file when it is saved, unchanged since, and readable by the engine."""
    path = Path(book.fullname)
    if not path.is_absolute() or not path.is_file() or path.suffix.lower() not in READABLE:
        return None
    return path if getattr(book.api, "Saved", True) else None     # COM: False after edits


def is_master_list(book: xw.Book) -> bool:
    return MASTER_SHEET in [s.name for s in book.sheets]


@contextmanager
def master_file(book: xw.Book):
    """The active 项目清单 as a file: its own when saved, else its live values written out.

    Messages about the written copy name the workbook, not the temporary file.
    """
    if not is_master_list(book):
        names = "、".join(s.name for s in book.sheets)
        raise JixiaoError(f"当前工作簿 {book.name} 不是项目清单：没有工作表“{MASTER_SHEET}”"
                          f"（现有：{names}）。请先打开项目清单再点此按钮")
    saved = saved_path(book)
    if saved is not None:
        yield saved
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-") as tmp:
        stem = Path(book.name).stem if Path(book.name).suffix.lower() in READABLE else book.name
        path = Path(tmp) / f"{stem}.xlsx"
        _write_values(book, path)
        try:
            yield path
        except JixiaoError as exc:
            raise JixiaoError(str(exc).replace(str(path), book.name)) from None


def _write_values(book: xw.Book, path: Path) -> None:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets:
        ws = wb.create_sheet(sheet.name)
        for row in sheet_values(sheet):
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"       # a value such as =54.00(所), not a formula
    wb.save(path)


def _excel_wording(exc: JixiaoError) -> JixiaoError:
    """The engine's command-line hint (--force) in words that fit a button."""
    text = str(exc)
    return JixiaoError(text.replace(_FORCE_HINT, _EXCEL_HINT)) if _FORCE_HINT in text else exc


def open_workbook(book: xw.Book, path: Path) -> bool:
    """Open `path` in the user's Excel; engines without files (remote) skip it."""
    if book.app.engine.type != "desktop":
        return False
    book.app.books.open(str(path))
    return True


def summary_path(folder: Path) -> Path:
    """Beside the chosen folder, named after it (D:\\2024报送 → D:\\2024报送_汇总.xlsx), so the
    folder keeps only the units' workbooks (新年度 reads every workbook in a folder)."""
    folder = folder.resolve()
    if folder.parent == folder:                 # a drive's root: inside it (rollup skips it)
        return folder / SUMMARY_NAME
    return folder.parent / f"{folder.name}_{SUMMARY_NAME}"


@handler("汇总")
def rollup(book: xw.Book, folder=None):
    """汇总: every unit workbook under `folder` into the summary beside it, then open it."""
    from generator.rollup import rollup as run_rollup
    source = chosen_folder(folder, "各单位报送文件所在的文件夹")
    out = summary_path(source)
    done = [0]

    def progress(result, total: int) -> None:
        done[0] += 1
        status(book, f"{TITLE}：正在汇总，已读取 {done[0]}/{total} 个文件……")

    status(book, f"{TITLE}：正在查找 {source} 中的文件……")
    outcome = run_rollup(source, out, on_result=progress)
    c = outcome.collection
    errors = sum(f.severity == "错误" for f in c.findings)
    opened = open_workbook(book, outcome.out)
    alert(book, f"汇总完成：{len(c.files)} 个文件中的 {len(c.projects)} 个项目"
                f"（重复 {len(c.duplicates)} 个只计一次，未读取 {len(c.failed)} 个文件），"
                f"项目资金总额合计 {outcome.total:,.2f} 元；{errors} 个错误、{len(c.findings) - errors} 个提示"
                f"（见汇总表中的工作表）。\n汇总表{'已打开，保存在' if opened else '：'}{outcome.out}")
    return outcome


@handler("生成")
def generate(book: xw.Book, folder=None):
    """生成: the active 项目清单's projects as form workbooks in `folder`."""
    from generator.generate import generate as run_generate
    out = chosen_folder(folder, "输出文件夹")
    status(book, f"{TITLE}：正在读取项目清单……")
    with master_file(book) as master:
        status(book, f"{TITLE}：正在生成表单……")
        try:
            planned = run_generate(master, out)
        except JixiaoError as exc:
            raise _excel_wording(exc) from None
    forms = sum(len(p.book.forms) for p in planned)
    presets = sum(o != "项目清单" for p in planned for o in p.origins)
    alert(book, f"生成完成：{len(planned)} 个文件、{forms} 个项目（其中 {presets} 个项目使用指标预设）。\n"
                f"保存在：{out}")
    return planned


def parse_year(text) -> int | None:
    """The year typed in the ribbon's box: blank for the default; 2024, ２０２４, 2024年 accepted."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})\s*(?:年度?)?", raw)
    if not match or not 2000 <= int(match.group(1)) <= 2099:
        raise JixiaoError(f"“{text}”不是年份：请输入四位数的预算年度，如 2024，或留空")
    return int(match.group(1))


def _budget_year(forms) -> int | None:
    years = Counter(f.year for f in forms if f.year)
    return years.most_common(1)[0][0] if years else None


@handler("新年度")
def newyear(book: xw.Book, folder=None, year=None):
    """新年度: next budget year's workbooks from the active 项目清单, or from the folder of
    the active (this year's) form workbook; the year defaults to its budget year + 1."""
    from generator.newyear import newyear as run_newyear
    out = chosen_folder(folder, "输出文件夹")
    wanted = parse_year(year)
    status(book, f"{TITLE}：正在读取本年度表单……")
    with _newyear_source(book, out) as (source, current):
        target = wanted or current + 1
        if target <= current:
            raise JixiaoError(f"新的预算年度 {target} 应晚于本年度 {current}")
        status(book, f"{TITLE}：正在生成 {target} 年度表单……")
        try:
            result = run_newyear(source, target, out)
        except JixiaoError as exc:
            raise _excel_wording(exc) from None
    workbooks = [n for n in result.files if n.endswith(".xlsx")]
    alert(book, f"新年度完成：已由 {current} 年度生成 {target} 年度的 {len(workbooks)} 个工作簿"
                f"（含 项目清单_{target}.xlsx）；文字中的年份改动 {len(result.changes)} 处，"
                f"详见 结转说明_{target}.txt；结转的单元格已标为浅蓝色并加批注。\n保存在：{out}")
    return result


@contextmanager
def _newyear_source(book: xw.Book, out: Path):
    """(source, budget year): the 项目清单 file, or the saved form workbook's folder."""
    if is_master_list(book):
        from generator.masterlist import read_master
        with master_file(book) as master:
            yield master, read_master(master).year
        return
    saved = saved_path(book)
    if saved is None:
        raise JixiaoError(f"请先保存当前工作簿 {book.name}：新年度读取它所在文件夹中的本年度表单"
                          f"（或打开项目清单再点此按钮）")
    if saved.parent.resolve() == out.resolve():
        raise JixiaoError(f"输出文件夹不能是本年度表单所在的文件夹 {out}，请另选一个文件夹")
    from generator.template import read_grid
    current = _budget_year(read_grid(grid_of(book)).book.forms)
    if current is None:
        raise JixiaoError(f"当前工作簿 {book.name} 中没有可识别的表单，无法确定本年度："
                          "请打开本年度的一份表单或项目清单再点此按钮")
    yield saved.parent, current
