"""Read the sources and merge them: every form of every file, duplicates counted once.

Each file is read (through the template engine by default) and checked in a
worker; many files go through a process pool, a few are read in turn.  Results
come back in the sorted file order whatever the pool does, so the summary is the
same for the same folder.  Amounts are turned into 元 as `Decimal`; an amount
that is not a number (or is in a unit that can't be turned into 元) is kept as
the text the form shows and left out of every total, with a finding that says so.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from typing import Callable, Iterable

from ..errors import InputError, JixiaoError, reason
from ..model import Form, effective_levels
from ..pool import consume, ordered_map
from ..rules import Finding, check_form
from ..targets import KIND_LABELS, QUANT, parse_target
from ..taxonomy import norm, taxonomy_for
from .scan import SourceFile, inspect
from .sheetxml import Ahead

ROLES = ("output", "benefit", "satisfaction", "cost")
ROLE_TITLES = ("产出", "效益", "满意度", "成本", "其他")
ROLE_INDEX = {role: k for k, role in enumerate(ROLES)}       # any other role: 4 (其他)
TO_YUAN = {"元": Decimal(1), "": Decimal(1), "万元": Decimal(10000)}
ERROR, HINT = "错误", "提示"
CENT = Decimal("0.01")
SUMMARY_SHEETS = {"项目汇总", "来源"}   # always in a summary written by jixiao rollup


@dataclass
class ProjectRecord:
    """One form as the summary needs it (amounts in 元)."""
    file: str
    sheet: str
    form_id: str
    department: str
    unit: str
    code: str
    name: str
    nature: str
    category: str
    total: Decimal | str | None
    fiscal: Decimal | str | None
    other: Decimal | str | None
    by_role: tuple              # indicator counts: 产出, 效益, 满意度, 成本, 其他
    quantitative: int           # indicators with a quantitative target
    indicators: list            # (no, 一级, 二级, 三级, 指标值, 类型, cell)
    findings: list
    form: Form | None = None    # kept only when the forms are rendered again
    detail_xml: Ahead | None = None  # its 指标明细 rows, written ahead in the worker (summary.detail_xml)
    duplicate_of: list = field(default_factory=list)   # "file!sheet" of the copies dropped

    @property
    def keys(self) -> list[tuple]:
        keys = [("code", norm(self.code))] if norm(self.code) else []
        if norm(self.unit) and norm(self.name):
            keys.append(("name", norm(self.unit), norm(self.name)))
        return keys

    @property
    def place(self) -> str:
        return f"{self.file}!{self.sheet}"

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)


@dataclass
class FileResult:
    source: SourceFile
    projects: list = field(default_factory=list)
    findings: list = field(default_factory=list)    # about the file, not one form
    problem: str = ""                               # why nothing was read
    trace: str = ""                                 # an unexpected failure, for the log


@dataclass
class Collection:
    files: list                 # FileResult, sorted by file
    projects: list              # ProjectRecord kept, in file order
    duplicates: list            # ProjectRecord dropped as copies of a kept one
    findings: list              # every finding, in file order

    @property
    def read_total(self) -> Decimal:
        """项目资金总额 over every form read, copies included."""
        return sum_amounts(p.total for p in self.projects + self.duplicates)

    @property
    def dropped_total(self) -> Decimal:
        return sum_amounts(p.total for p in self.duplicates)

    @property
    def failed(self) -> list:
        return [f for f in self.files if f.problem]


def sum_amounts(values: Iterable) -> Decimal:
    return sum((v for v in values if isinstance(v, Decimal)), Decimal(0))


# --- one file (runs in a worker) --------------------------------------------------

def read_source(task: tuple) -> FileResult:
    """Read, check and prepare one file: (path, rel, reader, keep forms, prepare or None)."""
    path, rel, reader, keep_forms, prepare = task
    source = inspect(path, rel)
    if source.problem:
        return FileResult(source, problem=source.problem)
    try:
        result = reader(path)
    except JixiaoError as exc:
        return FileResult(source, problem=_reason(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the roll-up
        return FileResult(source, problem=f"读取时出错：{reason(exc)}，详细信息已记入日志",
                          trace=f"{rel}\n{traceback.format_exc()}")
    out = _records(source, result, keep_forms)
    if prepare:
        prepare(out)
    return out


def _reason(exc: JixiaoError) -> str:
    text = str(exc)
    if isinstance(exc, InputError) and exc.file:
        for prefix in (f"文件 {exc.file}：", f"文件 {exc.file}，"):
            text = text.removeprefix(prefix)
    return text


def _records(source: SourceFile, result, keep_forms: bool) -> FileResult:
    findings = [replace(f, file=source.rel) for f in result.findings]
    sheets = _sheets_of(result)
    out = FileResult(source)
    for k, form in enumerate(result.book.forms):
        own = [f for f in findings if f.sheet in sheets.get(k, (form.sheet,))]
        checked = check_form(form, source.rel)
        out.projects.append(project_record(form, source.rel, own + checked, keep_forms))
    claimed = {id(f) for p in out.projects for f in p.findings}
    out.findings = [f for f in findings if id(f) not in claimed]
    if not out.projects and SUMMARY_SHEETS <= {f.sheet for f in findings}:
        out.findings, out.problem = [], "这是一份汇总表（jixiao rollup 写出），不是单位报送的表单，未计入"
    elif not out.projects:
        none = [f.message for f in out.findings if f.severity == ERROR]
        out.problem = none[0] if none else "文件中没有找到可识别的表单"
    return out


def _sheets_of(result) -> dict[int, tuple]:
    return {s.form: tuple(s.sheets) for s in getattr(result, "sources", ())}


AMOUNTS = (("项目资金总额", "total"), ("财政资金", "fiscal"), ("其他资金", "other"))


def project_record(form: Form, file: str, findings: list, keep_form: bool) -> ProjectRecord:
    p, money = form.project, form.funding
    factor = TO_YUAN.get(norm(money.unit))
    amounts, notes = [], []
    for label, attr in AMOUNTS:
        amount, note = to_yuan(getattr(money, attr), factor, money.unit)
        amounts.append(amount)
        if note:
            cell = form.cell_of(f"funding.{attr}").rpartition("!")[2]
            severity, text = (HINT, f"{label}{note}") if isinstance(amount, Decimal) else \
                (ERROR, f"{label}{note}，未计入汇总合计")
            notes.append(Finding("rollup.amount", severity, text, file=file, sheet=form.sheet, cell=cell,
                                 project=p.name, path=f"funding.{attr}"))
    rows, by_role, quantitative = _indicators(form)
    return ProjectRecord(file, form.sheet, form.form, p.department, p.unit, p.code, p.name, p.nature,
                         p.category, *amounts, by_role, quantitative, rows, findings + notes,
                         form if keep_form else None)


def to_yuan(value, factor: Decimal | None, unit: str) -> tuple:
    """(amount in 元 to the 分, or the text as written; '' or what the summary did with it).

    An amount finer than 1 分 (=100/3 in a cell, a 万元 figure with many decimals) is
    rounded half up to the 分, and the note says so: the summary's totals are money.
    """
    if value is None or value == "":
        return None, ""
    if not isinstance(value, Decimal):
        return str(value), f"“{value}”不是数字"
    if factor is None:
        return str(value), f"的金额单位“{unit}”无法换算为元"
    exact = value * factor
    try:
        yuan = exact.quantize(CENT, ROUND_HALF_UP)
    except InvalidOperation:            # beyond any budget (1E+300): the money rules report it
        return exact, ""
    return yuan, "" if yuan == exact else f"{exact} 元不是整分，汇总按 {yuan} 元计"


def _indicators(form: Form) -> tuple[list, tuple, int]:
    roles = taxonomy_for(form.region, form.year).roles
    counts, quantitative, rows = [0] * 5, 0, []
    cells = map(form.where.get, _target_paths(len(form.indicators)), repeat(""))
    for n, (ind, (level1, level2), cell) in enumerate(zip(form.indicators, effective_levels(form.indicators), cells), 1):
        counts[ROLE_INDEX.get(roles(level1, level2)[0], 4)] += 1
        kind = parse_target(ind.target).kind
        quantitative += kind == QUANT
        rows.append((n, level1, level2, ind.name, ind.target, KIND_LABELS.get(kind, kind), cell))
    return rows, tuple(counts), quantitative


_TARGET_PATHS: list[str] = []       # indicators[0].target, indicators[1].target, …


def _target_paths(size: int) -> list[str]:
    while len(_TARGET_PATHS) < size:
        _TARGET_PATHS.append(f"indicators[{len(_TARGET_PATHS)}].target")
    return _TARGET_PATHS[:size]


# --- all files ---------------------------------------------------------------------

def read_all(files: list[tuple[str, str]], reader: Callable, keep_forms: bool = False,
             jobs: int | None = None, on_result: Callable | None = None,
             prepare: Callable | None = None) -> list[FileResult]:
    """Read every (path, rel) in order; `on_result(FileResult, total)` after each.

    `prepare(FileResult)` runs where the file is read (in a worker, with many
    files), to do there what the summary needs from each file.
    """
    tasks = [(path, rel, reader, keep_forms, prepare) for path, rel in files]
    return consume(ordered_map(read_source, tasks, jobs), len(tasks), on_result)


class Merger:
    """Files' results merged as they come, in file order: the first form of each project is kept,
    its copies flagged and dropped.  `add` tells at once which forms of a file are kept."""

    def __init__(self):
        self.results, self.kept, self.dropped, self.findings, self._seen = [], [], [], [], {}

    def add(self, result: FileResult) -> list[ProjectRecord]:
        self.results.append(result)
        self.findings += result.findings
        kept = []
        for record in result.projects:
            first = next((self._seen[k] for k in record.keys if k in self._seen), None)
            if first is None:
                kept.append(record)
                self._seen.update((k, record) for k in record.keys)
            else:
                first.duplicate_of.append(record.place)
                record.findings.append(_duplicate(record, first))
                self.dropped.append(record)
            self.findings += record.findings
        self.kept += kept
        return kept

    @property
    def collection(self) -> Collection:
        return Collection(self.results, self.kept, self.dropped, self.findings)


def _duplicate(copy: ProjectRecord, first: ProjectRecord) -> Finding:
    same = "项目编码" if norm(copy.code) and norm(copy.code) == norm(first.code) else "实施单位与项目名称"
    amounts = "" if copy.total == first.total else f"；两处项目资金总额不同（{first.total} 元 / {copy.total} 元）"
    return Finding("rollup.duplicate", ERROR,
                   f"与 {first.place} 是同一项目（{same}相同），汇总只计一次，以 {first.place} 为准{amounts}",
                   file=copy.file, sheet=copy.sheet, project=copy.name)
