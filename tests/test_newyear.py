"""`jixiao newyear`: years moved only where they are the budget year, results cleared, carried cells marked."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from conftest import seed
from generator.generate import generate
from generator.masterlist import read_master
from generator.newyear import MARK_FILL, move_years, newyear, next_year_form, register, shift_date
from generator.template import read_workbook
from generator.template.render import name_of
from test_masterlist import SAMPLE

NOTE = "由2023年度结转，请核对"


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    base = tmp_path_factory.mktemp("ny")
    generate(SAMPLE, base / "2023")
    result = newyear(base / "2023", 2024, base / "2024")
    return base, result


def forms_in(folder: Path) -> dict:
    out = {}
    for path in sorted(folder.glob("20*.xlsx")):
        for form in read_workbook(path).book.forms:
            out[form.project.name] = form
    return out


@pytest.mark.parametrize("text, expected", [
    ("（2023年度）", "（2024年度）"),
    ("2023年-2023年", "2024年-2024年"),
    ("2023年6月前", "2024年6月前"),
    ("2022年教育综改项目（沪财教【2022】53号）", "2022年教育综改项目（沪财教【2022】53号）"),
    ("依据《上海市教育信息化2.0行动计划(2018-2023)》，2023年完成", "依据《上海市教育信息化2.0行动计划(2018-2023)》，2024年完成"),
    ("按《关于做好2023年度预算编制的通知》(闵财预〔2023〕5号)于2023年3月前完成",
     "按《关于做好2023年度预算编制的通知》(闵财预〔2023〕5号)于2024年3月前完成"),
    ("沪教委(2023)12号文件；2020-2021年之间的课题", "沪教委(2023)12号文件；2020-2021年之间的课题"),
    ("编号20231、12023", "编号20231、12023"),
])
def test_move_years_only_the_budget_year(text, expected):
    assert move_years(text, 2023, 2024) == expected


def test_shift_date_feb_29():
    assert shift_date(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert shift_date(dt.date(2023, 3, 1), 1) == dt.date(2024, 3, 1)
    assert shift_date("待定", 1) == "待定"


def test_years_dates_and_texts_moved(moved):
    base, result = moved
    old, new = forms_in(base / "2023"), forms_in(base / "2024")
    assert set(old) == set(new)
    for name, form in new.items():
        before = old[name]
        assert form.year == 2024
        assert form.project.start == before.project.start.replace(year=2024)
        assert form.project.end == before.project.end.replace(year=before.project.end.year + 1)
        assert form.funding == before.funding
    lab = new["理化生实验室改造"]
    assert lab.texts.goal_period == "2024年-2025年" and "2024年9月开学前" in lab.texts.goal
    exam = new["教学质量监控项目"]
    assert "本项目资金用于2024年度" in exam.texts.goal
    level = new["校园网络/信息系统等级保护测评"]
    assert "《关于做好2023年度网络安全等级保护工作的通知》(闵教〔2023〕18号)" in level.texts.goal
    cloud = new["智慧教育云平台运维"]
    assert "《上海市教育信息化2.0行动计划(2018-2022)》" in cloud.texts.goal
    reform = new["2022年教育综改项目（沪财教【2022】53号）"]
    assert reform.project.name == "2022年教育综改项目（沪财教【2022】53号）"
    paths = {(c.where.split("工作表 ")[1], c.path) for c in result.changes}
    assert ("教学质量监控项目", "texts.goal") in paths and ("智慧教育云平台运维", "indicators[5].target") in paths
    assert all("2023" in c.old and "2024" in c.new for c in result.changes)
    report = (base / "2024" / "结转说明_2024.txt").read_text(encoding="utf-8")
    assert f"共改动 {len(result.changes)} 处" in report and "本项目资金用于2024年度" in report


def test_indicators_carried_over_unchanged(moved):
    base, _ = moved
    old, new = forms_in(base / "2023"), forms_in(base / "2024")
    for name, form in new.items():
        before = old[name].indicators
        assert [(i.level1, i.level2) for i in form.indicators] == [(i.level1, i.level2) for i in before]
        assert [i.name for i in form.indicators] == [move_years(i.name, 2023, 2024) for i in before]
        assert [i.target for i in form.indicators] == [move_years(i.target, 2023, 2024) for i in before]
    research = [i.name for i in new["教学研究类项目"].indicators]
    assert "2020-2021年之间的市级课题与区重课题中期论证完成时间" in research


def test_carried_cells_marked(moved):
    base, _ = moved
    wb = openpyxl.load_workbook(base / "2024" / "2024年度_闵行区教育信息中心.xlsx")
    assert wb.sheetnames[0] == "目录"
    for k in (1, 2):
        for path in ("project.name", "project.unit", "funding.total", "funding.carryover", "texts.goal",
                     "project.start"):
            cell = _cell(wb, name_of(k, path))
            assert cell.fill.fgColor.rgb == MARK_FILL.fgColor.rgb and cell.comment.text == NOTE, (k, path)
    title = _cell(wb, name_of(1, "year"))
    assert title.comment is None and "2024" in str(title.value)
    sheet, ref = next(iter(wb.defined_names[name_of(2, "indicators")].destinations))
    rows = wb[sheet][ref.replace("$", "")]
    assert all(any(c.comment and c.comment.text == NOTE for c in row) for row in rows)


def _cell(wb, name):
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def test_next_years_master_list(moved, tmp_path):
    base, _ = moved
    wb = openpyxl.load_workbook(base / "2024" / "项目清单_2024.xlsx", read_only=True)
    header = next(wb["项目"].iter_rows(values_only=True))
    assert header[:16] == ("项目编码", "项目名称", "主管部门", "实施单位", "项目性质", "项目类别", "计划开始日期",
                           "计划完成日期", "项目资金总额", "年度资金申请总额", "财政资金", "当年财政拨款",
                           "上年结转资金", "其他资金", "项目总目标", "年度总体目标")
    names = [r[1] for r in wb["项目"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(f.project.name for f in read_master(SAMPLE).forms)


def test_from_master_list_and_clear_amounts(tmp_path):
    result = newyear(SAMPLE, 2024, tmp_path / "o", clear_amounts=True)
    assert "项目清单_2024.xlsx" in result.files
    ml = read_master(tmp_path / "o" / "项目清单_2024.xlsx")
    assert ml.year == 2024 and all(f.funding.total is None for f in ml.forms)
    before = {f.project.code: f for f in read_master(SAMPLE).forms}
    for form in ml.forms:
        assert form.indicators == [] or len(form.indicators) == len(before[form.project.code].indicators)
    assert forms_in(tmp_path / "o")["课后服务"].funding.annual is None


def test_self_evaluation_results_cleared():
    form = seed(3).forms[0]
    new, _ = next_year_form(form, (form.year or 2021) + 1, False, "seed003")
    assert all(not i.actual and i.score is None and not i.deviation for i in new.indicators)
    assert all(line.executed is None for line in new.execution.lines)
    assert new.execution.score is None and new.execution.total_score is None and not new.execution.rate
    assert [i.name for i in new.indicators] == [i.name for i in form.indicators]
    assert [i.weight for i in new.indicators] == [i.weight for i in form.indicators]
    assert new.funding == form.funding


def test_command_registers_and_runs(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["newyear", str(SAMPLE), "--year", "2024", "--out", str(tmp_path / "o")])
    assert args.func(args) == 0
    err = capsys.readouterr().err
    assert "改动" in err and "结转说明_2024.txt" in err


def test_a_name_with_an_apostrophe_moves_to_next_year(tmp_path):
    from test_masterlist import project_row, write_list
    master = write_list(tmp_path / "l.xlsx", [project_row("P1", "Teachers' 培训项目")])
    generate(master, tmp_path / "2023")
    result = newyear(tmp_path / "2023", 2024, tmp_path / "2024")
    [form] = read_workbook(tmp_path / "2024" / result.files[0]).book.forms
    assert form.project.name == "Teachers' 培训项目" and form.year == 2024
