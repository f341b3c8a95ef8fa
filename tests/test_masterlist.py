"""The master list: columns by header, values checked, every problem in one message; presets; names."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.errors import InputError
from generator.library import choose, preset_indicators, presets
from generator.masterlist import MasterListError, compact_levels, read_master
from generator.model import Indicator, Project, effective_levels
from generator.sheetnames import FileNames, SheetNames, file_base, sheet_base

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "项目清单.xlsx"
HEADERS = ["项目编码", "项目名称", "主管部门", "实施单位", "项目性质", "项目类别", "计划开始日期", "计划完成日期",
           "项目资金总额", "年度资金申请总额", "财政资金", "当年财政拨款", "上年结转资金", "其他资金",
           "项目总目标", "年度总体目标"]


def project_row(code="P001", name="教师培训类项目", **over) -> dict:
    row = dict(zip(HEADERS, [code, name, "闵行区教育局(汇总)", "上海市闵行区教育学院", "经常性项目", "特定目标类",
                             dt.date(2023, 1, 1), dt.date(2023, 12, 31), 3150000, 3150000, 3150000, 3150000,
                             0, 0, "提升全区教师的综合素养。", "完成{{ year }}年度教师培训。"]))
    row.update(over)
    return row


def write_list(path: Path, projects: list[dict], indicators: list[list] | None = None,
               headers: list[str] | None = None, title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    headers = headers or list(projects[0])
    if title:
        ws.append([title])
    ws.append(headers)
    for p in projects:
        ws.append([p.get(h) for h in headers])
    if indicators is not None:
        ind = wb.create_sheet("指标")
        ind.append(["项目编码", "一级指标", "二级指标", "三级指标", "指标值"])
        for row in indicators:
            ind.append(row)
            for cell in ind[ind.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


def test_sample_reads_with_renders_extras_and_presets_left_open():
    ml = read_master(SAMPLE)
    assert ml.year == 2023 and len(ml.forms) >= 28
    units = {f.project.unit for f in ml.forms}
    assert {"上海市闵行区教育学院", "闵行区教育信息中心"} <= units and len(units) >= 6
    cloud = next(f for f in ml.forms if f.project.name == "智慧教育云平台运维")
    assert cloud.texts.goal.startswith("完成2023年度智慧教育云平台")
    assert any(i.target == "2023年12月前" for i in cloud.indicators)
    assert cloud.extra["功能分类科目"].startswith("2050899")
    assert cloud.texts.goal_period == "2023年-2023年" and cloud.form == "sh2023" and cloud.region == "上海"
    assert ml.preset_codes and all(not f.indicators for f in ml.forms if f.project.code in ml.preset_codes)
    seed = next(f for f in ml.forms if f.project.name == "残疾人就业保障金")
    assert seed.funding.total == Decimal("478642.6") and seed.indicators[0].target == "100%"


def test_headers_in_any_order_with_spaces_full_width_and_line_breaks(tmp_path):
    row = project_row(表样="财政项目支出绩效目标申报表", 联系电话=13818805663, 预算科目="2050803")
    shuffled = {"年度总体\n目标": row["年度总体目标"], " 项目编码 ": "P9", "项目名称": row["项目名称"],
                **{k: v for k, v in row.items() if k not in ("年度总体目标", "项目编码", "项目名称")}}
    shuffled["项目资金总额（元）"] = shuffled.pop("项目资金总额")
    shuffled["其中：财政资金"] = shuffled.pop("财政资金")
    path = write_list(tmp_path / "l.xlsx", [shuffled], title="2023年度项目清单")
    form = read_master(path).forms[0]
    assert form.project.code == "P9" and form.funding.total == 3150000 and form.funding.fiscal == 3150000
    assert form.texts.annual_goal == "完成2023年度教师培训。" and form.project.phone == "13818805663"
    assert form.form == "sh2023" and form.extra == {"预算科目": "2050803"}


def test_form_id_any_case_and_year_option(tmp_path):
    path = write_list(tmp_path / "l.xlsx", [project_row(表样="SZ2021")])
    ml = read_master(path, year=2024)
    assert ml.forms[0].form == "sz2021" and ml.year == 2024
    assert ml.forms[0].texts.annual_goal == "完成2024年度教师培训。"


def test_every_problem_listed_with_sheet_and_cell(tmp_path):
    projects = [project_row("P001"),
                project_row("P002", 项目资金总额="待定"),
                project_row("P001", "德育队伍建设类项目"),
                project_row("P003", 计划开始日期=dt.date(2023, 12, 1), 计划完成日期=dt.date(2023, 1, 31)),
                project_row("P004", 表样="sh2099"),
                project_row("P005", 年度总体目标="{{ yeer }}年度"),
                project_row("P006", 项目名称=None, 计划开始日期="明年"),
                project_row("P007", 财政资金=-5)]
    headers = [*HEADERS, "表样"]
    indicators = [["P001", "产出指标", "数量指标", "培训课程数量", "=1.00(门)"],
                  ["P404", "产出指标", "数量指标", "培训课程数量", "=1.00(门)"]]
    path = write_list(tmp_path / "l.xlsx", projects, indicators, headers)
    with pytest.raises(MasterListError) as err:
        read_master(path)
    text = str(err.value)
    expected = ["工作表 项目 单元格 I3：项目资金总额“待定”不是数字",
                "工作表 项目 单元格 A4：项目编码“P001”与第 2 行重复",
                "工作表 项目 单元格 H5：计划完成日期 2023-01-31 早于计划开始日期 2023-12-01",
                "工作表 项目 单元格 Q6：表样“sh2099”不存在",
                "工作表 项目 单元格 P7：年度总体目标：模板文字中的“yeer”未定义",
                "工作表 项目 单元格 B8：项目名称为空",
                "工作表 项目 单元格 G8：计划开始日期“明年”不是日期",
                "工作表 项目 单元格 K9：财政资金为负数（-5）",
                "工作表 指标 单元格 A3：项目编码“P404”不在工作表 项目 中"]
    for line in expected:
        assert line in text
    assert f"共 {len(expected)} 处问题" in text and "未写出任何文件" in text and str(path) in text


def test_missing_columns_all_listed(tmp_path):
    row = {k: v for k, v in project_row().items() if k not in ("项目名称", "上年结转资金")}
    with pytest.raises(MasterListError) as err:
        read_master(write_list(tmp_path / "l.xlsx", [row]))
    assert "工作表 项目 第 1 行：缺少必填列“项目名称”" in str(err.value)
    assert "缺少必填列“上年结转资金”" in str(err.value)


def test_not_a_master_list(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="缺少工作表“项目”"):
        read_master(tmp_path / "x.xlsx")
    (tmp_path / "y.xlsx").write_text("not a workbook")
    with pytest.raises(InputError, match="无法读取项目清单"):
        read_master(tmp_path / "y.xlsx")


def test_sandbox_refuses_unsafe_templates(tmp_path):
    path = write_list(tmp_path / "l.xlsx", [project_row(项目总目标="{{ ''.__class__.__mro__[1].__subclasses__() }}")])
    with pytest.raises(MasterListError, match="单元格 O2：项目总目标：模板文字"):
        read_master(path)


def test_formulas_are_not_evaluated(tmp_path):
    path = write_list(tmp_path / "l.xlsx", [project_row(上年结转资金="=1+1")])
    assert read_master(path).forms[0].funding.carryover is None


def test_indicator_levels_fill_down_and_compact(tmp_path):
    indicators = [["P001", "产出指标", "数量指标", "培训课程数量", "=1.00(门)"],
                  [None, None, "数量指标", "培训人次", "≥400.00(人)"],
                  [None, "产出指标", "质量指标", "教师结业率", "≥95.00(百分比)"],
                  ["P001", "满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%"]]
    form = read_master(write_list(tmp_path / "l.xlsx", [project_row()], indicators)).forms[0]
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [
        ("产出指标", "数量指标", "培训课程数量"), ("", "", "培训人次"), ("", "质量指标", "教师结业率"),
        ("满意度指标", "服务对象满意度指标", "参训教师满意度")]
    assert form.indicators[0].target == "=1.00(门)"


def test_compact_levels_keeps_effective_levels():
    rows = [Indicator("效益指标", "社会效益指标", "a"), Indicator("效益指标", "社会效益指标", "b"),
            Indicator("", "可持续影响指标", "c"), Indicator("满意度指标", "", "d")]
    before = effective_levels(rows)
    assert effective_levels(compact_levels(rows)) == before
    assert [(i.level1, i.level2) for i in rows] == [("效益指标", "社会效益指标"), ("", ""),
                                                    ("", "可持续影响指标"), ("满意度指标", "")]


# ---------------------------------------------------------------- indicator library

@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.title)
def test_every_preset_is_a_full_tree(preset):
    pairs = {(l1, l2) for l1, l2, _, _ in preset.rows}
    assert {("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标")} <= pairs
    assert {l1 for l1, _ in pairs} >= {"产出指标", "效益指标", "满意度指标"}
    assert all(name and target for _, _, name, target in preset.rows)


@pytest.mark.parametrize("name, category, title", [
    ("教育城域网运维服务", "特定目标类", "信息化运维"),
    ("某项目", "信息化运维", "信息化运维"),
    ("教师培训类项目", "特定目标类", "培训"),
    ("教学研究类项目", "特定目标类", "教学研究"),
    ("德育队伍建设类项目", "特定目标类", "德育"),
    ("教学质量监控项目", "特定目标类", "教学质量监控"),
    ("残疾人就业保障金", "特定目标类", "缴纳类"),
    ("教室多媒体设备更新", "特定目标类", "设备购置"),
    ("课后服务", "特定目标类", "通用"),
])
def test_preset_by_category_or_name(name, category, title):
    assert choose(Project(name=name, category=category)).title == title


def test_it_preset_has_the_named_indicators_and_years_render():
    it = choose(Project(name="校园网络运维"))
    names = {row[2] for row in it.rows}
    assert {"设备故障率", "保障工作及时性", "长效管理机制健全性", "使用者满意度"} <= names
    research = preset_indicators(choose(Project(name="教学研究类项目")), 2024)
    assert "2024年6月前" in {i.target for i in research}
    assert research[0].level1 == "产出指标" and research[1].level1 == ""


# ---------------------------------------------------------------- names

def test_sheet_names_legal_unique_and_short():
    names = SheetNames(reserved=["目录"])
    long = "闵行区教育信息中心关于校园网络/信息系统等级保护测评[2023]:*?的项目"
    first = names.name(long)
    assert len(first) <= 31 and not set(first) & set("[]:*?/\\")
    second = names.name(long)
    assert second != first and second.endswith("(2)") and len(second) <= 31
    assert names.name("目录") == "目录(2)" and names.name("'引号'") == "引号"
    assert sheet_base("History") == "项目" and sheet_base("   ") == "项目"


def test_file_names_legal_on_windows_and_unique():
    files = FileNames()
    assert files.name('a/b:c*d?"e"<f>|g. ') == "a_b_c_d__e__f__g.xlsx"
    assert files.name("A_B_C_D__E__F__G.") == "A_B_C_D__E__F__G(2).xlsx"
    assert file_base("CON") == "_CON" and file_base(" .. ") == "未命名"


def test_a_header_written_twice_is_a_problem(tmp_path):
    path = write_list(tmp_path / "l.xlsx", [project_row()], headers=[*HEADERS, "项目名称"])
    with pytest.raises(MasterListError) as err:
        read_master(path)
    assert "表头“项目名称”出现两次（B1 与 Q1）" in str(err.value)


def test_texts_read_as_excel_shows_them(tmp_path):
    """openpyxl leaves Excel's _xHHHH_ escapes as written; the list reads as Excel shows it."""
    path = write_list(tmp_path / "l.xlsx", [project_row("P1", "项目_x005F_x0041_甲_x000D_")])
    assert read_master(path).forms[0].project.name == "项目_x0041_甲"


def test_names_and_reasons_for_odd_files():
    import errno
    from generator.errors import reason
    from generator.sheetnames import sheet_base
    assert sheet_base("项目_x0041_甲") == "项目-x0041_甲"
    assert reason(OSError(errno.ENOSPC, "No space left")) == "磁盘空间不足"
    assert reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "不能跨磁盘移动文件"
