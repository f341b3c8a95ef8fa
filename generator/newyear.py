"""`jixiao newyear`: next budget year's workbooks from this year's.

The source is a folder of this year's filled workbooks or a master list.  Each
form moves to the new year: form.year, the budget year inside texts (only
years equal to the source year, never inside 《…》 document titles or 〔…〕
document numbers; every change is reported), dates by a year (Feb 29 → Feb 28).
Indicators and texts carry over; actual values, scores and budget execution are
cleared; amounts are kept unless --clear-amounts.  Every carried-over cell of
the output is filled light blue with a note asking the clerk to check it, and
next year's master list is written beside the workbooks.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .errors import InputError
from .generate import (FileNames, Planned, apply_presets, destinations, planned_book, render_planned,
                       save_workbook, staged)
from .grid import open_grid
from .masterlist import PROJECTS, master_workbook, read_master
from .model import Form

MARK_FILL = PatternFill("solid", fgColor="DDEBF7")
LISTS = ("indicators", "details", "subprojects", "sources", "guarantees", "execution.lines")
KEEP_AS_IS = {"form", "region", "sheet", "project.code", "project.unit_code", "project.unit",
              "project.department", "project.leader", "project.contact", "project.phone"}
NOT_CARRIED = {"year", "funding.unit"}     # the new year itself; a label's unit
_PROTECTED = re.compile(r"《[^《》]*》|[〔【\[][^〔〕【】\[\]]*[〕】\]]|[(（]\d{4}[)）]\s*\d+\s*号")


@dataclass(frozen=True)
class Change:
    """One text moved to the new year."""
    where: str        # file and sheet of the source form
    path: str         # model path, e.g. texts.goal, indicators[3].target
    old: str
    new: str


# ---------------------------------------------------------------- years in text

def move_years(text: str, source: int, target: int) -> str:
    """`text` with the year `source` written as `target`, outside document titles and numbers."""
    year = re.compile(rf"(?<!\d){source}(?!\d)")
    out, pos = [], 0
    for m in _PROTECTED.finditer(text):
        out += [year.sub(str(target), text[pos:m.start()]), m.group()]
        pos = m.end()
    out.append(year.sub(str(target), text[pos:]))
    return "".join(out)


def shift_date(value, years: int):
    """A date `years` later (Feb 29 → Feb 28); other values unchanged."""
    if not isinstance(value, dt.date):
        return value
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def _walk(obj, path: str = ""):
    """(path, owner, attribute or key) of every scalar field below `obj`."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name != "where":
                yield from _child(obj, f.name, f"{path}.{f.name}".lstrip("."))
    elif isinstance(obj, dict):
        for key in list(obj):
            yield from _child(obj, key, f"{path}.{key}")
    elif isinstance(obj, list):
        for i in range(len(obj)):
            yield from _child(obj, i, f"{path}[{i}]")


def _child(owner, key, path):
    value = owner[key] if isinstance(owner, (dict, list)) else getattr(owner, key)
    if dataclasses.is_dataclass(value) or isinstance(value, (dict, list)):
        yield from _walk(value, path)
    else:
        yield path, owner, key


def _assign(owner, key, value) -> None:
    if isinstance(owner, (dict, list)):
        owner[key] = value
    else:
        setattr(owner, key, value)


# ---------------------------------------------------------------- one form

def next_year_form(form: Form, target: int, clear_amounts: bool, where: str) -> tuple[Form, list[Change]]:
    """A copy of `form` for budget year `target`, and the text changes made."""
    new = copy.deepcopy(form)
    source = form.year or target - 1
    old_period = _period(form)
    changes = []
    for path, owner, key in _walk(new):
        value = owner[key] if isinstance(owner, (dict, list)) else getattr(owner, key)
        if isinstance(value, dt.date):
            _assign(owner, key, shift_date(value, target - source))
        elif isinstance(value, str) and path not in KEEP_AS_IS:
            moved = move_years(value, source, target)
            if moved != value:
                _assign(owner, key, moved)
                changes.append(Change(where, path, value, moved))
    new.year = target
    changes = _follow_dates(new, old_period, form.texts.goal_period, changes, where)
    _clear_results(new)
    if clear_amounts:
        _clear_amounts(new)
    return new, changes


def _period(form: Form) -> str:
    p = form.project
    if isinstance(p.start, dt.date) and isinstance(p.end, dt.date):
        return f"{p.start.year}年-{p.end.year}年"
    return ""


def _follow_dates(form: Form, old_period: str, old_text: str, changes: list, where: str) -> list:
    """A goal period that followed the dates follows the moved dates."""
    if not old_period or old_text.replace(" ", "") != old_period or form.texts.goal_period == _period(form):
        return changes
    form.texts.goal_period = _period(form)
    kept = [c for c in changes if c.path != "texts.goal_period"]
    return kept + [Change(where, "texts.goal_period", old_text, form.texts.goal_period)]


def _clear_results(form: Form) -> None:
    """Self-evaluation results are this year's: actual values, scores, execution."""
    form.texts.actual = ""
    for ind in form.indicators:
        ind.actual, ind.score, ind.deviation = "", None, ""
    if form.execution:
        for line in form.execution.lines:
            line.executed = None
        form.execution.rate, form.execution.score, form.execution.total_score = "", None, None


def _clear_amounts(form: Form) -> None:
    for f in dataclasses.fields(form.funding):
        if f.name != "unit":
            setattr(form.funding, f.name, None)
    form.details_total = form.subprojects_total = None
    form.sources_total = None
    for line in form.details:
        line.amount = line.price = None
    for sub in form.subprojects:
        sub.amount = None
    for src in form.sources:
        src.total = src.previous = src.planned = None
    for line in form.execution.lines if form.execution else ():
        line.initial = line.planned = None


# ---------------------------------------------------------------- sources

@dataclass
class Source:
    """This year's forms: per output workbook, its name stem, forms and their file/sheet."""
    groups: list             # [(stem, [(form, where)])]
    origins: dict            # id(form) -> origin of its indicators
    master: bool


def from_master(path: Path) -> Source:
    ml = read_master(path)
    origins = apply_presets(ml.forms, ml.year)
    by_form = {id(f): o for f, o in zip(ml.forms, origins)}
    groups: dict[str, list] = {}
    for form in ml.forms:
        groups.setdefault(form.project.unit, []).append((form, f"{path.name} 第 {_row(form)} 行"))
    return Source([(f"{ml.year}年度_{unit}", items) for unit, items in groups.items()], by_form, True)


def _row(form: Form) -> str:
    return re.sub(r"\D", "", form.where.get("project.code", "").split("!")[-1])


def from_folder(folder: Path) -> Source:
    from .template import read_workbook
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", "项目清单")))
    if not files:
        raise InputError("文件夹中没有 .xlsx 表单", str(folder))
    groups = []
    for path in files:
        book = read_workbook(path).book
        if not book.forms:
            raise InputError("没有找到可识别的表单", str(path))
        groups.append((path.stem, [(f, f"{path.name} 工作表 {f.sheet}") for f in book.forms]))
    return Source(groups, {}, False)


# ---------------------------------------------------------------- marking

def mark_carried(wb, item: Planned, source_years: list[int], templates_dir=None) -> None:
    """Fill and note every cell whose value was carried over from this year."""
    from .template.registry import template_for
    from .template.render import name_of
    from .template import access
    for k, (form, year, origin) in enumerate(zip(item.book.forms, source_years, item.origins), 1):
        note = f"由{year}年度结转，请核对"
        spec = template_for(form.form, templates_dir)
        for path in sorted({p for f in spec.fields for p in f.paths if p and p not in NOT_CARRIED}):
            if _has_value(access.get(form, path)):
                _mark_range(wb, name_of(k, path), note)
        for lp in spec.loops:
            if access.get(form, lp.list) and not (lp.list == "indicators" and origin.startswith("预设")):
                _mark_range(wb, name_of(k, lp.list), note)


def _has_value(value) -> bool:
    return not (value is None or value is False or (isinstance(value, (str, list)) and not value))


def _mark_range(wb, name: str, note: str) -> None:
    """Fill every cell under a defined name; a note on the first cell of each row."""
    for sheet, ref in destinations(wb, name):
        found = wb[sheet][ref.replace("$", "")]
        for row in found if isinstance(found, tuple) else ((found,),):
            cells = [c for c in row if not isinstance(c, MergedCell)]
            for cell in cells:
                cell.fill = MARK_FILL
            if cells:
                cells[0].comment = Comment(note, "jixiao", height=40, width=180)


# ---------------------------------------------------------------- command

@dataclass
class Result:
    files: list            # written file names, in order
    changes: list          # Change


def newyear(source: str | Path, year: int, out_dir: str | Path, clear_amounts: bool = False,
            force: bool = False, templates_dir=None) -> Result:
    source = Path(source)
    if not source.exists():
        raise InputError("文件或文件夹不存在", str(source))
    src = from_folder(source) if source.is_dir() else _from_master_list(source)
    _check_later(src, year, source)
    planned, years, changes = _plan(src, year, clear_amounts)
    master = f"项目清单_{year}.xlsx"
    report = f"结转说明_{year}.txt"
    names = [p.name for p in planned] + [master, report]
    with staged(Path(out_dir), names, force) as tmp:
        for item, source_years in zip(planned, years):
            wb = render_planned(item, templates_dir)
            mark_carried(wb, item, source_years, templates_dir)
            save_workbook(wb, tmp / item.name)
        save_workbook(master_workbook(_master_forms(planned)), tmp / master)
        (tmp / report).write_text(report_text(changes, year), encoding="utf-8")
    return Result(names, changes)


def _from_master_list(path: Path) -> Source:
    if PROJECTS not in open_grid(path).sheet_names:
        raise InputError("这是填好的表单工作簿，不是项目清单（没有“项目”工作表）：请指定本年度表单所在的文件夹，"
                         "或项目清单", str(path))
    return from_master(path)


def _check_later(src: Source, year: int, source: Path) -> None:
    """The new year must come after every source form's year."""
    latest = max((f.year for _, items in src.groups for f, _ in items if f.year), default=None)
    if latest is not None and year <= latest:
        raise InputError(f"新的预算年度 {year} 应晚于来源表单的年度 {latest}（如 --year {latest + 1}）",
                         str(source))


def _master_forms(planned: list[Planned]) -> list[Form]:
    """Next year's master list rows: projects that used a preset keep using one."""
    out = []
    for item in planned:
        for form, origin in zip(item.book.forms, item.origins):
            out.append(dataclasses.replace(form, indicators=[]) if origin.startswith("预设") else form)
    return out


def _plan(src: Source, year: int, clear_amounts: bool):
    files = FileNames()
    planned, years, changes = [], [], []
    for stem, items in src.groups:
        forms = []
        for form, where in items:
            new, moved = next_year_form(form, year, clear_amounts, where)
            forms.append(new)
            changes += moved
        origins = [src.origins.get(id(f), "上年表单") for f, _ in items]
        name = files.name(move_years(stem, items[0][0].year or year - 1, year))
        planned.append(planned_book(name, forms, origins))
        years.append([f.year or year - 1 for f, _ in items])
    return planned, years, changes


def report_text(changes: list[Change], year: int) -> str:
    lines = [f"结转到 {year} 年度：共改动 {len(changes)} 处文字中的年份，请逐条核对。", ""]
    lines += [f"{c.where} {c.path}：\n  原：{c.old}\n  新：{c.new}" for c in changes]
    return "\n".join(lines) + "\n"


def _run(args) -> int:
    result = newyear(args.source, args.year, args.out, args.clear_amounts, args.force)
    for name in result.files:
        print(Path(args.out) / name)
    for c in result.changes:
        at = _first_difference(c.old, c.new)
        print(f"改动 {c.where} {c.path}：“{_around(c.old, at)}” → “{_around(c.new, at)}”", file=sys.stderr)
    print(f"已生成 {len(result.files)} 个文件；文字中的年份改动 {len(result.changes)} 处，"
          f"详见 结转说明_{args.year}.txt；结转的单元格已标为浅蓝色并加批注。", file=sys.stderr)
    return 0


def _first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _around(text: str, at: int, width: int = 20) -> str:
    """The part of a long text around position `at`, on one line."""
    start, end = max(0, at - width), at + width
    part = " ".join(text[start:end].split())
    return ("…" if start else "") + part + ("…" if end < len(text) else "")


def register(sub) -> None:
    p = sub.add_parser("newyear", help="由本年度表单（文件夹）或项目清单生成下一预算年度的表单与项目清单")
    p.add_argument("source", metavar="SOURCE", help="本年度已填表单所在文件夹，或项目清单 .xlsx")
    p.add_argument("--year", type=int, required=True, help="新的预算年度，如 2024")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--clear-amounts", action="store_true", help="清空金额（默认保留本年度金额）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.set_defaults(func=_run)
