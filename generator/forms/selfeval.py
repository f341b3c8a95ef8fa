"""selfeval: 财政项目支出绩效自评表 (seed 003), landscape.

    A        B                  C          D            E           F          G        H       I
 1  财政项目支出绩效自评表
 2                         （{{ year }}年度） (D:F)             项目编码：{{ project.code }} (G:I)
 3  项目名称 | name (B:I)
 4  主管部门 | department (B:D) | 实施单位 (E) | unit (F:I)
 5  项目资金 |                  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 (H:I)
 6  （元）   | 年度资金总额     | lines[0].initial/planned/executed | weight | rate (G6:G9) | score (H6:I9)
 7  (A5:A9)  | 其中：当年财政拨款 lines[1] | —
 8           | 上年结转资金 lines[2]       | —
 9           | 其他资金 lines[3]           | —
    (B6:B9 are execution.lines[i].item, printing the official label when the model has none)
10  年度总体目标 | 预算目标 (B:E) | 实际完成情况 (F:I)
11  (A10:A11)    | annual_goal    | texts.actual
12  绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
13  loop: jx:for ind in indicators; merge=B,C
14  总分 (A:F) | total_weight | total_score |
J = hidden helper, K/L/M = checks (not printed).
"""
from __future__ import annotations

from openpyxl.styles import Alignment

from .styles import MONEY, PERCENT, FormSheet, Lists, new_workbook, set_properties

FORM = "selfeval"
REGION = "上海"
TITLE = "财政项目支出绩效自评表"
SHEET = "绩效自评表"
TAXONOMY = "shanghai-2021.yaml"
LINES = ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")


def build():
    wb = new_workbook()
    set_properties(wb, FORM, REGION, TITLE)
    s = FormSheet(wb, SHEET, [10, 15, 16, 26, 15, 15, 9, 9, 28], landscape=True, form=FORM)
    lists = Lists(wb, FORM)
    lists.taxonomy(TAXONOMY)

    s.title(1, TITLE)
    s.line("D2:F2", "（{{ year }}年度）", size=12, height=22)
    s.line("G2:I2", "项目编码：{{ project.code }}", align="right", locked=False)
    s.check_header(2)
    s.label("A3", "项目名称")
    s.field("B3:I3", "project.name")
    s.label("A4", "主管部门")
    s.field("B4:D4", "project.department")
    s.label("E4", "实施单位")
    s.field("F4:I4", "project.unit")
    s.height(3, 24)
    s.height(4, 24)

    s.label("A5:A9", "项目资金\n（{{ funding.unit }}）")
    s.blank("B5")
    for c, text in zip(("C5", "D5", "E5", "F5", "G5", "H5:I5"),
                       ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        s.label(c, text, bold=True)
    for i, text in enumerate(LINES):
        r = 6 + i
        item = f'{{{{ execution.lines[{i}].item | default("{text}", true) }}}}'
        cell = s.field(f"B{r}", "其中：" + item if i == 1 else item)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True,
                                   indent=0 if i < 2 else 2)
        for c, attr in zip("CDE", ("initial", "planned", "executed")):
            s.field(f"{c}{r}", f"execution.lines[{i}].{attr}", fmt=MONEY)
        if i:
            s.label(f"F{r}", "—")
        s.height(r, 20)
    s.money("C6:E9")
    s.field("F6", "execution.weight", fmt="General", align="center")
    s.field("G6:G9", "execution.rate", fmt=PERCENT, align="center")
    s.field("H6:I9", "execution.score", fmt="General", align="center")
    s.validate("F6", "decimal", "0", formula2="100", operator="between", title="分值",
               error="分值为 0–100 的数字。")

    s.label("A10:A11", "年度\n总体\n目标")
    s.label("B10:E10", "预算目标", bold=True)
    s.label("F10:I10", "实际完成情况", bold=True)
    s.text("B11:E11", "texts.annual_goal")
    s.text("F11:I11", "texts.actual")
    s.height(10, 20)
    s.height(11, 150)

    s.label("A12", "绩效\n指标", valign="top")
    s.side("A", 12, top=True, bottom=False)
    for c, text in zip("BCDEFGHI", ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                    "分值", "得分", "偏差原因分析及改进措施")):
        s.label(f"{c}12", text, bold=True)
    s.height(12, 30)
    s.side("A", 13, top=False, bottom=False)
    s.loop(13, "jx:for ind in indicators; merge=B,C")
    s.field("B13", "ind.level1", align="center")
    s.field("C13", "ind.level2", align="center")
    s.field("D13", "ind.name")
    s.field("E13", "ind.target", align="center")
    s.field("F13", "ind.actual", align="center")
    s.field("G13", "ind.weight", fmt="General", align="center")
    s.field("H13", "ind.score", fmt="General", align="center")
    s.field("I13", "ind.deviation")
    s.height(13, 30)
    s.level1_helper(12, 13, "B")
    s.level1("B13")
    s.level2("C13", "13")
    s.validate("G13:H13", "decimal", "0", formula2="100", operator="between", title="分值/得分",
               error="分值、得分为 0–100 的数字。")

    s.label("A14:F14", "总分", bold=True)
    s.field("G14", "execution.total_weight", fmt="General", align="center")
    s.field("H14", "execution.total_score", fmt="General", align="center")
    s.blank("I14")
    s.height(14, 22)

    # checks
    rate = "IFERROR(VALUE(G6&\"\"),-1)"
    s.check(5, '=IF(COUNT(C6:C9)=0,"",IF(ABS(N(C6)-N(C7)-N(C8)-N(C9))<0.005,"✓","✗"))',
            "年初预算数：年度资金总额 = 当年财政拨款 + 上年结转 + 其他", "=N(C7)+N(C8)+N(C9)", MONEY)
    s.check(6, f'=IF(OR(N(D6)=0,G6=""),"",IF(ABS(ROUND(N(E6)/D6,4)-{rate})<0.00005,"✓","✗"))',
            "执行率 = 全年执行数 / 全年预算数", '=IF(N(D6)=0,"",N(E6)/D6)', PERCENT)
    s.check(7, '=IF(OR(N(D6)=0,H6=""),"",IF(ABS(N(H6)-ROUND(MIN(N(E6)/D6,1)*N(F6),2))<0.005,"✓","✗"))',
            "执行率得分 = MIN(执行率, 100%) × 分值", '=IF(N(D6)=0,"",ROUND(MIN(N(E6)/D6,1)*N(F6),2))', "0.00")
    s.check(8, '=IF(COUNT(D6:D9)=0,"",IF(ABS(N(D6)-N(D7)-N(D8)-N(D9))<0.005,"✓","✗"))',
            "全年预算数：年度资金总额 = 当年财政拨款 + 上年结转 + 其他", "=N(D7)+N(D8)+N(D9)", MONEY)
    s.check(9, '=IF(COUNT(E6:E9)=0,"",IF(ABS(N(E6)-N(E7)-N(E8)-N(E9))<0.005,"✓","✗"))',
            "全年执行数：年度资金总额 = 当年财政拨款 + 上年结转 + 其他", "=N(E7)+N(E8)+N(E9)", MONEY)
    s.check(13, '=IF(AND(G13="",H13=""),"",IF(N(H13)>N(G13)+0.005,"✗",IF(AND(N(H13)<N(G13),I13=""),"✗","✓")))',
            "得分不超过分值；未得满分须填偏差原因")
    s.check(14, '=IF(H14="","",IF(ABS(N(H14)-SUM(H13:H13)-N(H6))<0.005,"✓","✗"))',
            "总分得分 = 各指标得分 + 执行率得分", "=SUM(H13:H13)+N(H6)", "0.00")
    s.check(15, '=IF(G14="","",IF(ABS(N(G14)-SUM(G13:G13)-N(F6))<0.005,"✓","✗"))',
            "总分分值 = 各指标分值 + 执行率分值（通常 100）", "=SUM(G13:G13)+N(F6)", "0.00")
    s.finish(last_row=14, title_rows="12:12", freeze="A3")
    lists.finish()
    return wb
