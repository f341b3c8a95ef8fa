"""The `jixiao` command line: tables, JSON, exit codes, and no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
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
