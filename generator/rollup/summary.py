"""The district summary workbook: what each sheet holds, and writing it.

Each sheet is a `Plan`: one or more blocks of columns side by side, each block
its rows and the columns its 合计 row sums (a native =SUM, written with the
value the command computed).  openpyxl lays out headers, widths, panes, tables
and charts; sheetxml writes the rows.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..errors import JixiaoError
from ..taxonomy import norm
from .collect import ROLE_TITLES, Collection, FileResult, ProjectRecord, sum_amounts
from .sheetxml import Ahead, Body, Formula, Palette, font, render_ahead, save

MONEY, SHARE = "#,##0.00", "0.0%"
TOTAL_LABEL = "合计"
BLANK = {"unit": "（未填实施单位）", "category": "（未填项目类别）", "nature": "（未填项目性质）"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PROJECTS, INDICATORS = "项目汇总", "指标明细"
AMOUNT_TITLES = ("项目资金总额（元）", "财政资金（元）", "其他资金（元）")
MAX_ROWS = 1_048_576        # rows an Excel (and WPS) sheet can hold


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 12
    fmt: str = "General"
    link: bool = False


@dataclass
class Block:
    columns: list
    rows: list
    sums: tuple = ()              # indices of the columns the 合计 row sums
    links: list = field(default_factory=list)   # (row, column, target, internal)
    chart: tuple | None = None    # (title, label column, value column)


@dataclass
class Plan:
    name: str
    blocks: list
    table: str = ""               # a filterable table over the single block

    @property
    def has_total(self) -> bool:
        return any(b.sums for b in self.blocks)


# --- the sheets ----------------------------------------------------------------

def project_plan(projects: list[ProjectRecord], folder: str, out_dir: str, sheet_of: dict | None = None) -> Plan:
    """项目汇总; `folder` is where the sources are, `out_dir` where the summary goes."""
    columns = [Column("序号", 6), Column("主管部门", 18), Column("实施单位", 22), Column("项目编码", 14),
               Column("项目名称", 30), Column("项目性质", 12), Column("项目类别", 12), Column("表样", 9),
               *(Column(t, 16, MONEY) for t in AMOUNT_TITLES),
               *(Column(f"{t}指标", 8) for t in ROLE_TITLES), Column("定量指标占比", 10, SHARE),
               Column("错误", 6), Column("提示", 6), Column("重复", 24), Column("来源文件", 30, link=True),
               Column("工作表", 14, link=bool(sheet_of))]
    rows, links, hrefs = [], [], {}
    for n, p in enumerate(projects, 1):
        if p.file not in hrefs:
            hrefs[p.file] = _href(os.path.join(folder, p.file), out_dir)
        rows.append([n, p.department, p.unit, p.code, p.name, p.nature, p.category, p.form_id,
                     p.total, p.fiscal, p.other, *p.by_role, _share(p), p.count("错误"), p.count("提示"),
                     "另见 " + "；".join(p.duplicate_of) if p.duplicate_of else None, p.file, p.sheet])
        links.append((n, 20, f"{hrefs[p.file]}#{quote_sheetname(p.sheet)}!A1", False))
        if sheet_of:
            links.append((n, 21, f"{quote_sheetname(sheet_of[id(p)])}!A1", True))
    return Plan(PROJECTS, [Block(columns, rows, tuple(range(8, 16)) + (17, 18), links)])


def _share(p: ProjectRecord) -> Decimal | None:
    total = sum(p.by_role)
    return (Decimal(p.quantitative) / total).quantize(Decimal("0.0001")) if total else None


def _href(file: str, out_dir: str) -> str:
    """The source's path relative to the summary's folder, as a hyperlink target."""
    try:
        rel = Path(os.path.relpath(file, out_dir)).as_posix()
    except ValueError:                      # another drive (Windows): an absolute link
        return Path(file).as_uri()
    return rel.replace("%", "%25").replace(" ", "%20").replace("#", "%23")


def unit_plan(projects: list[ProjectRecord]) -> Plan:
    groups = _group(projects, lambda p: p.unit or BLANK["unit"])
    columns = [Column("实施单位", 24), Column("主管部门", 18), Column("项目数", 8),
               *(Column(t, 16, MONEY) for t in AMOUNT_TITLES), Column("错误", 6), Column("提示", 6)]
    rows = [[unit, members[0].department, len(members), *_amounts(members),
             sum(p.count("错误") for p in members), sum(p.count("提示") for p in members)]
            for unit, members in groups]
    return Plan("单位汇总", [Block(columns, rows, (2, 3, 4, 5, 6, 7), chart=("各单位项目资金总额（元）", 0, 3))])


def category_plan(projects: list[ProjectRecord]) -> Plan:
    blocks = []
    for title, key in (("项目类别", "category"), ("项目性质", "nature")):
        groups = _group(projects, lambda p, k=key: getattr(p, k) or BLANK[k])
        columns = [Column(title, 16), Column("项目数", 8), *(Column(t, 16, MONEY) for t in AMOUNT_TITLES)]
        rows = [[name, len(members), *_amounts(members)] for name, members in groups]
        blocks.append(Block(columns, rows, (1, 2, 3, 4), chart=(f"按{title}：项目资金总额（元）", 0, 2)))
    return Plan("分类汇总", blocks)


def _group(projects, key) -> list[tuple[str, list]]:
    """(name as first written, members) per name, names compared as the forms' checks do."""
    groups: dict[str, tuple[str, list]] = {}
    for p in projects:
        groups.setdefault(norm(key(p)), (key(p), []))[1].append(p)
    return sorted(groups.values(), key=lambda g: g[0])


def _amounts(members: list[ProjectRecord]) -> list[Decimal]:
    return [sum_amounts(getattr(p, a) for p in members) for a in ("total", "fiscal", "other")]


DETAIL_COLUMNS = [Column("项目编码", 14), Column("实施单位", 20), Column("项目名称", 26), Column("序号", 6),
                  Column("一级指标", 12), Column("二级指标", 16), Column("三级指标", 30), Column("指标值", 18),
                  Column("指标类型", 9), Column("来源文件", 26), Column("工作表", 12), Column("单元格", 8)]
DETAIL_STYLES = [0] * len(DETAIL_COLUMNS)      # all General: the workbook's default style, no palette needed


def detail_xml(p: ProjectRecord) -> Ahead:
    """A project's 指标明细 rows, written ahead as XML (in the worker that read it)."""
    return render_ahead(p.indicators, DETAIL_STYLES, {0: p.code, 1: p.unit, 2: p.name, 9: p.file, 10: p.sheet})


def prepare(result: FileResult, keep_indicators: bool = True) -> None:
    """What the summary needs from a file, done where it is read: its 指标明细 rows.
    The indicators themselves are dropped unless asked for (the 变动 sheet compares them)."""
    for p in result.projects:
        p.detail_xml = detail_xml(p)
        if not keep_indicators:
            p.indicators = []


class DetailRows:
    """Projects' 指标明细 rows numbered as the projects are kept, while the other files are
    still being read: the sheet's rows are the kept projects' rows in order, from row 2."""

    def __init__(self):
        self.row = 2

    def place(self, projects: list[ProjectRecord]) -> None:
        for p in projects:
            p.detail_xml = (p.detail_xml or detail_xml(p)).placed(self.row)
            self.row += p.detail_xml.count


def indicator_plan(projects: list[ProjectRecord]) -> Plan:
    rows = [p.detail_xml or detail_xml(p) for p in projects]
    return Plan(INDICATORS, [Block(DETAIL_COLUMNS, rows)], table="指标明细表")


def findings_plan(findings: list) -> Plan:
    columns = [Column("文件", 26), Column("工作表", 12), Column("单元格", 8), Column("项目", 24),
               Column("指标", 20), Column("规则", 16), Column("级别", 6), Column("说明", 60)]
    rows = [[f.file, f.sheet, f.cell, f.project, f.indicator, f.rule, f.severity, f.message] for f in findings]
    return Plan("校验结果", [Block(columns, rows)], table="校验结果表")


def sources_plan(collection: Collection) -> Plan:
    columns = [Column("文件", 36), Column("大小（字节）", 12, "#,##0"), Column("SHA-256", 66),
               Column("表单数", 8), Column("状态", 8), Column("说明", 60)]
    rows = [[r.source.rel, r.source.size, r.source.sha256, len(r.projects),
             "未读取" if r.problem else "已读取", r.problem or r.source.note]
            for r in collection.files]
    return Plan("来源", [Block(columns, rows)], table="来源表")


def plain_plan(name: str, titles: list[str], rows: list, widths: dict | None = None) -> Plan:
    columns = [Column(t, (widths or {}).get(t, 16)) for t in titles]
    return Plan(name, [Block(columns, rows)])


# --- writing -------------------------------------------------------------------------

def write(plans: list[Plan], out, base=None) -> None:
    """Write the plans as the first sheets of `base` (a loaded workbook) or of a new one."""
    wb = base or openpyxl.Workbook()
    if base is None:
        wb.remove(wb.active)
    sheets = [wb.create_sheet(plan.name, index) for index, plan in enumerate(plans)]
    wb.active = 0
    palette = Palette(wb)
    bodies = {ws: _layout(ws, plan, palette) for ws, plan in zip(sheets, plans)}
    save(wb, bodies, out)


def _layout(ws, plan: Plan, palette: Palette) -> Body:
    offsets = _offsets(plan.blocks)
    columns = [None] * (offsets[-1] + len(plan.blocks[-1].columns))
    for block, offset in zip(plan.blocks, offsets):
        columns[offset:offset + len(block.columns)] = block.columns
    _header(ws, columns)
    body = _body(plan, offsets, columns, palette)
    _fits(plan, body)
    ws.freeze_panes = "A3" if plan.has_total else "A2"
    _print_setup(ws)
    if plan.table:
        last = f"{get_column_letter(len(columns))}{max(body.height, 1) + 1}"
        table = Table(displayName=plan.table, ref=f"A1:{last}",
                      tableColumns=[TableColumn(id=i, name=c.title) for i, c in enumerate(columns, 1)])
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
    _charts(ws, plan, offsets, len(columns))
    return body


def _fits(plan: Plan, body: Body) -> None:
    """A sheet taller than Excel allows would open cut short, rows lost without a word: stop here."""
    rows = body.height + 1                      # the header row
    if rows > MAX_ROWS:
        raise JixiaoError(f"汇总表的工作表“{plan.name}”将有 {rows:,} 行，超过 Excel/WPS 每个工作表 {MAX_ROWS:,} 行的上限，"
                          "无法写出；请把报送文件分到几个文件夹分别汇总。没有覆盖任何文件")


def _print_setup(ws) -> None:
    """A4 landscape, all columns on one page wide, the header row on every page."""
    ws.page_setup.paperSize, ws.page_setup.orientation = ws.PAPERSIZE_A4, "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def _offsets(blocks: list[Block]) -> list[int]:
    offsets, at = [], 0
    for block in blocks:
        offsets.append(at)
        at += len(block.columns) + 1          # one empty column between blocks
    return offsets


def _header(ws, columns: list) -> None:
    for c, column in enumerate(columns, 1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = column.width if column else 3
        if column:
            cell = ws.cell(1, c, column.title)
            cell.font, cell.fill = font(bold=True), HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30


def _body(plan: Plan, offsets: list[int], columns: list, palette: Palette) -> Body:
    styles = [palette.id(c.fmt if c else "General", link=bool(c and c.link)) for c in columns]
    rows, links = [], []
    shift = 1 if plan.has_total else 0
    if len(plan.blocks) == 1:
        rows = list(plan.blocks[0].rows)       # one block: its rows as they are
    else:
        for parts in zip_longest(*(b.rows for b in plan.blocks), fillvalue=None):
            row = [None] * len(columns)
            for part, offset in zip(parts, offsets):
                if part:
                    row[offset:offset + len(part)] = part
            rows.append(row)
    for block, offset in zip(plan.blocks, offsets):
        links += [(r - 1 + shift, offset + c, target, internal) for r, c, target, internal in block.links]
    body = Body(rows, styles, links=links)
    if plan.has_total:
        body.rows.insert(0, _total_row(plan, offsets, len(columns)))
        body.row_styles[0] = [palette.id(c.fmt if c else "General", bold=True) for c in columns]
    return body


def _total_row(plan: Plan, offsets: list[int], width: int) -> list:
    row = [None] * width
    for block, offset in zip(plan.blocks, offsets):
        row[offset] = TOTAL_LABEL
        for c in block.sums:
            letter = get_column_letter(offset + c + 1)
            cached = sum_amounts(_number(r[c]) for r in block.rows)
            row[offset + c] = Formula(f"SUM({letter}3:{letter}{max(len(block.rows), 1) + 2})", cached)
    return row


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    return value if isinstance(value, Decimal) else None


def _charts(ws, plan: Plan, offsets: list[int], width: int) -> None:
    """Each block's bar chart, stacked to the right of the data."""
    at = 3
    first = 3 if plan.has_total else 2
    for block, offset in zip(plan.blocks, offsets):
        if not block.chart or not block.rows:
            continue
        title, label, value = block.chart
        last = first + len(block.rows) - 1
        chart = BarChart()
        chart.type, chart.title, chart.legend = "bar", title, None
        chart.add_data(Reference(ws, min_col=offset + value + 1, min_row=first, max_row=last))
        chart.set_categories(Reference(ws, min_col=offset + label + 1, min_row=first, max_row=last))
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.y_axis.numFmt = "#,##0"
        chart.width, chart.height = 20, max(7.5, min(0.5 * len(block.rows) + 3, 150))
        ws.add_chart(chart, f"{get_column_letter(width + 2)}{at}")
        at += int(chart.height / 0.5) + 2
