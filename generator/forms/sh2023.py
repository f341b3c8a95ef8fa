"""sh2023: 上海 财政项目支出绩效目标申报表 (2023 layout, seed 004), one project per sheet.

    A        B              C             D                E          F
 1  财政项目支出绩效目标申报表 (title, A1:F1)
 2                 （{{ year }}年度） (C:D)            项目编码：{{ project.code }} (E:F)
 3  项目名称 | name         | 项目性质      | nature           | 项目类别  | category
 4  主管部门 | department   | 实施单位      | unit (D:F)
 5  计划开始日期 | start    | 计划完成日期  | end (D:F)
 6  项目资金 | 项目资金总额 | total         | 年度资金申请总额 | annual (E:F)
 7  （元）   | 其中：财政资金 | fiscal      | 其中：当年财政拨款 | annual_fiscal
 8  (A6:A9)  |              |               | 上年结转资金     | carryover
 9           | 其他资金     | other         | 其他资金         | annual_other
10  项目绩效 | 项目总目标（goal_period） (B:D) | 年度总体目标 (E:F)
11  目标     | texts.goal (B:D)                | texts.annual_goal (E:F)
12  绩效指标 | 一级指标 | 二级指标 | 三级指标 (D:E) | 年度(/项目)指标值
13  (loop)   | level1   | level2   | name (D:E)     | target       ← jx:for ind in indicators; merge=B,C
14  (closing line of the side-label column)
G = hidden helper (一级 in force), H/I/J = checks (not printed).
L/M = 补充信息 (not printed; the official form has no place for them):
 3–5 项目负责人 leader / 联系人 contact / 联系电话 phone
12–13 备注 ind.note | 指标解释 ind.explanation (in the indicator loop)
"""
from __future__ import annotations

from .offprint import OffPrint
from .styles import DATE, MONEY, FormSheet, Lists, new_workbook, set_properties

FORM = "sh2023"
REGION = "上海"
TITLE = "财政项目支出绩效目标申报表"
SHEET = "绩效目标申报表"
TAXONOMY = "shanghai-2021.yaml"


def build():
    wb = new_workbook()
    set_properties(wb, FORM, REGION, TITLE)
    s = FormSheet(wb, SHEET, [11, 15, 15, 19, 13, 17], landscape=False, form=FORM)
    lists = Lists(wb, FORM)
    lists.taxonomy(TAXONOMY)
    lists.choices("项目性质", "项目类别")

    s.title(1, TITLE)
    s.line("C2:D2", "（{{ year }}年度）", size=12, height=22)
    s.line("E2:F2", "项目编码：{{ project.code }}", align="right", locked=False)
    s.check_header(2)
    extra = OffPrint(s, 2)

    s.label("A3", "项目名称")
    s.field("B3", "project.name")
    s.label("C3", "项目性质")
    s.field("D3", "project.nature", align="center")
    s.choose("D3", "选项_项目性质", "项目性质")
    s.label("E3", "项目类别")
    s.field("F3", "project.category", align="center")
    s.choose("F3", "选项_项目类别", "项目类别")
    s.label("A4", "主管部门")
    s.field("B4", "project.department")
    s.label("C4", "实施单位")
    s.field("D4:F4", "project.unit")
    s.label("A5", "计划开始日期")
    s.field("B5", "project.start", fmt=DATE, align="center")
    s.label("C5", "计划完成日期")
    s.field("D5:F5", "project.end", fmt=DATE, align="left")
    s.date("B5")
    s.date("D5")
    for r in (3, 4, 5):
        s.height(r, 30)
    extra.pair(3, "项目负责人", "project.leader")
    extra.pair(4, "联系人", "project.contact")
    extra.pair(5, "联系电话", "project.phone")

    s.label("A6:A9", "项目资金\n（{{ funding.unit }}）")
    s.label("B6", "项目资金总额", align="left")
    s.field("C6", "funding.total", fmt=MONEY)
    s.label("D6", "年度资金申请总额", align="left")
    s.field("E6:F6", "funding.annual", fmt=MONEY)
    s.label("B7", "其中：财政资金", align="left")
    s.field("C7", "funding.fiscal", fmt=MONEY)
    s.label("D7", "其中：当年财政拨款", align="left")
    s.field("E7:F7", "funding.annual_fiscal", fmt=MONEY)
    s.blank("B8:C8")
    s.label("D8", "上年结转资金", align="left", indent=2)
    s.field("E8:F8", "funding.carryover", fmt=MONEY)
    s.label("B9", "其他资金", align="left", indent=2)
    s.field("C9", "funding.other", fmt=MONEY)
    s.label("D9", "其他资金", align="left", indent=2)
    s.field("E9:F9", "funding.annual_other", fmt=MONEY)
    for ref in ("C6", "C7", "C9", "E6", "E7", "E8", "E9"):
        s.money(ref)
    for r in range(6, 10):
        s.height(r, 20)

    s.label("A10:A11", "项目\n绩效\n目标")
    s.label("B10:D10", "项目总目标（{{ texts.goal_period }}）")
    s.label("E10:F10", "年度总体目标")
    s.text("B11:D11", "texts.goal")
    s.text("E11:F11", "texts.annual_goal")
    s.height(10, 22)
    s.height(11, 150)

    s.label("A12", "绩效\n指标", valign="top")
    s.side("A", 12, top=True, bottom=False)
    s.label("B12", "一级指标", bold=True)
    s.label("C12", "二级指标", bold=True)
    s.label("D12:E12", "三级指标", bold=True)
    s.label("F12", "年度(/项目)指标值", bold=True)
    s.height(12, 30)
    s.side("A", 13, top=False, bottom=False)
    s.loop(13, "jx:for ind in indicators; merge=B,C")
    s.field("B13", "ind.level1", align="center")
    s.field("C13", "ind.level2", align="center")
    s.field("D13:E13", "ind.name")
    s.field("F13", "ind.target", align="center")
    s.height(13, 28)
    extra.label(12, "备注", col=extra.label_col, bold=True)
    extra.label(12, "指标解释", col=extra.value_col, bold=True)
    extra.field(13, "ind.note", col=extra.label_col)
    extra.field(13, "ind.explanation", col=extra.value_col)
    s.level1_helper(12, 13, "B")
    s.level1("B13")
    s.level2("C13", "13")
    # the side-label column closes under the last indicator row
    s.close_below(14, "A", "F")
    s.height(14, 6)

    # checks
    s.check(5, '=IF(COUNT(B5,D5)<2,"",IF(B5<=D5,"✓","✗"))', "计划开始日期不晚于计划完成日期")
    s.check(6, '=IF(COUNT(C6,C7,C9)=0,"",IF(ABS(N(C6)-N(C7)-N(C9))<0.005,"✓","✗"))',
            "项目资金总额 = 财政资金 + 其他资金", "=N(C7)+N(C9)", MONEY)
    s.check(7, '=IF(COUNT(E6:E9)=0,"",IF(ABS(N(E6)-N(E7)-N(E8)-N(E9))<0.005,"✓","✗"))',
            "年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金", "=N(E7)+N(E8)+N(E9)", MONEY)
    s.check(8, '=IF(COUNT(C6,E6)<2,"",IF(N(E6)<=N(C6)+0.005,"✓","✗"))',
            "年度资金申请总额不超过项目资金总额")
    s.check(13, '=IF(AND(D13="",F13=""),"",IF(OR(D13="",F13=""),"✗","✓"))',
            "三级指标与指标值成对填写")

    s.finish(last_row=14, title_rows="12:12", freeze="A3")
    lists.finish()
    return wb
