"""sh2019: 上海 财政项目支出绩效目标申报表, 2019—2020 layout (seeds 000/001), three sheets.

项目总体情况 (附件1-1), columns A–F:
 1  附件1-1
 2  财政项目支出绩效目标申报表（项目总体情况）
 3                    （{{ year }}年） (C:D)              项目编码：{{ project.code }} (E:F)
 4  填报单位（盖章）：unit (A:C)                         金额单位：unit (D:F)
 5  项目名称 | name (B:F)
 6  项目类别 | nature (B:C, dropdown) | ☐一次性项目 ☑经常性项目 ☐中期预算试点项目 (D:F, formula)
 7  项目负责人： | leader | 联系人： | contact | 联系电话： | phone
 8  起始日期： | start (B:C) | 结束日期： | end (E:F)
 9  项目概况 | overview (B:F)
10–12 项目立项情况 | 依据：basis / 必要性：necessity / 可行性：feasibility
13–19 项目资金 | 一、项目总预算 total / 二、当年预算 annual / （一）财政拨款 annual_fiscal /
        1. 上级财政拨款 upper / 2. 本级财政安排 own / 3. 下级财政配套 lower / （二）其他资金 annual_other
20  项目相关资源投入和制度建设情况 | resources
21  项目总目标 | goal      22 年度绩效目标 | annual_goal      23 需要说明的其他问题 | other
25  填报单位负责人：unit_head   填表人：filled_by   填报日期：filled_on

绩效目标 (附件1-2), columns A–I:
 4  项目名称：name (A:F)                               金额单位：unit (G:I)
 5  项目构成 | 主体活动（作业、任务）和对应产出的详细描述 | composition (C:I)
 6  一级目标 | 二级目标 | 三级目标 (C:E) | 目标值 (F:G) | 备注 (H:I)
 7  loop: jx:for ind in indicators; merge=A,B
    (P6/P7, not printed: 指标解释 ind.explanation — the form has no such column)
 9  项目名称 | 项目内容 | 项目明细 | 明细金额 | 单价 | 依据 | 数量 | 依据 | 备注
10  loop: jx:for line in details
11  金额合计 (A:C) | details_total | --- …

制度保障, columns A–F:
 4  制度保障 | 文件名称 | 具体措施 | 保障阶段 (D:F)
 5                                    立项和计划阶段 | 实施阶段 | 收尾和完成阶段
 6  loop: jx:for g in guarantees  (kind | document | measures | ✓ | ✓ | ✓)
"""
from __future__ import annotations

from .offprint import OffPrint
from .styles import DATE, MONEY, FormSheet, Lists, new_workbook, set_properties

NO_ADDIN = "（装有“绩效助手”插件时显示）"

FORM = "sh2019"
REGION = "上海"
TITLE = "财政项目支出绩效目标申报表"
SHEETS = ("项目总体情况", "绩效目标", "制度保障")
TAXONOMY = "shanghai-2019.yaml"


def build():
    wb = new_workbook()
    set_properties(wb, FORM, REGION, TITLE)
    overall(wb)
    goals(wb)
    guarantees(wb)
    lists = Lists(wb, FORM)
    lists.taxonomy(TAXONOMY)
    lists.choices("项目类别2019", "制度类别", "勾选")
    lists.finish()
    return wb


def overall(wb):
    s = FormSheet(wb, SHEETS[0], [16, 15, 13, 15, 12, 17], landscape=False, form=FORM)
    s.line("A1:B1", "附件1-1", align="left")
    s.title(2, "财政项目支出绩效目标申报表（项目总体情况）", size=16)
    s.line("C3:D3", "（{{ year }}年）", size=12, height=22)
    s.line("E3:F3", "项目编码：{{ project.code }}", align="right", locked=False)
    s.line("A4:C4", "填报单位（盖章）：{{ project.unit }}", align="left", locked=False, height=20)
    s.line("D4:F4", "金额单位：{{ funding.unit }}", align="right", height=20)
    s.check_header(3)

    s.label("A5", "项目名称")
    s.field("B5:F5", "project.name")
    s.label("A6", "项目类别")
    s.field("B6:C6", "project.nature", align="center")
    s.choose("B6", "选项_项目类别2019", "项目类别")
    s.formula("D6:F6", '=IF($B6="一次性项目","☑","☐")&" 一次性项目  "&IF($B6="经常性项目","☑","☐")'
                       '&" 经常性项目  "&IF($B6="中期预算试点项目","☑","☐")&" 中期预算试点项目"')
    s.label("A7", "项目负责人：")
    s.field("B7", "project.leader", align="center")
    s.label("C7", "联系人：")
    s.field("D7", "project.contact", align="center")
    s.label("E7", "联系电话：")
    s.field("F7", "project.phone", align="center")
    s.label("A8", "起始日期：")
    s.field("B8:C8", "project.start", fmt=DATE, align="center")
    s.label("D8", "结束日期：")
    s.field("E8:F8", "project.end", fmt=DATE, align="center")
    s.date("B8")
    s.date("E8")
    for r in range(5, 9):
        s.height(r, 24)

    s.label("A9", "项目概况")
    s.text("B9:F9", "texts.overview")
    s.height(9, 90)
    s.label("A10:A12", "项目立项情况")
    s.text("B10:F10", "依据：{{ texts.basis }}")
    s.text("B11:F11", "必要性：{{ texts.necessity }}")
    s.text("B12:F12", "可行性：{{ texts.feasibility }}")
    for r in (10, 11, 12):
        s.height(r, 60)

    s.label("A13:A19", "项目资金")
    rows = [("一、项目总预算", "funding.total", 0), ("二、当年预算", "funding.annual", 0),
            ("（一）财政拨款", "funding.annual_fiscal", 1), ("1. 上级财政拨款", "funding.upper", 2),
            ("2. 本级财政安排", "funding.own", 2), ("3. 下级财政配套", "funding.lower", 2),
            ("（二）其他资金", "funding.annual_other", 1)]
    for i, (text, path, indent) in enumerate(rows):
        r = 13 + i
        s.label(f"B{r}:D{r}", text, align="left", indent=indent * 2)
        s.field(f"E{r}:F{r}", path, fmt=MONEY)
        s.money(f"E{r}")
        s.height(r, 20)

    for r, (text, path, h) in enumerate([("项目相关资源投入和制度建设情况", "texts.resources", 60),
                                          ("项目总目标", "texts.goal", 90),
                                          ("年度绩效目标", "texts.annual_goal", 90),
                                          ("需要说明的其他问题", "texts.other", 40)], 20):
        s.label(f"A{r}", text)
        s.text(f"B{r}:F{r}", path)
        s.height(r, h)

    s.line("A25:B25", "填报单位负责人：{{ project.unit_head }}", align="left", locked=False, height=24)
    s.line("C25:D25", "填表人：{{ project.filled_by }}", align="left", locked=False)
    s.line("E25:F25", "填报日期：{{ project.filled_on }}", align="left", locked=False)

    s.check(8, '=IF(COUNT(B8,E8)<2,"",IF(B8<=E8,"✓","✗"))', "起始日期不晚于结束日期")
    s.check(13, '=IF(COUNT(E13,E14)<2,"",IF(N(E14)<=N(E13)+0.005,"✓","✗"))', "当年预算不超过项目总预算")
    s.check(14, '=IF(COUNT(E14,E15,E19)=0,"",IF(ABS(N(E14)-N(E15)-N(E19))<0.005,"✓","✗"))',
            "当年预算 = 财政拨款 + 其他资金", "=N(E15)+N(E19)", MONEY)
    s.check(15, '=IF(COUNT(E15:E18)=0,"",IF(ABS(N(E15)-N(E16)-N(E17)-N(E18))<0.005,"✓","✗"))',
            "财政拨款 = 上级 + 本级 + 下级", "=N(E16)+N(E17)+N(E18)", MONEY)
    s.finish(last_row=25, title_rows=None, freeze="A4")


def goals(wb):
    s = FormSheet(wb, SHEETS[1], [14, 13, 13, 13, 12, 8, 7, 8, 9], landscape=False, form=FORM)
    ws = s.ws
    s.line("A1:B1", "附件1-2", align="left")
    s.title(2, "财政项目支出绩效目标申报表（绩效目标）", size=16)
    s.line("A3:I3", "（{{ year }}年）", size=12, height=22)
    s.line("A4:F4", "项目名称：{{ project.name }}", align="left", height=20)
    s.line("G4:I4", "金额单位：{{ funding.unit }}", align="right")
    s.check_header(3)

    s.label("A5", "项目构成")
    s.label("B5", "主体活动（作业、任务）和对应产出的详细描述")
    s.text("C5:I5", "texts.composition")
    s.height(5, 120)

    for ref, text in (("A6", "一级目标"), ("B6", "二级目标"), ("C6:E6", "三级目标"),
                      ("F6:G6", "目标值"), ("H6:I6", "备注")):
        s.label(ref, text, bold=True)
    s.height(6, 22)
    s.field("A7", "ind.level1", align="center")
    s.loop(7, "jx:for ind in indicators; merge=A,B")
    s.field("B7", "ind.level2", align="center")
    s.field("C7:E7", "ind.name")
    s.field("F7:G7", "ind.target", align="center")
    s.field("H7:I7", "ind.note", align="center")
    s.height(7, 24)
    s.level1_helper(6, 7, "A")
    s.level1("A7")
    s.level2("B7", "7")
    s.check(7, '=IF(AND(C7="",F7=""),"",IF(OR(C7="",F7=""),"✗","✓"))', "三级目标与目标值成对填写")
    extra = OffPrint(s, 3)
    extra.label(6, "指标解释", col=extra.value_col, bold=True)
    extra.field(7, "ind.explanation")

    heads = ["项目名称", "项目内容", "项目明细", "明细金额", "单价", "依据", "数量", "依据", "备注"]
    for i, text in enumerate(heads):
        s.label(f"{'ABCDEFGHI'[i]}9", text, bold=True)
    s.height(8, 10)
    s.height(9, 22)
    s.field("A10", "line.project")
    s.loop(10, "jx:for line in details")
    s.field("B10", "line.content")
    s.field("C10", "line.item")
    s.field("D10", "line.amount", fmt=MONEY)
    s.field("E10", "line.price", fmt=MONEY)
    s.field("F10", "line.price_basis")
    s.field("G10", "line.quantity", fmt="General", align="center")
    s.field("H10", "line.quantity_basis")
    s.field("I10", "line.note", align="center")
    s.money("D10:E10")
    s.height(10, 30)
    s.label("A11:C11", "金额合计", bold=True)
    s.field("D11", "details_total", fmt=MONEY)
    s.money("D11")
    for c in "EFGHI":
        s.label(f"{c}11", "---")
    s.height(11, 22)

    s.check(10, '=IF(COUNT(E10,G10)<2,"",IF(ABS(N(D10)-E10*G10)<0.005,"✓","✗"))',
            "明细金额 = 单价 × 数量", "=IF(COUNT(E10,G10)<2,\"\",E10*G10)", MONEY)
    s.check(11, '=IF(COUNT(D10:D10,D11)=0,"",IF(ABS(SUM(D10:D10)-N(D11))<0.005,"✓","✗"))',
            "金额合计 = 各明细金额之和", "=SUM(D10:D10)", MONEY)
    s.check(12, f"=IF(COUNT(D11,'{SHEETS[0]}'!E14)<2,\"\",IF(ABS(N(D11)-N('{SHEETS[0]}'!E14))<0.005,\"✓\",\"✗\"))",
            "金额合计 = 当年预算（项目总体情况表）", f"='{SHEETS[0]}'!E14", MONEY)
    addin_value(s, 13, "JX_RMB(D11)", "金额合计（人民币大写）")
    s.finish(last_row=11, title_rows="6:6", freeze="A5")
    return ws


def addin_value(s, row: int, call: str, desc: str) -> None:
    """A value computed by the 绩效助手 add-in's formula, in the check columns.

    Wrapped in IFERROR: without the add-in Excel, WPS and LibreOffice show the
    plain text NO_ADDIN instead of #NAME?.
    """
    s.check(row, f'=IFERROR({call},"{NO_ADDIN}")', desc)


def guarantees(wb):
    s = FormSheet(wb, SHEETS[2], [16, 26, 26, 11, 11, 11], landscape=False, form=FORM)
    s.title(1, "项目支出绩效目标申报表（制度保障）", size=16)
    s.line("A2:F2", "（{{ year }}年）", size=12, height=22)
    s.line("A3:F3", "项目名称：{{ project.name }}", align="left", height=22)
    s.check_header(2)
    s.label("A4:A5", "制度保障", bold=True)
    s.label("B4:B5", "文件名称", bold=True)
    s.label("C4:C5", "具体措施", bold=True)
    s.label("D4:F4", "保障阶段", bold=True)
    s.label("D5", "立项和计划阶段", bold=True)
    s.label("E5", "实施阶段", bold=True)
    s.label("F5", "收尾和完成阶段", bold=True)
    s.height(4, 20)
    s.height(5, 30)
    s.field("A6", "g.kind", align="center")
    s.loop(6, "jx:for g in guarantees")
    s.field("B6", "g.document")
    s.field("C6", "g.measures")
    for c, path in zip("DEF", ("g.planning", "g.implementation", "g.closing")):
        s.field(f"{c}6", path, align="center")
    s.choose("A6", "选项_制度类别", "制度类别")
    s.choose("D6:F6", "选项_勾选", "保障阶段（✓）")
    s.height(6, 40)
    s.check(6, '=IF(A6="","",IF(COUNTIF(D6:F6,"✓")>0,"✓","✗"))', "每项制度至少勾选一个保障阶段")
    s.finish(last_row=6, title_rows="4:5", freeze="A4")
