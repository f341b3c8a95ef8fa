"""The `jixiao` command line: tables, JSON, exit codes, and no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def jixiao(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT)


def test_validate_json_has_the_documented_keys():
    run = jixiao("validate", "--json", FIXTURES / "seed001.yaml")
    assert run.returncode == 1, run.stderr
    rows = json.loads(run.stdout)
    assert rows and set(rows[0]) == {"file", "sheet", "cell", "project", "indicator",
                                     "rule", "severity", "message"}
    assert {r["severity"] for r in rows} <= {"错误", "提示"}


def test_validate_table_and_summary():
    run = jixiao("validate", FIXTURES / "seed004.yaml")
    assert run.returncode == 1
    assert "个错误" in run.stdout and "hierarchy.misplaced" in run.stdout


def test_exit_zero_without_errors(tmp_path):
    clean = tmp_path / "clean.yaml"
    clean.write_text((FIXTURES / "seed004.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    from generator.rules import check_form
    from generator.yamlio import load_book, save_book
    book = load_book(clean)
    book.forms = [f for f in book.forms if not any(x.severity == "错误" for x in check_form(f))]
    assert book.forms, "some seed 004 project has no 错误"
    save_book(book, clean)
    assert jixiao("validate", clean).returncode == 0


def test_unreadable_input_exits_2_with_a_chinese_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("forms: [ {form: sh2023, year: 2023, project: {name: x, colour: red}} ]", encoding="utf-8")
    run = jixiao("validate", bad)
    assert run.returncode == 2
    assert "未知字段" in run.stderr and "bad.yaml" in run.stderr and "Traceback" not in run.stderr
    missing = jixiao("validate", tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "文件不存在" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("forms: [\n  - {", encoding="utf-8")
    run = jixiao("validate", broken)
    assert run.returncode == 2 and "YAML 格式错误" in run.stderr


def test_score_prints_the_printed_totals():
    run = jixiao("score", "--json", FIXTURES / "seed003.yaml")
    assert run.returncode == 0, run.stderr
    scores = json.loads(run.stdout)
    assert [(s["执行率"], s["执行率得分"], s["总分"]) for s in scores] == [
        ("98.88%", "9.89", "98.89"), ("99.62%", "9.96", "98.96")]
    table = jixiao("score", FIXTURES / "seed003.yaml")
    assert "98.89" in table.stdout and "等级：优" in table.stdout


def test_score_refuses_a_form_that_is_not_a_self_evaluation():
    run = jixiao("score", FIXTURES / "seed004.yaml")
    assert run.returncode == 2 and "不是绩效自评表" in run.stderr


def test_unwritable_output_is_a_sentence_not_a_crash(tmp_path):
    run = jixiao("render", FIXTURES / "seed004.yaml", "-o", tmp_path / "没有的文件夹" / "x.xlsx")
    assert run.returncode == 2
    assert "无法读写" in run.stderr and "没有的文件夹" in run.stderr and "内部错误" not in run.stderr


def test_an_unreadable_file_does_not_hide_the_others(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    run = jixiao("validate", "--json", bad, FIXTURES / "seed004.yaml")
    assert run.returncode == 2 and "坏.xlsx" in run.stderr
    rows = json.loads(run.stdout)
    assert rows[0]["rule"] == "read.file" and "坏.xlsx" in rows[0]["message"]
    assert any(r["file"].endswith("seed004.yaml") for r in rows)


def test_render_and_read_refuse_to_overwrite_their_input(tmp_path):
    data = tmp_path / "s.yaml"
    data.write_bytes((FIXTURES / "seed004.yaml").read_bytes())
    before = data.read_bytes()
    run = jixiao("render", data, "-o", data)
    assert run.returncode == 2 and "不能是输入文件本身" in run.stderr and data.read_bytes() == before
    book = tmp_path / "s.xlsx"
    assert jixiao("render", data, "-o", book).returncode == 0
    before = book.read_bytes()
    run = jixiao("read", book, "-o", book)
    assert run.returncode == 2 and book.read_bytes() == before


def test_bad_values_in_yaml_are_reported_not_crashes(tmp_path):
    text = (FIXTURES / "seed004.yaml").read_text(encoding="utf-8")
    odd = tmp_path / "odd.yaml"
    odd.write_text(text.replace("total: 478642.60", "total: .nan", 1)
                   .replace("start: 2023-01-01", "start: 2023-13-01", 1), encoding="utf-8")
    run = jixiao("validate", "--json", odd)
    assert run.returncode == 1 and "内部错误" not in run.stderr
    messages = [r["message"] for r in json.loads(run.stdout)]
    assert any("不是数字" in m for m in messages) and any("不是日期" in m for m in messages)
    listy = tmp_path / "listy.yaml"
    listy.write_text(text.replace("total: 478642.60", "total: [1, 2]", 1), encoding="utf-8")
    run = jixiao("render", listy, "-o", tmp_path / "x.xlsx")
    assert run.returncode == 2 and "应为单个值" in run.stderr


def test_huge_and_missing_amounts_are_errors(tmp_path):
    from generator.rules import check_form
    from generator.yamlio import load_book
    form = load_book(FIXTURES / "seed004.yaml").forms[0]
    form.funding.total = Decimal("1E+300")
    form.funding.annual = None
    rules = {f.rule for f in check_form(form) if f.severity == "错误"}
    assert {"money.range", "money.missing"} <= rules


def test_newyear_refuses_a_year_that_is_not_later(tmp_path):
    run = jixiao("newyear", ROOT / "samples" / "项目清单.xlsx", "--year", "2023", "--out", tmp_path / "o")
    assert run.returncode == 2 and "应晚于来源表单的年度 2023" in run.stderr
    assert not (tmp_path / "o").exists()


def test_generate_into_a_file_says_so(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x", encoding="utf-8")
    run = jixiao("generate", ROOT / "samples" / "项目清单.xlsx", "--out", target)
    assert run.returncode == 2 and "不是文件夹" in run.stderr and target.read_text(encoding="utf-8") == "x"


def test_score_warns_when_the_amounts_make_it_unreliable(tmp_path):
    text = (FIXTURES / "seed003.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "neg.yaml"
    bad.write_text(text.replace("executed: 56961217", "executed: -56961217", 1), encoding="utf-8")
    run = jixiao("score", "--json", bad)
    assert run.returncode == 1 and "评分可能不可靠" in run.stderr
    assert json.loads(run.stdout)[0]["执行率得分"] == "0.00"


def test_newyear_on_one_form_workbook_asks_for_its_folder(tmp_path):
    book = tmp_path / "表单.xlsx"
    assert jixiao("render", FIXTURES / "seed004.yaml", "-o", book).returncode == 0
    run = jixiao("newyear", book, "--year", "2024", "--out", tmp_path / "o")
    assert run.returncode == 2 and "不是项目清单" in run.stderr and "文件夹" in run.stderr


def test_a_workbook_without_a_form_is_an_unusable_input(tmp_path):
    import openpyxl
    book = tmp_path / "通讯录.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(book)
    run = jixiao("validate", "--json", book)
    assert run.returncode == 2 and "没有找到可识别的表单" in run.stderr and "通讯录.xlsx" in run.stderr
    assert [r["rule"] for r in json.loads(run.stdout)] == ["read.sheet", "read.none"]
