"""`jixiao rollup`: a folder of unit workbooks into the district summary.

Inputs are made by the product itself: the bundled master list generated into
one workbook per unit, and forms rendered by the template engine.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from bench.synthetic import forms as synthetic_forms
from generator import cli, fixedzip
from generator.errors import JixiaoError
from generator.generate import generate
from generator.model import Book, effective_levels
from generator.rollup import rollup, summary
from generator.rollup.collect import Collection, FileResult, Merger, project_record
from generator.rollup.scan import CORRUPT, ENCRYPTED, LOCK, NOT_WORKBOOK, OLD_FORMAT, SourceFile, classify
from generator.rollup import sheetxml
from generator.rollup.sheetxml import Palette
from generator.rules import check_forms
from generator.template import read_workbook, render_book
from generator.xmltext import escaped

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "samples" / "项目清单.xlsx"
needs_office = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) 未安装")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The bundled master list generated into one workbook per unit."""
    folder = tmp_path_factory.mktemp("generated") / "units"
    generate(MASTER, folder)
    return folder


@pytest.fixture
def units(generated, tmp_path) -> Path:
    folder = tmp_path / "报送"
    shutil.copytree(generated, folder)
    return folder


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def records(path: Path, name: str) -> list[dict]:
    rows = sheet(path, name)
    return [dict(zip(rows[0], r)) for r in rows[1:] if r[0] != "合计"]


def dec(value) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def forms_total(files) -> tuple[Decimal, int, int]:
    """Σ 项目资金总额 (元), forms and indicators, reading each file on its own."""
    total, count, indicators = Decimal(0), 0, 0
    for path in files:
        for form in read_workbook(path).book.forms:
            factor = 10000 if form.funding.unit == "万元" else 1
            total += form.funding.total * factor
            count += 1
            indicators += len(form.indicators)
    return total, count, indicators


# --- the summary of generated sample workbooks ------------------------------------

def test_rollup_of_generated_workbooks_conserves_every_amount_and_row(units, tmp_path):
    before = hashes(units)
    files = sorted(units.glob("*.xlsx"))
    expected, count, indicators = forms_total(files)
    out = tmp_path / "汇总.xlsx"
    outcome = rollup(units, out)

    assert outcome.total == expected
    projects = records(out, "项目汇总")
    assert len(projects) == count == len(outcome.collection.projects)
    assert sum(dec(p["项目资金总额（元）"]) for p in projects) == expected
    total_row = sheet(out, "项目汇总")[1]
    assert total_row[0] == "合计" and dec(total_row[8]) == expected
    assert sum(dec(u["项目资金总额（元）"]) for u in records(out, "单位汇总")) == expected
    assert len(records(out, "单位汇总")) == len(files)
    assert len(records(out, "指标明细")) == indicators
    findings = sum(len(read_workbook(f).findings) + len(check_forms(read_workbook(f).book.forms)) for f in files)
    assert len(records(out, "校验结果")) == findings
    sources = records(out, "来源")
    assert [s["文件"] for s in sources] == [f.name for f in files]
    assert all(s["状态"] == "已读取" for s in sources)
    assert {s["SHA-256"] for s in sources} == set(before.values())
    assert hashes(units) == before


def test_summary_bytes_are_the_same_for_the_same_inputs(units, tmp_path):
    rollup(units, tmp_path / "a.xlsx")
    rollup(units, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_pool_and_sequential_reads_give_the_same_summary(units, tmp_path):
    for n in range(3):                 # 27 files: above the pool threshold, all copies
        shutil.copytree(units, tmp_path / "many" / f"批次{n}", ignore=shutil.ignore_patterns("批次*"))
    rollup(tmp_path / "many", tmp_path / "pool.xlsx", jobs=2)
    outcome = rollup(tmp_path / "many", tmp_path / "one.xlsx", jobs=1)
    assert (tmp_path / "pool.xlsx").read_bytes() == (tmp_path / "one.xlsx").read_bytes()
    assert len(outcome.collection.duplicates) == 2 * len(outcome.collection.projects)


def test_summary_has_links_charts_tables_and_sum_formulas(units, tmp_path):
    out = tmp_path / "汇总.xlsx"
    rollup(units, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["项目汇总", "单位汇总", "分类汇总", "指标明细", "校验结果", "来源"]
    ws = wb["项目汇总"]
    assert ws["I2"].value == f"=SUM(I3:I{ws.max_row})"
    link = ws["U3"].hyperlink
    assert link.target == f"报送/{ws['U3'].value}#'{ws['V3'].value}'!A1"
    assert len(wb["单位汇总"]._charts) == 1 and len(wb["分类汇总"]._charts) == 2
    assert "指标明细表" in wb["指标明细"].tables and "校验结果表" in wb["校验结果"].tables


# --- what can't be read is listed, nothing else is lost ----------------------------

def make_xls(src: Path, folder: Path, tmp_path: Path) -> Path:
    lo = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xls", "--outdir", str(lo), str(src)], check=True, capture_output=True,
                   timeout=180)
    return Path(shutil.move(str(lo / (src.stem + ".xls")), folder / "旧格式.xls"))


def encrypt(src: Path, dst: Path) -> None:
    from msoffcrypto.format import ooxml
    with src.open("rb") as f, dst.open("wb") as out:
        ooxml.OOXMLFile(f).encrypt("密码123", out)


@needs_office
def test_a_folder_with_bad_files_lists_each_and_loses_nothing(units, tmp_path):
    files = sorted(units.glob("*.xlsx"))
    expected, count, _ = forms_total(files)
    macro = files[0].rename(files[0].with_suffix(".xlsm"))
    encrypt(files[1], units / "加密.xlsx")
    (units / "损坏.xlsx").write_bytes(files[2].read_bytes()[:3000])
    (units / "不是表格.xlsx").write_text("这不是工作簿", encoding="utf-8")
    make_xls(files[3], units, tmp_path)
    (units / f"~${files[4].name}").write_bytes(b"\x08user    " + b"\x00" * 150)
    plain = openpyxl.Workbook()
    plain.active.append(["单位", "金额"])
    plain.save(units / "通讯录.xlsx")
    (units / "补报").mkdir()
    shutil.copy(files[5], units / "补报" / files[5].name)
    (units / "说明.txt").write_text("报送说明", encoding="utf-8")
    before = hashes(units)

    out = tmp_path / "汇总.xlsx"
    outcome = rollup(units, out)

    assert outcome.total == expected
    assert len(records(out, "项目汇总")) == count
    status = {s["文件"]: (s["状态"], s["说明"]) for s in records(out, "来源")}
    assert len(status) == len(before)
    assert status[macro.name][0] == "已读取" and "宏" in status[macro.name][1]
    assert status["加密.xlsx"] == ("未读取", ENCRYPTED)
    assert status["损坏.xlsx"][0] == "未读取" and "无法读取" in status["损坏.xlsx"][1]
    assert status["不是表格.xlsx"] == ("未读取", CORRUPT)
    assert status["旧格式.xls"] == ("未读取", OLD_FORMAT)
    assert status[f"~${files[4].name}"] == ("未读取", LOCK)
    assert status["通讯录.xlsx"][0] == "未读取" and "没有找到可识别的表单" in status["通讯录.xlsx"][1]
    assert status["说明.txt"] == ("未读取", NOT_WORKBOOK)
    copies = [f for f in outcome.collection.findings if f.rule == "rollup.duplicate"]
    assert len(copies) == len(read_workbook(files[5]).book.forms)
    assert all(f.file == f"补报/{files[5].name}" and files[5].name in f.message for f in copies)
    marked = [p for p in records(out, "项目汇总") if p["重复"]]
    assert len(marked) == len(copies) and all(f"补报/{files[5].name}" in p["重复"] for p in marked)
    assert hashes(units) == before


def test_classify_by_name_and_bytes():
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert classify("~$汇总.xlsx", b"PK\x03\x04") == LOCK
    assert classify("a.xlsx", cfb + "EncryptedPackage".encode("utf-16-le")) == ENCRYPTED
    assert classify("a.xlsx", cfb) == OLD_FORMAT
    assert classify("a.xls", cfb) == OLD_FORMAT
    assert classify("a.xlsx", b"PK\x03\x04rest") == ""
    assert classify("a.xlsx", b"<html>") == CORRUPT
    assert classify("a.docx", b"PK\x03\x04") == NOT_WORKBOOK


# --- values only ------------------------------------------------------------------

def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    form = synthetic_forms(1, 3)[0]
    texts = ["=1+1", "+SUM(1,2)", "-2+3", "@A1"]
    form.project.unit, form.project.name, form.project.category, form.project.nature = texts
    form.indicators[0].target = '=HYPERLINK("http://example.invalid","x")'
    render_book(Book(forms=[form]), folder / "单位.xlsx")
    out = tmp_path / "汇总.xlsx"
    rollup(folder, out)
    with zipfile.ZipFile(out) as zf:
        formulas = {m for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
                    for m in re.findall(r"<f>([^<]*)</f>", zf.read(n).decode())}
    assert all(re.fullmatch(r"SUM\([A-Z]+3:[A-Z]+\d+\)", f) for f in formulas)
    ws = openpyxl.load_workbook(out)["项目汇总"]
    assert [ws.cell(3, c).value for c in (3, 5, 7, 6)] == texts
    assert all(ws.cell(3, c).data_type == "s" for c in (3, 5, 6, 7))


# --- LibreOffice computes the same totals -----------------------------------------

def without_cached_formula_values(src: Path, dst: Path) -> None:
    """A copy whose formulas carry no value: a reader must compute them."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            zout.writestr(name, data)


@needs_office
def test_libreoffice_computes_the_same_totals(units, tmp_path):
    out = tmp_path / "汇总.xlsx"
    outcome = rollup(units, out)
    bare = tmp_path / "bare.xlsx"
    without_cached_formula_values(out, bare)
    csv = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(csv), str(bare)], check=True, capture_output=True, timeout=180)
    totals = {}
    for name, columns in (("项目汇总", (8, 9, 10)), ("单位汇总", (3,)), ("分类汇总", (2, 8))):
        row = (csv / f"bare-{name}.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
        totals[name] = [Decimal(row[c]) for c in columns]
    c = outcome.collection
    fiscal = sum(p.fiscal for p in c.projects)
    other = sum(p.other for p in c.projects)
    assert totals == {"项目汇总": [outcome.total, fiscal, other], "单位汇总": [outcome.total],
                      "分类汇总": [outcome.total, outcome.total]}


# --- roster, previous summary, forms ------------------------------------------------

def test_roster_lists_units_that_sent_nothing(units, tmp_path):
    roster = tmp_path / "单位名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位名单"])
    wb.active.append(["序号", "单位名称", "联系人"])
    sent = ["上海市闵行区教育学院", "闵行区春申中学"]
    for n, unit in enumerate([*sent, "闵行区未报中学", "闵行区迟交幼儿园"], 1):
        wb.active.append([n, unit, f"联系人{n}"])
    wb.save(roster)
    out = tmp_path / "汇总.xlsx"
    rollup(units, out, roster=roster)
    assert sheet(out, "未报送单位") == [["序号", "序号", "单位名称", "联系人"],
                                       [1, 3, "闵行区未报中学", "联系人3"], [2, 4, "闵行区迟交幼儿园", "联系人4"]]


def test_previous_summary_gives_the_changes(tmp_path):
    forms = synthetic_forms(4, 4)
    old, new = tmp_path / "old", tmp_path / "new"
    render_book(Book(forms=forms[:3]), old.mkdir() or old / "单位.xlsx")
    changed = [replace(forms[0], funding=replace(forms[0].funding, total=Decimal("123.45"))),
               replace(forms[1], indicators=[replace(forms[1].indicators[0], target="≥99%"),
                                             *forms[1].indicators[1:3]]),
               forms[3]]
    render_book(Book(forms=changed), new.mkdir() or new / "单位.xlsx")
    rollup(old, tmp_path / "上次.xlsx")
    out = tmp_path / "汇总.xlsx"
    rollup(new, out, previous=tmp_path / "上次.xlsx")
    rows = [r[:5] + [str(v) for v in r[5:]] for r in sheet(out, "变动")[1:]]
    read = [*read_workbook(old / "单位.xlsx").book.forms, *read_workbook(new / "单位.xlsx").book.forms]
    code = {f.project.name: f.project.code for f in read}      # as the template carries it, or ''
    f0, f1, f2, f3 = forms[:4]
    ind = f1.indicators
    assert rows == [
        ["金额变动", code[f0.project.name], f0.project.unit, f0.project.name, "项目资金总额（元）",
         str(f0.funding.total), "123.45"],
        ["指标值变动", code[f1.project.name], f1.project.unit, f1.project.name,
         f"{ind[0].level1}/{ind[0].level2}/{ind[0].name}", ind[0].target, "≥99%"],
        ["删除指标", code[f1.project.name], f1.project.unit, f1.project.name,
         "/".join(effective_levels(ind)[3]) + f"/{ind[3].name}", ind[3].target, ""],
        ["新增项目", code[f3.project.name], f3.project.unit, f3.project.name, "", "", ""],
        ["删除项目", code[f2.project.name], f2.project.unit, f2.project.name, "", "", ""],
    ]


def test_with_forms_puts_each_project_form_in_the_summary(units, tmp_path):
    out = tmp_path / "汇总.xlsx"
    outcome = rollup(units, out, with_forms=True)
    again = read_workbook(out)
    assert len(again.book.forms) == len(outcome.collection.projects)
    assert sum(f.funding.total for f in again.book.forms) == outcome.total
    ws = openpyxl.load_workbook(out)["项目汇总"]
    assert ws["V3"].hyperlink.location == f"'{again.book.forms[0].sheet}'!A1"


# --- safety of the target -----------------------------------------------------------

def test_an_open_target_is_not_overwritten(units, tmp_path):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    (tmp_path / "~$汇总.xlsx").write_bytes(b"lock")
    with pytest.raises(JixiaoError, match="正在被打开.*没有覆盖任何文件"):
        rollup(units, out)
    assert out.read_bytes() == b"old"


def test_a_total_that_does_not_match_aborts_without_writing(units, tmp_path, monkeypatch):
    monkeypatch.setattr(Collection, "read_total", property(lambda self: Decimal("1")))
    out = tmp_path / "汇总.xlsx"
    with pytest.raises(JixiaoError, match="汇总核对不符"):
        rollup(units, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报送"]


def test_a_sheet_taller_than_excel_allows_aborts_without_writing(units, tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "MAX_ROWS", 100)     # more than 项目汇总 needs, less than 指标明细
    out = tmp_path / "汇总.xlsx"
    with pytest.raises(JixiaoError, match="工作表“指标明细”将有 .* 行，超过 Excel/WPS 每个工作表 100 行的上限.*没有覆盖任何文件"):
        rollup(units, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报送"]


def test_command_line(units, tmp_path, monkeypatch, capsys):
    if "rollup" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "rollup"])
    out = tmp_path / "汇总.xlsx"
    code = cli.main(["rollup", str(units), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1                              # the sample forms carry 错误 findings
    assert "已汇总 9 个文件中的 29 个项目" in captured.out and "汇总表" in captured.out
    assert captured.err == ""                     # no progress bar when not a terminal
    assert out.exists()


# --- merging and amounts ------------------------------------------------------------

def _result(rel: str, forms) -> FileResult:
    source = SourceFile(rel, rel, 1, "0" * 64)
    return FileResult(source, [project_record(f, rel, [], False) for f in forms])


def merge(results: list[FileResult]) -> Collection:
    merger = Merger()
    for result in results:
        merger.add(result)
    return merger.collection


def test_same_code_in_two_files_is_counted_once_with_both_named():
    a, b = synthetic_forms(2, 2)
    b.project.code, b.project.name = a.project.code, "另一个名称"
    merged = merge([_result("甲.xlsx", [a]), _result("乙.xlsx", [b])])
    assert [p.file for p in merged.projects] == ["甲.xlsx"] and len(merged.duplicates) == 1
    assert merged.projects[0].duplicate_of == [f"乙.xlsx!{b.sheet}"]
    (finding,) = [f for f in merged.findings if f.rule == "rollup.duplicate"]
    assert finding.file == "乙.xlsx" and f"甲.xlsx!{a.sheet}" in finding.message and "项目编码" in finding.message
    assert merged.read_total - merged.dropped_total == a.funding.total


def test_each_file_is_merged_as_it_comes_and_its_copies_are_known_at_once():
    """The roll-up numbers a file's 指标明细 rows while later files are still being read:
    which of its projects are kept must be known when it comes."""
    a, b, c = synthetic_forms(3, 2)
    c.project.unit, c.project.name = a.project.unit, a.project.name          # same unit and name as a
    merger = Merger()
    assert [p.name for p in merger.add(_result("甲.xlsx", [a]))] == [a.project.name]
    assert [p.code for p in merger.add(_result("乙.xlsx", [b, c]))] == [b.project.code]   # c: a copy of a
    merged = merger.collection
    assert [p.place for p in merged.projects] == [f"甲.xlsx!{a.sheet}", f"乙.xlsx!{b.sheet}"]
    assert [p.place for p in merged.duplicates] == [f"乙.xlsx!{c.sheet}"]
    (finding,) = [f for f in merged.findings if f.rule == "rollup.duplicate"]
    assert finding.file == "乙.xlsx" and "实施单位与项目名称" in finding.message


def test_amounts_in_wan_yuan_become_yuan_and_text_is_kept_out_of_totals():
    form = synthetic_forms(1, 2)[0]
    form.funding.unit, form.funding.total, form.funding.fiscal = "万元", Decimal("12.5"), "约十万"
    record = project_record(form, "甲.xlsx", [], False)
    assert record.total == Decimal("125000") and record.fiscal == "约十万"
    (finding,) = record.findings
    assert finding.rule == "rollup.amount" and "约十万" in finding.message


def test_an_old_summary_in_the_folder_is_named_and_not_counted(units, tmp_path):
    files = sorted(units.glob("*.xlsx"))
    expected, count, _ = forms_total(files)
    first = rollup(units, tmp_path / "汇总.xlsx")
    shutil.copy(first.out, units / "去年汇总.xlsx")
    again = rollup(units, tmp_path / "汇总2.xlsx")
    assert again.total == first.total == expected
    failed = {r.source.rel: r.problem for r in again.collection.failed}
    assert "汇总表" in failed["去年汇总.xlsx"]
    assert not [f for f in again.collection.findings if f.file == "去年汇总.xlsx"]


def test_indicator_rows_written_ahead_are_those_the_summary_would_write():
    form = synthetic_forms(1, 4)[0]
    ahead = project_record(form, "a.xlsx", [], False)
    summary.prepare(FileResult(SourceFile("a", "a.xlsx", 1, "x"), projects=[ahead]))
    late = project_record(form, "a.xlsx", [], False)
    assert ahead.detail_xml and late.detail_xml is None
    assert summary.indicator_plan([ahead]).blocks[0].rows == summary.indicator_plan([late]).blocks[0].rows
    palette = Palette(openpyxl.Workbook())
    assert [palette.id(c.fmt, link=c.link) for c in summary.DETAIL_COLUMNS] == summary.DETAIL_STYLES


def test_the_summary_gets_the_permissions_of_any_saved_file(units, tmp_path):
    out = tmp_path / "汇总.xlsx"
    rollup(units, out)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_amount_finer_than_a_fen_is_rounded_and_said(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, form in enumerate(synthetic_forms(2, 3)):
        form.funding.unit = "万元"
        form.funding.total = Decimal(repr(100 / 3)) if i == 0 else Decimal(500)   # =100/3 as Excel caches it
        render_book(Book(forms=[form]), folder / f"单位{i}.xlsx")
    outcome = rollup(folder, tmp_path / "汇总.xlsx")
    assert outcome.total == Decimal("5333333.33")
    notes = [f for f in outcome.collection.findings if f.rule == "rollup.amount"]
    assert [(f.severity, "汇总按 333333.33 元计" in f.message) for f in notes] == [("提示", True)]


def test_texts_and_file_names_xml_cannot_hold_still_give_a_valid_summary(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    form = synthetic_forms(1, 3)[0]
    form.project.name = "项目\x01甲_x0041_x0042_\r\n乙"
    render_book(Book(forms=[form]), folder / "单位\x1b\ufffe甲.xlsx")
    out = tmp_path / "汇总.xlsx"
    rollup(folder, out, with_forms=True)
    wb = openpyxl.load_workbook(out)                     # every part is well-formed XML
    assert "001 项目甲-x0041-x0042_ 乙" in wb.sheetnames       # no _xHHHH_ in a sheet name
    row = records(out, "项目汇总")[0]
    assert row["项目名称"] == "项目甲_x0041_x0042_\r\n乙" and row["来源文件"] == "单位\x1b甲.xlsx".replace("\x1b", "")


def test_indicator_rows_keep_percent_signs_and_their_numbers_after_a_dropped_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(fixedzip, "PIECE", 4096)         # the big sheets deflated in many pieces
    folder = tmp_path / "in"
    folder.mkdir()
    forms = synthetic_forms(3, 4)
    forms[0].indicators[0].target = "≥95%"
    forms[0].indicators[1].target = "100%%（%d）"
    for i, form in enumerate(forms):
        render_book(Book(forms=[form]), folder / f"单位{i}.xlsx")
    shutil.copy(folder / "单位1.xlsx", folder / "单位1副本.xlsx")     # read second, dropped as a copy
    out = tmp_path / "汇总.xlsx"
    rollup(folder, out)
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
    got = [(r["项目名称"], int(r["序号"]), r["指标值"], r["单元格"]) for r in records(out, "指标明细")]
    want = [(f.project.name, n, ind.target, f.cell_of(f"indicators[{n - 1}].target"))
            for f in read_workbook(folder / "单位0.xlsx").book.forms + read_workbook(folder / "单位1.xlsx").book.forms
            + read_workbook(folder / "单位2.xlsx").book.forms for n, ind in enumerate(f.indicators, 1)]
    assert got == want and got[0][2] == "≥95%" and got[1][2] == "100%%（%d）"
    rows = openpyxl.load_workbook(out, read_only=True)["指标明细"].iter_rows(min_row=2, values_only=True)
    assert [(r[2], r[3], r[7]) for r in rows] == [(n, s, t) for n, s, t, _ in got]   # every cell in its row


def test_a_package_deflated_in_pieces_reads_back_and_is_the_same_each_time(tmp_path, monkeypatch):
    monkeypatch.setattr(fixedzip, "PIECE", 1000)
    chunks = [os.urandom(n).hex().encode() for n in (300, 700, 1, 2500, 0, 10)]
    pieces = []
    deflate = fixedzip._deflate
    monkeypatch.setattr(fixedzip, "_deflate", lambda piece, *rest: pieces.append(len(piece)) or deflate(piece, *rest))

    def parts():
        return [("a.xml", iter(chunks)), ("空.xml", b""), ("空2.xml", iter([])), ("b/c.xml", b"<x/>" * 999)]
    fixedzip.write_package(tmp_path / "1.zip", parts(), 3)
    fixedzip.write_package(tmp_path / "2.zip", parts(), 3)
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    # a.xml: 600 + 1400 bytes, then 2 + 5000, then what is left: a piece is never cut inside a chunk;
    # b/c.xml, past PIECE, then an empty last piece
    assert sorted(pieces[:len(pieces) // 2]) == sorted([2000, 5002, 20, 0, 0, 3996, 0])
    with zipfile.ZipFile(tmp_path / "1.zip") as package:
        assert package.testzip() is None
        assert [(i.filename, package.read(i)) for i in package.infolist()] == \
            [("a.xml", b"".join(chunks)), ("空.xml", b""), ("空2.xml", b""), ("b/c.xml", b"<x/>" * 999)]


PIECES = ["a", "中", " ", "\t", "\n", "\r", "%", "&", "<", "_", "_x000D_", "\x00", "\x1f", "\ud800", "\uffff", "\u3000", "="]
TEXTS = st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_text_contents_made_together_are_each_made_alone(values):
    """The indicator sheet's texts are escaped, encoded and their `%` doubled as one joined string:
    the same contents as one by one, through the Memo too, and each reads back as its text."""
    alone = [sheetxml._texts([v])[0] for v in values]
    assert sheetxml._texts(values) == alone
    memo = sheetxml.Memo(sheetxml._text, maxsize=3)
    assert memo.many(values, sheetxml._texts) == alone == [memo[v] for v in values]
    for value, content in zip(values, alone):
        cell = ElementTree.fromstring(b"<c" + (content % ()) + b"</c>")         # its `%%` made `%` again
        assert ("".join(cell.itertext()), cell.get("t")) == ((escaped(value), "inlineStr") if value else ("", None))


def test_rows_written_ahead_get_their_numbers_and_blanks_stay_empty_cells():
    ahead = sheetxml.render_ahead([(7,), ("",), (None,)], [0, 5, 0], {0: "P%1", 2: "乙 "})
    body = sheetxml.Body([["甲", 1.5, None], ahead, ["短"]], [0, 5, 0], row_styles={0: [0, 9, 0]})
    rows = ElementTree.fromstring(b"<d>" + b"".join(sheetxml.rows_xml(body)) + b"</d>")
    got = [(row.get("r"), [(c.get("r"), c.get("s"), "".join(c.itertext())) for c in row]) for row in rows]
    assert got == [("2", [("A2", None, "甲"), ("B2", "9", "1.5"), ("C2", None, "")]),
                   ("3", [("A3", None, "P%1"), ("B3", "5", "7"), ("C3", None, "乙 ")]),
                   ("4", [("A4", None, "P%1"), ("B4", "5", ""), ("C4", None, "乙 ")]),
                   ("5", [("A5", None, "P%1"), ("B5", "5", ""), ("C5", None, "乙 ")]),
                   ("6", [("A6", None, "短"), ("B6", "5", ""), ("C6", None, "")])]
    assert [c.get("t") for c in rows[2]] == ["inlineStr", None, "inlineStr"]      # a blank is a cell, no value
    # numbered ahead, where the rows before it are known: the same XML; placed elsewhere: refused
    early = sheetxml.Body([["甲", 1.5, None], ahead.placed(3), ["短"]], [0, 5, 0], row_styles={0: [0, 9, 0]})
    assert b"".join(sheetxml.rows_xml(early)) == b"".join(sheetxml.rows_xml(body))
    with pytest.raises(RuntimeError):
        list(sheetxml.rows_xml(sheetxml.Body([["甲", 1, None], ahead.placed(2)], [0, 5, 0])))
    assert rows[1][2][0][0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
