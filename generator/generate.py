"""`jixiao generate`: per-project form sheets from a master list.

One workbook per 实施单位 (or per project), one sheet per project, and a 目录
sheet linking to each.  Projects with no rows in 指标 get the indicator
library's preset.  Nothing is written unless everything renders: files are
made in a temporary folder beside the target and then moved into place;
existing files are kept unless --force.  Equal input gives equal bytes.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink

from .errors import InputError, reason
from .forms.styles import font
from .library import choose, preset_indicators
from .masterlist import read_master
from .model import Book, Form
from .perms import default_mode
from .pool import ordered_map
from .sheetnames import FileNames, SheetNames
from .xmltext import clean, escaped

CONTENTS = "目录"
BY_CHOICES = ("unit", "project")


@dataclass
class Planned:
    """One output workbook: its file name, its forms and where their indicators came from."""
    name: str
    book: Book
    origins: list = field(default_factory=list)     # per form: "项目清单" or "预设：…"


# ---------------------------------------------------------------- plan

def apply_presets(forms: list[Form], year: int, library_dir=None) -> list[str]:
    """Give forms without indicators their preset; the origin of each form's indicators."""
    origins = []
    for form in forms:
        if form.indicators:
            origins.append("项目清单")
            continue
        preset = choose(form.project, library_dir)
        form.indicators = preset_indicators(preset, year)
        origins.append(f"预设：{preset.title}")
    return origins


def plan(forms: list[Form], origins: list[str], by: str, year: int) -> list[Planned]:
    """Forms grouped into workbooks (in master-list order), with legal unique names."""
    groups: dict[str, list[int]] = {}
    for i, form in enumerate(forms):
        key = form.project.unit if by == "unit" else form.project.code
        groups.setdefault(key, []).append(i)
    files = FileNames()
    out = []
    for key, members in groups.items():
        first = forms[members[0]].project
        stem = f"{year}年度_{first.unit}" if by == "unit" else f"{year}年度_{first.code}_{first.name}"
        out.append(planned_book(files.name(stem), [forms[i] for i in members], [origins[i] for i in members]))
    return out


def planned_book(name: str, forms: list[Form], origins: list[str]) -> Planned:
    """A workbook of `forms`, each given a legal sheet name unique in the book."""
    sheets = SheetNames(reserved=[CONTENTS])
    for form in forms:
        form.sheet = sheets.name(form.project.name)
    return Planned(name, Book(forms), origins)


# ---------------------------------------------------------------- write

def render_planned(item: Planned, templates_dir=None):
    """One rendered workbook (openpyxl, in memory) with its 目录 sheet added."""
    from .template.render import render_workbook
    wb = render_workbook(item.book, templates_dir)
    add_contents(wb, item)
    return wb


def add_contents(wb, item: Planned) -> None:
    """A first sheet 目录: one row per project, its name linking to the project's sheet."""
    ws = wb.create_sheet(CONTENTS, 0)
    year = item.book.forms[0].year if item.book.forms else ""
    ws.append([f"{year}年度 项目绩效目标 目录"])
    ws.append(["序号", "项目编码", "项目名称", "实施单位", "项目类别", "年度资金申请总额（元）", "指标来源"])
    for k, (form, origin) in enumerate(zip(item.book.forms, item.origins), 1):
        p = form.project
        annual = form.funding.annual
        ws.append([k, clean(p.code), escaped(p.name), clean(p.unit), clean(p.category),
                   float(annual) if annual is not None and not isinstance(annual, str) else annual, origin])
        cell = ws.cell(k + 2, 3)            # a link: written by openpyxl as it is, hence escaped here
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_link(wb, k, form))
        cell.style = "Hyperlink"
        ws.cell(k + 2, 6).number_format = "#,##0.00"
    _contents_layout(ws)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = 0


def _link(wb, k: int, form: Form) -> str:
    """Where form k starts: the sheet its marker name points to (else its planned sheet)."""
    sheet = next((s for s, _ in destinations(wb, f"jx_{k}__1.{form.form}")), form.sheet)
    return "'{}'!A1".format(sheet.replace("'", "''"))


def destinations(wb, name: str) -> list[tuple[str, str]]:
    """(sheet, range) a workbook-scoped defined name covers; the sheet's name as it is, not quoted."""
    defined = wb.defined_names.get(name)
    if not isinstance(defined, DefinedName):
        return []
    return [(sheet.replace("''", "'"), ref) for sheet, ref in defined.destinations]   # openpyxl keeps '' doubled


def _contents_layout(ws) -> None:
    ws["A1"].font = font(size=14, bold=True)
    for cell in ws[2]:
        cell.font = font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for col, width in zip("ABCDEFG", (6, 16, 48, 28, 14, 20, 20)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"


def save_workbook(wb, path: Path) -> None:
    """Save with fixed document times and zip entry times (byte-identical for equal content)."""
    from .template.render import save_workbook as save
    save(wb, path)


@contextmanager
def staged(out_dir: Path, names: list[str], force: bool):
    """A temporary folder on `out_dir`'s disk; on success its files move into `out_dir`, all or none."""
    out_dir = Path(out_dir).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("输出位置是一个文件，不是文件夹：请指定一个文件夹", str(out_dir))
    existing = [n for n in names if (out_dir / n).exists()]
    folders = [n for n in existing if (out_dir / n).is_dir()]
    if folders:
        raise InputError("以下名称已被文件夹占用，未写出任何文件：\n  " + "\n  ".join(folders), str(out_dir))
    if existing and not force:
        raise InputError("以下文件已存在，未写出任何文件（如需覆盖请加 --force）：\n  " + "\n  ".join(existing),
                         str(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # inside an existing folder (it may be a mount point: a rename can't leave its disk), else beside it
    tmp = Path(tempfile.mkdtemp(prefix=".jixiao-", dir=out_dir if out_dir.exists() else out_dir.parent))
    try:
        yield tmp
        _move_into_place(tmp, out_dir, names)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _move_into_place(tmp: Path, out_dir: Path, names: list[str]) -> None:
    """Rename the new files into `out_dir`; if one can't go (a file open in Excel), undo the others."""
    if not out_dir.exists():
        os.chmod(tmp, default_mode(folder=True))
        os.replace(tmp, out_dir)
        return
    backup = tmp / ".replaced"
    backup.mkdir()
    done = []
    try:
        for name in names:
            target = out_dir / name
            if target.exists():
                os.replace(target, backup / name)
            done.append(name)
            os.replace(tmp / name, target)
    except OSError as exc:
        for name in reversed(done):
            (out_dir / name).unlink(missing_ok=True)
            if (backup / name).exists():
                os.replace(backup / name, out_dir / name)
        raise InputError(f"无法写入 {name}（{reason(exc)}），已恢复原有文件，没有写出任何文件", str(out_dir)) from None


# ---------------------------------------------------------------- command

def generate(master: str | Path, out_dir: str | Path, by: str = "unit", year: int | None = None,
             force: bool = False, templates_dir=None, library_dir=None) -> list[Planned]:
    """Read, plan and write; returns what was written (in order)."""
    ml = read_master(master, year, templates_dir)
    origins = apply_presets(ml.forms, ml.year, library_dir)
    planned = plan(ml.forms, origins, by, ml.year)
    with staged(Path(out_dir), [p.name for p in planned], force) as tmp:
        list(ordered_map(_write, [(item, templates_dir, tmp / item.name) for item in planned]))
    return planned


def _write(job: tuple) -> None:
    """One planned workbook rendered and saved (in a worker when there are many)."""
    item, templates_dir, path = job
    save_workbook(render_planned(item, templates_dir), path)


def _run(args) -> int:
    planned = generate(args.master, args.out, args.by, args.year, args.force)
    forms = sum(len(p.book.forms) for p in planned)
    presets = sum(o != "项目清单" for p in planned for o in p.origins)
    for p in planned:
        print(f"{Path(args.out) / p.name}（{len(p.book.forms)} 个项目）")
    print(f"已生成 {len(planned)} 个文件、{forms} 个项目（其中 {presets} 个项目使用指标预设）。", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("generate", help="由项目清单生成各项目的绩效目标申报表（每个实施单位或每个项目一个文件）")
    p.add_argument("master", metavar="项目清单.xlsx")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--by", choices=BY_CHOICES, default="unit",
                   help="unit：每个实施单位一个文件（默认）；project：每个项目一个文件")
    p.add_argument("--year", type=int, help="预算年度（默认：多数项目计划开始日期所在年份）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.set_defaults(func=_run)
