"""sz2021: 苏州市级财政支出项目绩效目标申报表 (seed 002), amounts in 万元, landscape.

    A (side labels)  B           C            D                E          F            G
 1  苏州市级财政支出项目绩效目标申报表
 2  项目编码：{{ project.code }} (A:C)                          金额单位：{{ funding.unit }}
 3  申报单位名称 | unit_code (B) | unit (C:G), no line between (printed as one cell)
 4  项目名称     | name (B:G)
 5  项目类型     | category (B:C) | 项目属性 | attribute (E:G)
 6  是否政府采购 | procurement   | 是否政府购买服务 | purchase_service
 7  项目负责人   | leader        | 联系人   | contact
 8  联系电话 | phone          9 项目年度 | {{ year }}
10  项目概况  11 项目设立依据（相关批文名称）  12 项目设立的必要性  13 保证项目实施的制度、措施
14–16 本项目上年度市级财政资金使用情况 | 安排资金（万元）| arranged | 拨付资金（万元）| allocated
                                       | 支出资金（万元）| spent    | 资金到位率（%） | arrival_rate
                                       | 预算执行率（%） | execution_rate
17  项目资金构成（…） | 子项目名称 (B:D) | 预算金额（万元） (E:G)
18  loop: jx:for sp in subprojects
19                    | 合计： | subprojects_total
20–25 项目资金来源（万元） | 资金来源 | 项目投资总额 | 上年度资金 | 本年度计划数 (E:G)
      上级财政资金 / 市级财政资金 / 其他 / 下级财政资金 = sources[0..3]; 合计 = sources_total
      (the row labels are sources[i].source / sources_total.source, printing the official
      label when the model has none; 合计 prints funding.total / funding.annual when the
      model has no sources_total)
26  项目实施计划  27 项目总目标  28 年度绩效目标
29  分解目标 | 类别 | 对应子项目名称 | 指标名称 | 目标值 | 指标解释 | 目标值来源
30  loop: jx:for ind in indicators; merge=B
31  需要说明的其它问题 | other
32  填报单位负责人： | 填报人： | 填报日期：
M/N = 补充信息 (not printed): 21 项目资金总额 funding.total, 22 年度资金申请总额 funding.annual
      (the 苏州 form prints them only as its 资金来源 合计 row; a check compares), 29–30 备注 ind.note (N).
"""
from __future__ import annotations

from openpyxl.styles import Border

from .offprint import OffPrint
from .styles import MONEY, THIN, FormSheet, Lists, font, new_workbook, set_properties

FORM = "sz2021"
REGION = "苏州"
TITLE = "苏州市级财政支出项目绩效目标申报表"
SHEET = "绩效目标申报表"
TAXONOMY = "suzhou-2021.yaml"
SOURCES = ("上级财政资金", "市级财政资金", "其他", "下级财政资金")


def build():
    wb = new_workbook()
    set_properties(wb, FORM, REGION, TITLE)
    s = FormSheet(wb, SHEET, [15, 16, 22, 28, 12, 30, 20], landscape=True, form=FORM)
    lists = Lists(wb, FORM)
    lists.taxonomy(TAXONOMY)
    lists.choices("项目类型", "项目属性", "是否")

    s.title(1, TITLE)
    s.line("A2:C2", "项目编码：{{ project.code }}", align="left", locked=False)
    s.line("E2:G2", "金额单位：{{ funding.unit }}", align="right", height=20)
    s.check_header(2)
    extra = OffPrint(s, 2)

    s.label("A3", "申报单位名称")
    # printed as one cell "000040000080 苏州市电化教育馆": two fields without a line between
    s.field("B3", "project.unit_code")
    s.field("C3:G3", "project.unit")
    s.ws["B3"].border = Border(left=THIN, top=THIN, bottom=THIN)
    s.ws["C3"].border = Border(top=THIN, bottom=THIN)
    s.label("A4", "项目名称")
    s.field("B4:G4", "project.name")
    pairs = [(5, "项目类型", "project.category", "项目属性", "project.attribute"),
             (6, "是否政府采购", "project.procurement", "是否政府购买服务", "project.purchase_service"),
             (7, "项目负责人", "project.leader", "联系人", "project.contact")]
    for r, l1, p1, l2, p2 in pairs:
        s.label(f"A{r}", l1)
        s.field(f"B{r}:C{r}", p1)
        s.label(f"D{r}", l2)
        s.field(f"E{r}:G{r}", p2)
    s.choose("B5", "选项_项目类型", "项目类型")
    s.choose("E5", "选项_项目属性", "项目属性")
    s.choose("B6", "选项_是否", "是否政府采购")
    s.choose("E6", "选项_是否", "是否政府购买服务")
    s.label("A8", "联系电话")
    s.field("B8:G8", "project.phone")
    s.label("A9", "项目年度")
    s.field("B9:G9", "year")
    s.validate("B9", "whole", "2000", formula2="2099", operator="between", title="项目年度",
               error="项目年度为四位年份，如 2021。")
    for r in range(3, 10):
        s.height(r, 22)

    for r, (text, path, h) in enumerate([("项目概况", "texts.overview", 90),
                                          ("项目设立依据（相关批文名称）", "texts.basis", 60),
                                          ("项目设立的必要性", "texts.necessity", 90),
                                          ("保证项目实施的制度、措施", "texts.measures", 60)], 10):
        s.label(f"A{r}", text)
        s.text(f"B{r}:G{r}", path)
        s.height(r, h)

    s.label("A14:A16", "本项目上年度市级财政资金使用情况")
    s.label("B14", "安排资金（万元）")
    s.field("C14", "previous_use.arranged", fmt=MONEY)
    s.label("D14", "拨付资金（万元）")
    s.field("E14:G14", "previous_use.allocated", fmt=MONEY)
    s.label("B15", "支出资金（万元）")
    s.field("C15", "previous_use.spent", fmt=MONEY)
    s.label("D15", "资金到位率（%）")
    s.field("E15:G15", "previous_use.arrival_rate", fmt="General", align="right")
    s.label("B16", "预算执行率（%）")
    s.field("C16", "previous_use.execution_rate", fmt="General", align="right")
    s.blank("D16:G16")
    s.money("C14:C15")
    s.money("E14")
    for r in (14, 15, 16):
        s.height(r, 22)

    # 子项目: the side label sits in the header row; the column continues without inner lines
    s.label("A17", "项目资金构成（详细列出各子项目名称和金额）", valign="top")
    s.side("A", 17, top=True, bottom=False)
    s.label("B17:D17", "子项目名称", bold=True)
    s.label("E17:G17", "预算金额（万元）", bold=True)
    s.height(17, 42)
    s.side("A", 18, top=False, bottom=False)
    s.loop(18, "jx:for sp in subprojects")
    s.field("B18:D18", "sp.name")
    s.field("E18:G18", "sp.amount", fmt=MONEY)
    s.money("E18")
    s.height(18, 22)
    s.side("A", 19, top=False, bottom=True)
    s.label("B19:D19", "合计：", bold=True)
    s.field("E19:G19", "subprojects_total", fmt=MONEY)
    s.money("E19")
    s.height(19, 22)

    s.label("A20:A25", "项目资金来源（万元）")
    for c, text in zip(("B", "C", "D", "E20:G"), ("资金来源", "项目投资总额", "上年度资金", "本年度计划数")):
        s.label(f"{c}20" if len(c) == 1 else f"{c}20", text, bold=True)
    for i, name in enumerate(SOURCES):
        r = 21 + i
        s.field(f"B{r}", f'sources[{i}].source | default("{name}", true)', align="center")
        s.field(f"C{r}", f"sources[{i}].total", fmt=MONEY)
        s.field(f"D{r}", f"sources[{i}].previous", fmt=MONEY)
        s.field(f"E{r}:G{r}", f"sources[{i}].planned", fmt=MONEY)
    s.field("B25", 'sources_total.source | default("合计", true)', align="center")
    s.ws["B25"].font = font(bold=True)
    # no sources_total (a form made from the master list): 合计 shows the funding amounts
    s.field("C25", "sources_total.total | default(funding.total)", fmt=MONEY)
    s.field("D25", "sources_total.previous", fmt=MONEY)
    s.field("E25:G25", "sources_total.planned | default(funding.annual)", fmt=MONEY)
    s.money("C21:D25")
    s.money("E21:E25")
    for r in range(20, 26):
        s.height(r, 20)
    extra.pair(21, "项目资金总额", "funding.total", fmt=MONEY)
    extra.pair(22, "年度资金申请总额", "funding.annual", fmt=MONEY)

    for r, (text, path, h) in enumerate([("项目实施计划", "texts.plan", 40),
                                          ("项目总目标", "texts.goal", 90),
                                          ("年度绩效目标", "texts.annual_goal", 90)], 26):
        s.label(f"A{r}", text)
        s.text(f"B{r}:G{r}", path)
        s.height(r, h)

    s.label("A29", "分解目标", valign="top")
    s.side("A", 29, top=True, bottom=False)
    for c, text in zip("BCDEFG", ("类别", "对应子项目名称", "指标名称", "目标值", "指标解释", "目标值来源")):
        s.label(f"{c}29", text, bold=True)
    s.height(29, 24)
    s.side("A", 30, top=False, bottom=False)
    s.loop(30, "jx:for ind in indicators; merge=B")
    s.field("B30", "ind.level1", align="center")
    s.field("C30", "ind.subproject")
    s.field("D30", "ind.name")
    s.field("E30", "ind.target", align="center")
    s.field("F30", "ind.explanation")
    s.field("G30", "ind.source")
    s.height(30, 30)
    extra.label(29, "备注", col=extra.value_col, bold=True)
    extra.field(30, "ind.note")
    s.level1("B30")
    s.validate("C30", "list", "$B$18:$B$18", title="对应子项目名称",
               error="对应子项目宜取自上方“项目资金构成”的子项目名称（多个子项目用“, ”分隔时请确认保留）。")

    s.label("A31", "需要说明的其它问题")
    s.text("B31:G31", "texts.other")
    s.height(31, 40)
    s.line("A32:B32", "填报单位负责人：{{ project.unit_head }}", align="left", locked=False, height=24)
    s.line("C32:D32", "填报人：{{ project.filled_by }}", align="left", locked=False)
    s.line("E32:G32", "填报日期：{{ project.filled_on }}", align="left", locked=False)

    # checks
    s.check(14, '=IF(COUNT(C14,E14)<2,"",IF(N(E14)<=N(C14)+0.005,"✓","✗"))', "拨付资金不超过安排资金")
    s.check(15, '=IF(COUNT(C14,E14,E15)<3,"",IF(N(C14)=0,"",IF(ABS(ROUND(E14/C14*100,2)-N(E15))<0.01,"✓","✗")))',
            "资金到位率 = 拨付资金 / 安排资金", '=IF(N(C14)=0,"",E14/C14*100)', "0.00")
    s.check(16, '=IF(COUNT(C15,E14,C16)<3,"",IF(N(E14)=0,"",IF(ABS(ROUND(C15/E14*100,2)-N(C16))<0.01,"✓","✗")))',
            "预算执行率 = 支出资金 / 拨付资金", '=IF(N(E14)=0,"",C15/E14*100)', "0.00")
    s.check(19, '=IF(COUNT(E18:E18,E19)=0,"",IF(ABS(SUM(E18:E18)-N(E19))<0.005,"✓","✗"))',
            "子项目合计 = 各子项目预算金额之和", "=SUM(E18:E18)", MONEY)
    s.check(20, '=IF(COUNT(E19,E25)<2,"",IF(ABS(N(E19)-N(E25))<0.005,"✓","✗"))',
            "子项目合计 = 资金来源本年度计划数合计")
    for r, col, name in ((23, "C", "项目投资总额"), (24, "D", "上年度资金"), (25, "E", "本年度计划数")):
        s.check(r, f'=IF(COUNT({col}21:{col}25)=0,"",IF(ABS(SUM({col}21:{col}24)-N({col}25))<0.005,"✓","✗"))',
                f"资金来源合计（{name}）= 各来源之和", f"=SUM({col}21:{col}24)", MONEY)
    s.check(21, '=IF(COUNT(N21,C25)<2,"",IF(ABS(N(N21)-N(C25))<0.005,"✓","✗"))',
            "项目资金总额 = 资金来源合计（项目投资总额）")
    s.check(22, '=IF(COUNT(N22,E25)<2,"",IF(ABS(N(N22)-N(E25))<0.005,"✓","✗"))',
            "年度资金申请总额 = 资金来源合计（本年度计划数）")
    s.check(30, '=IF(AND(D30="",E30=""),"",IF(OR(D30="",E30=""),"✗","✓"))', "指标名称与目标值成对填写")
    s.finish(last_row=32, title_rows="29:29", freeze="A3")
    lists.finish()
    return wb
