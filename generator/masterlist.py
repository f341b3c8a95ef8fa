"""The master list (项目清单.xlsx): one row per project, read into `Form`s.

Sheet 项目 holds the projects, sheet 指标 (optional) their indicators; columns
are found by header name in any order, and unknown columns go to `Form.extra`.
Text cells may hold jinja2 (`{{ year }}年度…`), rendered in a sandbox.
A list that can't be used is refused whole: `MasterListError` lists every
problem, each naming sheet and cell.  The same columns are written back by
`master_workbook` (next year's list, the bundled sample).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError

import jinja2
import openpyxl
from jinja2.sandbox import SandboxedEnvironment
from openpyxl.utils import get_column_letter

from .dates import parse_date
from .errors import InputError, reason
from .model import Form, Funding, Indicator, Project, Texts, effective_levels
from .numbers import AmountError, parse_amount
from .xmltext import unescaped

PROJECTS, INDICATORS = "项目", "指标"
DEFAULT_FORM = "sh2023"

# header -> (model path, kind); kinds: text, code, amount, date, form
PROJECT_COLUMNS = {
    "项目编码": ("project.code", "code"),
    "项目名称": ("project.name", "text"),
    "主管部门": ("project.department", "text"),
    "实施单位": ("project.unit", "text"),
    "项目性质": ("project.nature", "text"),
    "项目类别": ("project.category", "text"),
    "计划开始日期": ("project.start", "date"),
    "计划完成日期": ("project.end", "date"),
    "项目资金总额": ("funding.total", "amount"),
    "年度资金申请总额": ("funding.annual", "amount"),
    "财政资金": ("funding.fiscal", "amount"),
    "当年财政拨款": ("funding.annual_fiscal", "amount"),
    "上年结转资金": ("funding.carryover", "amount"),
    "其他资金": ("funding.annual_other", "amount"),
    "项目总目标": ("texts.goal", "text"),
    "年度总体目标": ("texts.annual_goal", "text"),
}
OPTIONAL_PROJECT_COLUMNS = {
    "表样": ("form", "form"),
    "负责人": ("project.leader", "text"),
    "联系人": ("project.contact", "text"),
    "联系电话": ("project.phone", "code"),
}
INDICATOR_COLUMNS = {
    "项目编码": ("code", "code"),
    "一级指标": ("level1", "text"),
    "二级指标": ("level2", "text"),
    "三级指标": ("name", "text"),
    "指标值": ("target", "text"),
}
OPTIONAL_INDICATOR_COLUMNS = {
    "指标解释": ("explanation", "text"),
    "备注": ("note", "text"),
}
REQUIRED_TEXT = ("项目编码", "项目名称", "实施单位")
HEADER_SEARCH_ROWS = 10


class MasterListError(InputError):
    """The master list can't be used; `problems` are (sheet, cell, message)."""

    def __init__(self, file: str, problems: list[tuple[str, str, str]]):
        self.problems = problems
        lines = [f"工作表 {s} {_place(c)}：{m}" for s, c, m in problems]
        super().__init__(f"项目清单不能使用，共 {len(problems)} 处问题，未写出任何文件：\n  "
                         + "\n  ".join(lines), file)


def _place(cell: str) -> str:
    return f"第 {cell} 行" if cell.isdigit() else f"单元格 {cell}"


@dataclass
class MasterList:
    path: str
    year: int
    forms: list[Form]
    preset_codes: set = field(default_factory=set)    # projects without rows in 指标


# ---------------------------------------------------------------- headers

def header_key(text) -> str:
    """A header as compared: NFKC, no spaces or line breaks, no *, 其中: or (元)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    key = key.lstrip("*").rstrip(":")
    key = re.sub(r"^其中:", "", key)
    return re.sub(r"\((元|人民币元)\)$", "", key)


def _find_header(rows: list[tuple], known: dict) -> int:
    """Index of the row (among the first few) naming most known columns."""
    scores = [sum(header_key(v) in known for v in row) for row in rows[:HEADER_SEARCH_ROWS]]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0


@dataclass
class Table:
    """One sheet's rows with its header: key -> column index, extras kept by header."""
    sheet: str
    header_row: int                      # 1-based
    columns: dict                        # header key -> 0-based column
    extras: dict                         # original header -> 0-based column
    rows: list                           # (row number, values)


def _table(ws, sheet: str, required: dict, optional: dict, problems: list) -> Table | None:
    ws.reset_dimensions()
    rows = [tuple(unescaped(v) if isinstance(v, str) else v for v in row)
            for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
    known = {**required, **optional}
    at = _find_header(rows, known)
    header = rows[at] if rows else ()
    columns, extras = {}, {}
    for i, value in enumerate(header):
        key = header_key(value)
        if key in columns or key in extras:
            first = columns.get(key, extras.get(key))
            problems.append((sheet, f"{get_column_letter(i + 1)}{at + 1}",
                             f"表头“{key}”出现两次（{get_column_letter(first + 1)}{at + 1} 与 "
                             f"{get_column_letter(i + 1)}{at + 1}），请删除或改名其中一列"))
        elif key in known:
            columns[key] = i
        elif key:
            extras[key] = i
    missing = [k for k in required if k not in columns]
    for key in missing:
        problems.append((sheet, str(at + 1), f"缺少必填列“{key}”"))
    if missing:
        return None
    body = [(at + 2 + n, row) for n, row in enumerate(rows[at + 1:]) if any(_filled(v) for v in row)]
    return Table(sheet, at + 1, columns, extras, body)


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cell(table: Table, row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row}"


# ---------------------------------------------------------------- values

_env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


class TextError(ValueError):
    """A text cell's jinja2 that can't be rendered; str() is the Chinese reason."""


@lru_cache(maxsize=4096)
def _compiled(text: str):
    """The sandboxed template of a cell's text, compiled once per distinct text."""
    return _env.from_string(text)


def render_text(text: str, context: dict) -> str:
    """`text` with its jinja2 rendered in a sandbox (StrictUndefined)."""
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return _compiled(text).render(context)
    except jinja2.UndefinedError as exc:
        m = _UNDEFINED.search(str(exc))
        name = (m.group(1) or m.group(2)) if m else str(exc)
        raise TextError(f"模板文字中的“{name}”未定义（可用：{'、'.join(sorted(context))}）") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TextError(f"模板文字写法有误（第 {exc.lineno} 行：{exc.message}）") from None
    except jinja2.exceptions.SecurityError:
        raise TextError("模板文字使用了不允许的操作") from None
    except Exception:             # noqa: BLE001 - any other failure of the clerk's expression
        raise TextError("模板文字中的表达式无法计算") from None


def _text(value, context: dict) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return render_text(str(value).strip(), context).strip()


def _code(value, context: dict) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value, context)


def _amount(value, context: dict):
    if not _filled(value):
        return None
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise ValueError(str(exc).replace("金额", "数字")) from None


def _date(value, context: dict):
    if not _filled(value):
        return None
    date = parse_date(value)
    if date is None:
        raise ValueError(f"“{value}”不是日期（应写作 2024-01-01）")
    return date


def _extra(value, context: dict):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return _text(value, context) if isinstance(value, str) else value


# ---------------------------------------------------------------- forms

class FormIds:
    """表样 values: a template id (any case) or its Chinese title."""

    def __init__(self, templates_dir=None):
        from .template.registry import all_specs
        specs = all_specs(templates_dir)
        self.ids = {s.form.casefold(): s.form for s in specs}
        self.region = {s.form: s.region for s in specs}
        titles: dict[str, list[str]] = {}
        for s in specs:
            titles.setdefault(header_key(s.title), []).append(s.form)
        self.titles = titles

    def resolve(self, text: str) -> str:
        if not text:
            return DEFAULT_FORM
        if text.casefold() in self.ids:
            return self.ids[text.casefold()]
        forms = self.titles.get(header_key(text), [])
        if len(forms) == 1 or DEFAULT_FORM in forms:
            return DEFAULT_FORM if DEFAULT_FORM in forms else forms[0]
        known = "、".join(sorted(self.ids.values())) or "无"
        raise ValueError(f"表样“{text}”不存在（可用：{known}，或表单标题）")


_CONVERT = {"text": _text, "code": _code, "amount": _amount, "date": _date, "form": _text}


def _convert_row(table: Table, row: int, values: tuple, spec: dict, context: dict, problems: list) -> dict:
    """{model path: value} of one row; a bad cell becomes a problem, not a value."""
    out = {}
    for key, (path, kind) in spec.items():
        col = table.columns.get(key)
        value = values[col] if col is not None and col < len(values) else None
        try:
            out[path] = _CONVERT[kind](value, context)
        except (ValueError, TextError) as exc:
            problems.append((table.sheet, _cell(table, row, col), f"{key}{_reason(str(exc))}"))
    return out


def _reason(text: str) -> str:
    return text if text.startswith("“") else f"：{text}"


def _budget_year(table: Table) -> int | None:
    """The year most projects start in (the later one on a tie)."""
    col = table.columns["计划开始日期"]
    years = Counter(d.year for _, v in table.rows if col < len(v) and (d := parse_date(v[col])))
    return max(years, key=lambda y: (years[y], y)) if years else None


def _project_form(table: Table, row: int, values: tuple, year: int, ids: FormIds, problems: list) -> Form:
    data = _convert_row(table, row, values, {**PROJECT_COLUMNS, **OPTIONAL_PROJECT_COLUMNS},
                        {"year": year}, problems)
    form = Form(year=year, project=Project(), funding=Funding(unit="元"), texts=Texts())
    for path, value in data.items():
        if path != "form":
            _set(form, path, value)
    form.funding.other = form.funding.annual_other
    try:
        form.form = ids.resolve(data.get("form", ""))
        form.region = ids.region.get(form.form, "")
    except ValueError as exc:
        problems.append((table.sheet, _cell(table, row, table.columns["表样"]), str(exc)))
    _check_project(form, data, table, row, problems)
    form.extra = _extras(table, row, values, year, problems)
    form.where = {path: f"{table.sheet}!{_cell(table, row, table.columns[key])}"
                  for key, (path, _) in {**PROJECT_COLUMNS, **OPTIONAL_PROJECT_COLUMNS}.items()
                  if key in table.columns}
    p = form.project
    if isinstance(p.start, dt.date) and isinstance(p.end, dt.date):
        form.texts.goal_period = f"{p.start.year}年-{p.end.year}年"
    return form


def _set(obj, path: str, value) -> None:
    head, _, name = path.partition(".")
    setattr(getattr(obj, head), name, value)


def _check_project(form: Form, data: dict, table: Table, row: int, problems: list) -> None:
    for key in REQUIRED_TEXT:
        path = PROJECT_COLUMNS[key][0]
        if path in data and not data[path]:
            problems.append((table.sheet, _cell(table, row, table.columns[key]), f"{key}为空"))
    for key, (path, kind) in PROJECT_COLUMNS.items():
        value = data.get(path)
        if kind == "amount" and isinstance(value, Decimal) and value < 0:
            problems.append((table.sheet, _cell(table, row, table.columns[key]), f"{key}为负数（{value}）"))
    p = form.project
    if isinstance(p.start, dt.date) and isinstance(p.end, dt.date) and p.end < p.start:
        problems.append((table.sheet, _cell(table, row, table.columns["计划完成日期"]),
                         f"计划完成日期 {p.end} 早于计划开始日期 {p.start}"))


def _get(obj, path: str):
    head, _, name = path.partition(".")
    return getattr(getattr(obj, head), name)


def _extras(table: Table, row: int, values: tuple, year: int, problems: list) -> dict:
    out = {}
    for key, col in table.extras.items():
        value = values[col] if col < len(values) else None
        if not _filled(value):
            continue
        try:
            out[key] = _extra(value, {"year": year})
        except TextError as exc:
            problems.append((table.sheet, _cell(table, row, col), f"{key}：{exc}"))
    return out


def _indicator_rows(table: Table, codes: dict, year: int, problems: list) -> dict[str, list[Indicator]]:
    """Indicators by project code; blank 项目编码/一级/二级 continue the row above (merged cells)."""
    spec = {**INDICATOR_COLUMNS, **OPTIONAL_INDICATOR_COLUMNS}
    out: dict[str, list[Indicator]] = {}
    code = ""
    for row, values in table.rows:
        data = _convert_row(table, row, values, spec, {"year": year}, problems)
        code = data.pop("code", "") or code
        if not code:
            problems.append((table.sheet, _cell(table, row, table.columns["项目编码"]), "项目编码为空"))
            continue
        if code not in codes:
            problems.append((table.sheet, _cell(table, row, table.columns["项目编码"]),
                             f"项目编码“{code}”不在工作表 {PROJECTS} 中"))
            continue
        ind = Indicator(**{k: v for k, v in data.items() if isinstance(v, str)})
        rows = out.setdefault(code, [])
        if not rows and not ind.level1 and "level1" in data:
            problems.append((table.sheet, _cell(table, row, table.columns["一级指标"]),
                             f"项目“{code}”的第一行指标缺少一级指标"))
        if not ind.name and "name" in data:
            problems.append((table.sheet, _cell(table, row, table.columns["三级指标"]), "三级指标为空"))
        rows.append(ind)
    return {code: compact_levels(rows) for code, rows in out.items()}


def compact_levels(indicators: list[Indicator]) -> list[Indicator]:
    """一级/二级 written only where they change, as the form merges them."""
    last = ("", "")
    for ind, (level1, level2) in zip(indicators, effective_levels(indicators)):
        ind.level1 = level1 if level1 != last[0] else ""
        ind.level2 = level2 if (level1, level2) != last else ""
        last = (level1, level2)
    return indicators


def _duplicates(table: Table, forms: list[tuple[int, Form]], problems: list) -> None:
    first: dict[str, int] = {}
    col = table.columns["项目编码"]
    for row, form in forms:
        code = form.project.code
        if code and code in first:
            problems.append((table.sheet, _cell(table, row, col),
                             f"项目编码“{code}”与第 {first[code]} 行重复"))
        first.setdefault(code, row)


def read_master(path: str | Path, year: int | None = None, templates_dir=None) -> MasterList:
    """The master list's projects as forms; MasterListError lists every problem."""
    path = Path(path)
    wb = _open(path)
    try:
        return _read(wb, str(path), year, templates_dir)
    except ParseError as exc:           # a sheet's XML is parsed as its rows are read
        raise InputError(f"无法读取项目清单：{reason(exc)}", str(path)) from None
    finally:
        wb.close()


def _open(path: Path):
    if not path.is_file():
        raise InputError("文件不存在", str(path))
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:      # noqa: BLE001 - openpyxl raises many types on bad files
        raise InputError(f"无法读取项目清单：{reason(exc)}", str(path)) from None


def _read(wb, file: str, year: int | None, templates_dir) -> MasterList:
    if PROJECTS not in wb.sheetnames:
        raise InputError(f"缺少工作表“{PROJECTS}”（现有：{'、'.join(wb.sheetnames)}）", file)
    problems: list = []
    table = _table(wb[PROJECTS], PROJECTS, PROJECT_COLUMNS, OPTIONAL_PROJECT_COLUMNS, problems)
    if table is None:
        raise MasterListError(file, problems)
    year = year or _budget_year(table)
    if year is None:
        raise InputError("无法确定预算年度：计划开始日期都不是日期，请用 --year 指定", file, PROJECTS)
    ids = FormIds(templates_dir)
    rows = [(row, _project_form(table, row, values, year, ids, problems)) for row, values in table.rows]
    _duplicates(table, rows, problems)
    forms = [f for _, f in rows]
    indicators = _read_indicators(wb, {f.project.code: f for f in forms}, year, problems)
    if problems:
        raise MasterListError(file, problems)
    for form in forms:
        form.indicators = indicators.get(form.project.code, [])
    return MasterList(file, year, forms, {f.project.code for f in forms if not f.indicators})


def _read_indicators(wb, codes: dict, year: int, problems: list) -> dict:
    if INDICATORS not in wb.sheetnames:
        return {}
    table = _table(wb[INDICATORS], INDICATORS, INDICATOR_COLUMNS, OPTIONAL_INDICATOR_COLUMNS, problems)
    return _indicator_rows(table, codes, year, problems) if table else {}


# ---------------------------------------------------------------- writing

def master_workbook(forms: list[Form]) -> openpyxl.Workbook:
    """A master list holding `forms` (same columns as read); save it deterministically."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PROJECTS
    extras = list(dict.fromkeys(k for f in forms for k in f.extra))
    headers = [*PROJECT_COLUMNS, "表样", "负责人", "联系人", "联系电话", *extras]
    ws.append(headers)
    for form in forms:
        _append(ws, [_project_value(form, h, extras) for h in headers])
    ind = wb.create_sheet(INDICATORS)
    ind.append([*INDICATOR_COLUMNS, *OPTIONAL_INDICATOR_COLUMNS])
    for form in forms:
        for i, (level1, level2) in zip(form.indicators, effective_levels(form.indicators)):
            _append(ind, [form.project.code, level1, level2, i.name, i.target, i.explanation, i.note])
    for sheet in (ws, ind):
        sheet.freeze_panes = "A2"
    return wb


def _project_value(form: Form, header: str, extras: list):
    if header in extras:
        return form.extra.get(header)
    if header == "表样":
        return form.form
    path = {**PROJECT_COLUMNS, **OPTIONAL_PROJECT_COLUMNS}[header][0]
    return _get(form, path)


def _append(ws, values: list) -> None:
    """Append a row; text starting with '=' (指标值 such as =54.00(所)) stays text."""
    ws.append([_out(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _out(value):
    if isinstance(value, Decimal):
        return float(value)
    return None if value == "" else value

