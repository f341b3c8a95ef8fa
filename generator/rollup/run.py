"""A roll-up from folder to summary: read, merge, write to a temporary file, check, rename.

The summary only replaces the target once its amounts are checked against the
sources: the 项目资金总额 read back from the written 项目汇总 (every row, and
its 合计), 单位汇总 and 分类汇总 must equal the sum over the forms read less
the copies dropped, in `Decimal`.  A mismatch removes the temporary file and
stops with a message; the target is never half-written.
"""
from __future__ import annotations

import io
import math
import os
import tempfile
from dataclasses import dataclass, replace
from functools import partial
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..errors import JixiaoError
from ..logs import log_path
from ..model import Book
from ..perms import default_mode
from ..sheetnames import sheet_base
from . import changes as changes_mod
from . import summary
from .collect import Collection, Merger, read_all
from .roster import missing, read_roster
from .scan import walk

CHECKED_SHEETS = (summary.PROJECTS, "单位汇总", "分类汇总")


@dataclass
class Outcome:
    collection: Collection
    total: Decimal          # 项目资金总额 of the summary, in 元
    out: Path


def lock_files(out: Path) -> list[Path]:
    """Where Excel/WPS/LibreOffice put the lock file of an open `out`."""
    return [out.with_name("~$" + out.name), out.with_name(f".~lock.{out.name}#")]


def ensure_closed(out: Path) -> None:
    for lock in lock_files(out):
        if lock.exists():
            raise JixiaoError(f"汇总表 {out} 正在被打开（存在锁定文件 {lock.name}），请先在 Excel/WPS 中关闭它再汇总；"
                              "没有覆盖任何文件")


def rollup(folder, out, roster=None, previous=None, with_forms: bool = False, jobs: int | None = None,
           reader: Callable | None = None, on_result: Callable | None = None) -> Outcome:
    folder, out = Path(folder), Path(out).resolve()
    _check_paths(folder, out)
    ensure_closed(out)
    roster_data = read_roster(roster) if roster else None
    before = changes_mod.read_previous(previous) if previous else None
    exclude = {str(out), *(str(Path(p).resolve()) for p in (roster, previous) if p)}
    files = walk(folder, exclude)
    if not files:
        raise JixiaoError(f"文件夹 {folder} 中没有任何文件")
    prepare = partial(summary.prepare, keep_indicators=before is not None)
    merger, rows = Merger(), summary.DetailRows()

    def take(result, total: int) -> None:       # merged and numbered while the next files are read
        rows.place(merger.add(result))
        if on_result:
            on_result(result, total)

    results = read_all(files, reader or _engine_reader(), with_forms, jobs, take, prepare)
    _log_traces(results)
    collection = merger.collection
    plans = _plans(collection, folder, out, roster_data, before, with_forms)
    base = _forms_base(collection) if with_forms else None
    total = _write_checked(plans, out, collection, base)
    return Outcome(collection, total, out)


def _check_paths(folder: Path, out: Path) -> None:
    if not folder.is_dir():
        raise JixiaoError(f"文件夹 {folder} 不存在")
    if out.suffix.lower() != ".xlsx":
        raise JixiaoError(f"汇总表 {out.name} 应为 .xlsx 文件")
    if not out.parent.is_dir():
        raise JixiaoError(f"汇总表所在的文件夹 {out.parent} 不存在")


def _engine_reader() -> Callable:
    from ..template import read_workbook
    return read_workbook


def _log_traces(results) -> None:
    traces = [r.trace for r in results if r.trace]
    if traces:
        with log_path().open("a", encoding="utf-8") as log:
            log.writelines(t + "\n" for t in traces)


def _plans(collection: Collection, folder: Path, out: Path, roster_data, before, with_forms: bool) -> list:
    kept = collection.projects
    sheet_of = _form_sheets(kept) if with_forms else None
    plans = [summary.project_plan(kept, str(folder.resolve()), str(out.parent), sheet_of), summary.unit_plan(kept),
             summary.category_plan(kept), summary.indicator_plan(kept),
             summary.findings_plan(collection.findings), summary.sources_plan(collection)]
    if roster_data:
        units = {p.unit for p in kept + collection.duplicates}
        titles, rows = missing(roster_data, units)
        plans.append(summary.plain_plan("未报送单位", titles, rows))
    if before is not None:
        rows = changes_mod.changes(before, changes_mod.current(kept))
        plans.append(summary.plain_plan("变动", changes_mod.TITLES, rows, {"内容": 30, "原值": 20, "新值": 20}))
    return plans


def _form_sheets(projects) -> dict:
    """A sheet name for each project's form, unique (numbered) and legal."""
    return {id(p): sheet_base(f"{n:03d} {p.name}") for n, p in enumerate(projects, 1)}


def _forms_base(collection: Collection):
    """The kept forms rendered again by the engine, loaded to receive the summary sheets."""
    import openpyxl
    from ..template import render_bytes
    names = _form_sheets(collection.projects)
    forms = [replace(p.form, sheet=names[id(p)]) for p in collection.projects]
    return openpyxl.load_workbook(io.BytesIO(render_bytes(Book(forms=forms))), rich_text=False)


def _write_checked(plans: list, out: Path, collection: Collection, base) -> Decimal:
    expected = collection.read_total - collection.dropped_total
    handle, temp = tempfile.mkstemp(prefix=".jixiao-", suffix=".xlsx", dir=out.parent)
    os.close(handle)
    try:
        summary.write(plans, temp, base)
        verify(temp, expected, len(collection.projects))
        ensure_closed(out)
        os.chmod(temp, default_mode())
        os.replace(temp, out)
    except PermissionError:
        raise JixiaoError(f"无法写入汇总表 {out}：文件被占用（可能正在 Excel/WPS 中打开），请关闭后重试；"
                          "没有覆盖任何文件") from None
    finally:
        Path(temp).unlink(missing_ok=True)
    return expected


def verify(path: str, expected: Decimal, projects: int) -> None:
    """Read the written summary back: every 项目资金总额 column, its rows and its 合计, must be `expected`."""
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(path)
    for sheet in CHECKED_SHEETS:
        header, *rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if sheet == summary.PROJECTS and len(rows) - 1 != projects:
            raise JixiaoError(f"汇总核对不符：读到 {projects} 个项目，项目汇总中有 {len(rows) - 1} 行；未写出汇总表")
        for column, title in enumerate(header):
            if title == summary.AMOUNT_TITLES[0]:
                _check_column(sheet, rows, column, expected)


def _check_column(sheet: str, rows: list, column: int, expected: Decimal) -> None:
    """The 合计 and the sum of the rows must be `expected`, to the precision a cell holds (a float)."""
    cells = [r[column] if column < len(r) else None for r in rows]
    total, body = _decimal(cells[0]), sum((_decimal(v) for v in cells[1:]), Decimal(0))
    ulp = Decimal(math.ulp(float(expected)))
    for got, terms in ((total, 1), (body, len(cells) - 1)):
        if abs(got - expected) > ulp * max(terms, 1):
            raise JixiaoError(f"汇总核对不符：各来源读到的项目资金总额为 {expected} 元，"
                              f"汇总表“{sheet}”中为 {got} 元；未写出汇总表")


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else Decimal(0)
