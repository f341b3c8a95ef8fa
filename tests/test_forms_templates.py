"""The official templates (generator/forms → templates/*.xlsx).

Structure (every template builds, carries its properties, places only model
paths, has its validations, print setup and protection, builds byte-identical)
needs openpyxl only.  The LibreOffice tests convert templates and rendered seed
fixtures to PDF/CSV: the forms print, the seed texts are on the pages, and the
check formulas compute ✓ for the facts the seeds state.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import typing
import zipfile
from dataclasses import is_dataclass
from pathlib import Path

import pytest
import yaml

from generator import model
from generator.forms import FORMS, build, build_all, build_bytes
from generator.forms.preview import render_seed
from generator.forms.styles import autofit_rows

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).parent / "fixtures"
PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
LOOP = re.compile(r"^jx:for\s+(\w+)\s+in\s+([\w.]+)\s*(?:;\s*merge\s*=\s*([A-Z,\s]+))?$")

EXPECT = {   # form: (region, title, orientation, sheets, taxonomy file)
    "sh2023": ("上海", "财政项目支出绩效目标申报表", "portrait", ["绩效目标申报表"], "shanghai-2021.yaml"),
    "sh2019": ("上海", "财政项目支出绩效目标申报表", "portrait", ["项目总体情况", "绩效目标", "制度保障"],
               "shanghai-2019.yaml"),
    "sz2021": ("苏州", "苏州市级财政支出项目绩效目标申报表", "landscape", ["绩效目标申报表"], "suzhou-2021.yaml"),
    "selfeval": ("上海", "财政项目支出绩效自评表", "landscape", ["绩效自评表"], "shanghai-2021.yaml"),
}

# Every field the printed form shows must have a placeholder.
SHOWN = {
    "sh2023": {"year", "project.code", "project.name", "project.nature", "project.category", "project.department",
               "project.unit", "project.start", "project.end", "funding.unit", "funding.total",
               "funding.fiscal", "funding.other", "funding.annual", "funding.annual_fiscal",
               "funding.carryover", "funding.annual_other", "texts.goal_period", "texts.goal",
               "texts.annual_goal", "indicators.level1", "indicators.level2", "indicators.name",
               "indicators.target"},
    "sh2019": {"year", "project.code", "project.unit", "project.name", "project.nature", "project.leader",
               "project.contact", "project.phone", "project.start", "project.end", "project.unit_head",
               "project.filled_by", "project.filled_on", "funding.unit", "funding.total", "funding.annual",
               "funding.annual_fiscal", "funding.upper", "funding.own", "funding.lower",
               "funding.annual_other", "texts.overview", "texts.basis", "texts.necessity",
               "texts.feasibility", "texts.resources", "texts.goal", "texts.annual_goal", "texts.other",
               "texts.composition", "indicators.level1", "indicators.level2", "indicators.name",
               "indicators.target", "indicators.note", "details.project", "details.content",
               "details.item", "details.amount", "details.price", "details.price_basis",
               "details.quantity", "details.quantity_basis", "details.note", "details_total",
               "guarantees.kind", "guarantees.document", "guarantees.measures", "guarantees.planning",
               "guarantees.implementation", "guarantees.closing"},
    "sz2021": {"year", "project.code", "project.unit_code", "project.unit", "project.name", "project.category",
               "project.attribute", "project.procurement", "project.purchase_service", "project.leader",
               "project.contact", "project.phone", "project.unit_head", "project.filled_by",
               "project.filled_on", "funding.unit", "texts.overview", "texts.basis", "texts.necessity",
               "texts.measures", "texts.plan", "texts.goal", "texts.annual_goal", "texts.other",
               "previous_use.arranged", "previous_use.allocated", "previous_use.spent",
               "previous_use.arrival_rate", "previous_use.execution_rate", "subprojects.name",
               "subprojects.amount", "subprojects_total", "sources[0].source", "sources[3].source",
               "sources_total.source", "sources[0].total", "sources[1].planned",
               "sources[3].previous", "sources_total.total", "sources_total.planned",
               "indicators.level1", "indicators.subproject", "indicators.name", "indicators.target",
               "indicators.explanation", "indicators.source"},
    "selfeval": {"year", "project.code", "project.name", "project.department", "project.unit", "funding.unit",
                 "execution.lines[0].item", "execution.lines[1].item", "execution.lines[3].item",
                 "execution.lines[0].initial", "execution.lines[0].planned", "execution.lines[0].executed",
                 "execution.lines[3].planned", "execution.weight", "execution.rate", "execution.score",
                 "execution.total_weight", "execution.total_score", "texts.annual_goal", "texts.actual",
                 "indicators.level1", "indicators.level2", "indicators.name", "indicators.target",
                 "indicators.actual", "indicators.weight", "indicators.score", "indicators.deviation"},
}


@pytest.fixture(scope="module")
def books():
    return {form: build(form) for form in FORMS}


def form_sheets(wb):
    return [ws for ws in wb.worksheets if not ws.title.startswith("_lists")]


# --------------------------------------------------------------------------
# model paths

HINTS = {}


def hints(cls):
    if cls not in HINTS:
        HINTS[cls] = typing.get_type_hints(cls, vars(model))
    return HINTS[cls]


def _unwrap(tp):
    """Optional[X] / X | None -> X."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return args[0]
    return tp


def resolve(path: str, root=model.Form):
    """The type at `path` (e.g. sources[0].total) or raise KeyError."""
    tp = root
    for tok in re.findall(r"\w+|\[\d+\]", path):
        tp = _unwrap(tp)
        if tok.startswith("["):
            if typing.get_origin(tp) is not list:
                raise KeyError(f"{path}: {tok} on a non-list")
            tp = typing.get_args(tp)[0]
            continue
        if not (isinstance(tp, type) and is_dataclass(tp)):
            raise KeyError(f"{path}: .{tok} on {tp}")
        h = hints(tp)
        if tok not in h:
            raise KeyError(f"{path}: {tp.__name__} has no field {tok}")
        tp = h[tok]
    return tp


def template_paths(wb) -> set[str]:
    """Every model path the workbook places; loop fields as LIST.field."""
    return set(template_cells(wb))


def template_cells(wb) -> dict[str, list]:
    """Model path (loop fields as LIST.field) -> the cells placing it."""
    out: dict[str, list] = {}
    for ws in form_sheets(wb):
        for row in ws.iter_rows():
            loop = None
            first = row[0]
            if first.comment and first.comment.text.startswith("jx:"):
                m = LOOP.match(first.comment.text.strip())
                assert m, f"{ws.title}!{first.coordinate}: bad loop note {first.comment.text!r}"
                loop = m.groups()
                item_type = typing.get_args(_unwrap(resolve(loop[1])))[0]
            for c in row:
                if not isinstance(c.value, str):
                    continue
                for expr in PLACEHOLDER.findall(c.value):
                    expr = expr.split("|", 1)[0].strip()     # `path | default("…")` reads to path
                    if loop and expr.split(".")[0] == loop[0]:
                        rest = expr.split(".", 1)[1]
                        resolve(rest, item_type)
                        out.setdefault(f"{loop[1]}.{rest}", []).append(c)
                    else:
                        assert not expr.startswith(("ind.", "line.", "sp.", "g.")), \
                            f"{ws.title}!{c.coordinate}: loop variable outside its loop row"
                        resolve(expr)
                        out.setdefault(expr, []).append(c)
    return out


# --------------------------------------------------------------------------
# structure

@pytest.mark.parametrize("form", FORMS)
def test_builds_with_properties(books, form):
    wb = books[form]
    region, title, _, sheets, _ = EXPECT[form]
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props == {"jx.form": form, "jx.region": region, "jx.title": title}
    assert [ws.title for ws in form_sheets(wb)] == sheets
    assert str(wb.properties.created) == str(wb.properties.modified) == "2024-01-01 00:00:00"


@pytest.mark.parametrize("form", FORMS)
def test_placeholders_are_model_paths(books, form):
    paths = template_paths(books[form])       # raises on a path the model lacks
    missing = SHOWN[form] - paths
    assert not missing, f"fields of the printed form without placeholder: {sorted(missing)}"


# Fields the printed form has no place for (the master list may carry them): kept right of the
# print area, after the check columns, under “补充信息（本栏不打印）”.
OFF_PRINT = {
    "sh2023": {"project.leader", "project.contact", "project.phone", "indicators.note",
               "indicators.explanation"},
    "sh2019": {"indicators.explanation"},
    "sz2021": {"funding.total", "funding.annual", "indicators.note"},
    "selfeval": set(),
}


def _print_boxes(ws) -> list[tuple]:
    from openpyxl.utils import range_boundaries
    area = ws.print_area
    areas = area if isinstance(area, list) else str(area).split(",")
    return [range_boundaries(a.split("!")[-1].replace("$", "")) for a in areas]


def _in_print_area(cell) -> bool:
    return any(lo_c <= cell.column <= hi_c and lo_r <= cell.row <= hi_r
               for lo_c, lo_r, hi_c, hi_r in _print_boxes(cell.parent))


@pytest.mark.parametrize("form", FORMS)
def test_off_print_fields(books, form):
    cells = template_cells(books[form])
    for path in OFF_PRINT[form]:
        assert path in cells, path
        off = [c for c in cells[path] if not _in_print_area(c)]
        assert off, f"{path} not outside the print area"
        for c in off:       # right of the helper and the check columns (✓, 计算值, 说明)
            assert c.column > max(box[2] for box in _print_boxes(c.parent)) + 4, c.coordinate
            assert not c.protection.locked
    for path in SHOWN[form]:                     # what the form prints stays in the print area
        assert any(_in_print_area(c) for c in cells[path]), path


def test_resolve_rejects_unknown_paths():
    with pytest.raises(KeyError):
        resolve("project.nmae")
    with pytest.raises(KeyError):
        resolve("funding.total.x")
    assert resolve("execution.lines[0].planned") is not None


@pytest.mark.parametrize("form", FORMS)
def test_taxonomy_dropdowns(books, form):
    wb = books[form]
    tax = yaml.safe_load((TEMPLATES / "taxonomy" / EXPECT[form][4]).read_text(encoding="utf-8"))
    lists = wb[f"_lists_{form}"]
    assert lists.sheet_state == "hidden" and lists.protection.sheet
    names = wb.defined_names

    def values(name):
        ref = names[name].attr_text
        sheet, rng = ref.split("!")
        return [c.value for row in wb[sheet.strip("'")][rng.replace("$", "")] for c in row]

    assert values(f"_{form}_一级_列表") == list(tax["level1"])
    for level1, spec in tax["level1"].items():
        if (spec or {}).get("level2"):
            assert values(f"_{form}_二级_{level1}") == list(spec["level2"])
            for alias in spec.get("aliases") or []:
                if f"_{form}_二级_{alias}" in names:
                    assert values(f"_{form}_二级_{alias}") == values(f"_{form}_二级_{level1}")
    formulas = [dv.formula1 for ws in form_sheets(wb) for dv in ws.data_validations.dataValidation]
    assert f"_{form}_一级_列表" in formulas
    if tax["levels"] > 1:
        assert any(f.startswith("INDIRECT(") and f"_{form}_二级_" in f for f in formulas)


@pytest.mark.parametrize("form,choice", [("sh2023", "项目性质"), ("sh2023", "项目类别"),
                                         ("sh2019", "项目类别2019"), ("sz2021", "是否"),
                                         ("sz2021", "项目类型")])
def test_choice_dropdowns(books, form, choice):
    wb = books[form]
    data = yaml.safe_load((TEMPLATES / "lists.yaml").read_text(encoding="utf-8"))
    name = f"_{form}_选项_{choice}"
    assert name in wb.defined_names
    formulas = [dv.formula1 for ws in form_sheets(wb) for dv in ws.data_validations.dataValidation]
    assert name in formulas
    assert data[choice]


@pytest.mark.parametrize("form", FORMS)
def test_print_setup_and_protection(books, form):
    orientation = EXPECT[form][2]
    for ws in form_sheets(books[form]):
        ps = ws.page_setup
        assert int(ps.paperSize) == 9 and ps.orientation == orientation
        assert ps.fitToWidth == 1 and ps.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area and ws.freeze_panes
        p = ws.protection
        assert p.sheet and not p.password
        assert p.formatRows is False and p.insertRows is False and p.deleteRows is False
        has_loop = any(c.comment for row in ws.iter_rows() for c in row[:1])
        if has_loop and ws.title != "制度保障":
            assert ws.print_title_rows
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert c.protection.locked, f"{ws.title}!{c.coordinate}: formula unlocked"
                elif isinstance(c.value, str) and re.fullmatch(r"\{\{[^}]*\}\}", c.value.strip()):
                    assert not c.protection.locked, f"{ws.title}!{c.coordinate}: field locked"
                elif isinstance(c.value, str) and "{{" not in c.value:
                    assert c.protection.locked, f"{ws.title}!{c.coordinate}: label unlocked"


@pytest.mark.parametrize("form", FORMS)
def test_money_format_and_checks(books, form):
    wb = books[form]
    money = [c for ws in form_sheets(wb) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and re.search(r"amount|funding\.(total|annual|fiscal|other)|"
                                                       r"details_total|subprojects_total|\.planned|\.executed",
                                                       c.value) and c.value.startswith("{{")]
    assert money and all(c.number_format == "#,##0.00" for c in money)
    checks = [c.value for ws in form_sheets(wb) for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("=") and '"✓","✗"' in c.value]
    assert len(checks) >= 3


def test_formula_checks_named_in_the_brief(books):
    def formulas(form):
        return " ".join(c.value for ws in form_sheets(books[form]) for row in ws.iter_rows() for c in row
                        if isinstance(c.value, str) and c.value.startswith("="))
    assert "SUM(D10:D10)" in formulas("sh2019")                  # 金额合计 = 明细
    assert "SUM(E18:E18)" in formulas("sz2021")                  # 子项目 合计
    assert "N(E6)-N(E7)-N(E8)-N(E9)" in formulas("sh2023")       # 年度资金 = 财政 + 结转 + 其他
    assert "N(E6)/D6" in formulas("selfeval")                    # 执行率
    assert "SUM(H13:H13)" in formulas("selfeval")                # 总分


@pytest.mark.parametrize("form", FORMS)
def test_macro_free(tmp_path, form):
    path = tmp_path / f"{form}.xlsx"
    path.write_bytes(build_bytes(form))
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert not any("vba" in n.lower() for n in names)
        assert "macroEnabled" not in z.read("[Content_Types].xml").decode()


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_all(a)
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-m", "generator.forms", str(b)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    for form in FORMS:
        assert (a / f"{form}.xlsx").read_bytes() == (b / f"{form}.xlsx").read_bytes(), form


@pytest.mark.parametrize("form", FORMS)
def test_committed_template_is_current(form):
    """templates/<form>.xlsx is what generator/forms builds (run `python -m generator.forms`)."""
    assert (TEMPLATES / f"{form}.xlsx").read_bytes() == build_bytes(form)


def test_autofit_grows_rows_for_long_text(books):
    wb = build("sh2023")
    ws = wb["绩效目标申报表"]
    ws["B11"] = "很长的文字" * 200
    before = ws.row_dimensions[11].height
    autofit_rows(ws)
    assert ws.row_dimensions[11].height > before
    ws["B3"] = "短"
    h = ws.row_dimensions[3].height
    autofit_rows(ws)
    assert ws.row_dimensions[3].height == h


# --------------------------------------------------------------------------
# LibreOffice

needs_office = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")


def _pdf(xlsx: Path, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=240)
    pdf = out / (xlsx.stem + ".pdf")
    assert pdf.exists()
    return pdf


def _text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) not installed")
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, timeout=60).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def _appears(text: str, page: str) -> bool:
    """`text` on the page; a cell wrapped over lines may interleave with its neighbours."""
    text = re.sub(r"\s+", "", text)
    if text in page:
        return True
    head = text[:4]
    for m in re.finditer(re.escape(head), page):
        window, pos = page[m.start(): m.start() + 4 * len(text) + 80], 0
        for ch in text:
            pos = window.find(ch, pos)
            if pos < 0:
                break
            pos += 1
        else:
            return True
    return False


@needs_office
def test_templates_print(tmp_path):
    build_all(tmp_path)
    for form in FORMS:
        page = _text(_pdf(tmp_path / f"{form}.xlsx", tmp_path))
        assert re.sub(r"\s", "", EXPECT[form][1]) in page
        assert "一级" in page or "类别" in page


def _render(seed: Path, out: Path) -> Path:
    return render_seed(seed, out)


SEEDS = sorted(FIXTURES.glob("seed00*.yaml"))


@needs_office
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_text_on_the_page(tmp_path, seed):
    from generator.yamlio import load_book
    page = _text(_pdf(_render(seed, tmp_path / f"{seed.stem}.xlsx"), tmp_path))
    missing, n = [], 0
    for form in load_book(seed).forms:
        texts = [form.project.name, form.project.unit, form.project.leader]
        texts += [t for i in form.indicators for t in (i.level1, i.level2, i.name, i.target)]
        texts += [d.item for d in form.details] + [g.document for g in form.guarantees]
        texts += [s.name for s in form.subprojects]
        for t in filter(None, texts):
            n += 1
            if not _appears(t, page):
                missing.append(t)
    assert n and not missing, missing[:10]


def _csv(xlsx: Path, out: Path) -> dict[str, str]:
    """Every sheet as CSV text (LibreOffice recalculates formulas on load)."""
    subprocess.run(["soffice", "--headless", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                    "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=240)
    return {p.stem[len(xlsx.stem) + 1:]: p.read_text(encoding="utf-8") for p in out.glob(xlsx.stem + "-*.csv")}


@needs_office
def test_checks_compute_in_libreoffice(tmp_path):
    """The seeds' facts hold on the rendered forms: every money check shows ✓."""
    seeds = {s.stem: s for s in SEEDS}
    for stem, sheet, expect in (("seed000", "绩效目标", ["6000000,金额合计 = 各明细金额之和"]),
                                ("seed002", "绩效目标申报表", ["4000,子项目"]),
                                ("seed003", "教育改革试点和发展引导经费 _代编", ["98.89,总分得分"]),
                                ("seed003", "内涵建设经费", ["98.96,总分得分"])):
        if stem not in seeds:
            continue
        sheets = _csv(_render(seeds[stem], tmp_path / f"{stem}.xlsx"), tmp_path)
        text = sheets[sheet]
        for line in text.splitlines():
            if "=" in line and ("金额" in line or "总分" in line or "执行率" in line or "预算数" in line):
                assert "✗" not in line, line
        for e in expect:
            assert any(e in line and "✓" in line for line in text.splitlines()), (e, text[-800:])


@needs_office
def test_addin_formula_shows_plain_text_without_the_addin(tmp_path):
    """JX_RMB is wrapped: LibreOffice (no add-in) shows the hint text, not #NAME?."""
    from generator.forms.sh2019 import NO_ADDIN
    seed = next(s for s in SEEDS if s.stem == "seed000")
    text = _csv(_render(seed, tmp_path / "seed000.xlsx"), tmp_path)["绩效目标"]
    line = next(line for line in text.splitlines() if "人民币大写" in line)
    assert NO_ADDIN in line and "#NAME" not in text and "Err:" not in text
