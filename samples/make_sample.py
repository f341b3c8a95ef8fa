"""Build samples/项目清单.xlsx, the bundled master list (deterministic bytes).

    python samples/make_sample.py [OUT.xlsx]

The six projects of 上海市闵行区教育学院 and their indicators are seed 004's
(tests/fixtures/seed004.yaml, the 2023 Shanghai form).  The others are typical
projects of a district's education units; those without indicators here get
the indicator library's presets when generated.
"""
from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.generate import save_workbook  # noqa: E402
from generator.masterlist import master_workbook  # noqa: E402
from generator.model import Form, Funding, Indicator, Project, Texts  # noqa: E402
from generator.yamlio import load_book  # noqa: E402

DEPARTMENT = "闵行区教育局(汇总)"
YEAR_START, YEAR_END = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
UNIT_CODES = {"上海市闵行区教育学院": "JYXY", "闵行区教育信息中心": "XXZX", "闵行区春申中学": "CSZX",
              "闵行区梅陇中学": "MLZX", "闵行区古美小学": "GMXX", "闵行区华漕小学": "HCXX",
              "闵行区浦江第二小学": "PJXX", "闵行区莘城幼儿园": "XCYE", "闵行区七彩幼儿园": "QCYE"}

# name, unit, nature, amount, goal, indicators (None: the library's preset), extra
OTHERS = [
    ("教育城域网运维服务", "闵行区教育信息中心", "经常性项目", "2860000",
     "保障全区教育城域网、数据中心机房和校园网出口 7×24 小时稳定运行，故障及时排除，网络安全事件零发生。", None),
    ("智慧教育云平台运维", "闵行区教育信息中心", "经常性项目", "1980000",
     "完成{{ year }}年度智慧教育云平台（统一身份认证中心、教育数据中台）的运行维护，保障平台全年可用率不低于99.9%，"
     "依据《上海市教育信息化2.0行动计划(2018-2022)》和《闵行区教育事业发展“十四五”规划(2021-2025)》持续提升应用体验。",
     [("产出指标", "数量指标", "运维服务覆盖学校数量", "≥260.00(所)"),
      ("产出指标", "数量指标", "平台月度运行报告数量", "=12.00(份)"),
      ("产出指标", "质量指标", "平台全年可用率", "≥99.90(百分比)"),
      ("产出指标", "质量指标", "故障排除率", "=100.00(百分比)"),
      ("产出指标", "时效指标", "故障排除", "≤48.00小时"),
      ("产出指标", "时效指标", "年度运维总结完成时间", "{{ year }}年12月前"),
      ("效益指标", "社会效益指标", "云平台运营维护情况", "7*24无休"),
      ("效益指标", "可持续影响指标", "长效管理机制健全性", "建立健全"),
      ("满意度指标", "服务对象满意度指标", "学校满意度", "≥90.00(百分比)")]),
    ("校园网络/信息系统等级保护测评", "闵行区教育信息中心", "一次性项目", "420000",
     "按《关于做好2023年度网络安全等级保护工作的通知》(闵教〔2023〕18号)要求，完成区属信息系统等级保护测评与整改。", None),
    ("教育信息中心残疾人就业保障金", "闵行区教育信息中心", "经常性项目", "36512.40",
     "根据《残疾人保障法》，及时准确完成年度残疾人保障金缴纳工作。", None),
    ("校本研修与青年教师培养", "闵行区春申中学", "经常性项目", "186000",
     "开展{{ year }}年度校本研修，完成青年教师带教与教学基本功培训，提升教师专业能力。",
     [("产出指标", "数量指标", "校本研修课时数量", "≥60.00(课时)"),
      ("产出指标", "数量指标", "青年教师带教对数", "=18.00(对)"),
      ("产出指标", "质量指标", "教师结业率", "≥95.00(百分比)"),
      ("产出指标", "时效指标", "培训完成及时性", "及时"),
      ("效益指标", "社会效益指标", "青年教师教学能力", "提升"),
      ("效益指标", "可持续影响指标", "长效管理机制健全性", "建立健全"),
      ("满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90.00(百分比)")]),
    ("教室多媒体设备更新", "闵行区春申中学", "一次性项目", "648000",
     "更新24间普通教室的交互式多媒体设备，满足新课标下的信息化教学需要。", None),
    ("学生心理健康教育", "闵行区春申中学", "经常性项目", "82000",
     "建设学校心理辅导室，开展学生心理健康普查与个别辅导，促进学生心理健康。", None),
    ("春申中学残疾人就业保障金", "闵行区春申中学", "经常性项目", "28436.00",
     "根据《残疾人保障法》，及时准确完成年度残疾人保障金缴纳工作。", None),
    ("理化生实验室改造", "闵行区梅陇中学", "一次性项目", "1250000",
     "完成物理、化学、生物实验室改造及实验设备购置，{{ year }}年9月开学前投入使用。", None),
    ("初中学业质量监测", "闵行区梅陇中学", "经常性项目", "96000",
     "开展初中各年级学业质量监测与分析，形成质量分析报告并落实整改。", None),
    ("班主任队伍建设", "闵行区梅陇中学", "经常性项目", "64000",
     "开展班主任专题培训与德育课题研究，提升班主任育德能力。", None),
    ("校园网络运维", "闵行区古美小学", "经常性项目", "120000",
     "保障校园网络、多媒体教室和录播系统稳定运行，设备故障及时修复。", None),
    ("小学低年级主题式综合活动课程", "闵行区古美小学", "阶段性项目", "150000",
     "依托区级试点，开发小学低年级主题式综合活动课程，形成课程方案与活动案例。",
     [("产出指标", "数量指标", "主题活动课程数量", "=6.00(个)"),
      ("产出指标", "质量指标", "课程方案形成率", "=100.00(百分比)"),
      ("产出指标", "时效指标", "课程方案完成时间", "{{ year }}年6月前"),
      ("效益指标", "社会效益指标", "学生实践能力", "提升"),
      ("效益指标", "可持续影响指标", "课程持续开设机制健全性", "建立健全"),
      ("满意度指标", "服务对象满意度指标", "学生满意度", "≥90.00(百分比)"),
      ("满意度指标", "服务对象满意度指标", "家长满意度", "≥90.00(百分比)")]),
    ("图书馆图书采购", "闵行区古美小学", "经常性项目", "80000",
     "补充更新学校图书馆藏书，生均藏书量达到标准。", None),
    ("教师信息技术应用能力提升工程2.0培训", "闵行区华漕小学", "阶段性项目", "58000",
     "完成全体教师信息技术应用能力提升工程2.0校本培训，每人不少于50学时。", None),
    ("课后服务", "闵行区华漕小学", "经常性项目", "360000",
     "开展课后看护与兴趣活动，满足学生课后服务需求。", None),
    ("华漕小学残疾人就业保障金", "闵行区华漕小学", "经常性项目", "19870.00",
     "根据《残疾人保障法》，及时准确完成年度残疾人保障金缴纳工作。", None),
    ("校园安防系统升级", "闵行区浦江第二小学", "一次性项目", "430000",
     "升级校园视频监控与门禁系统，实现与区教育安全平台联网。", None),
    ("学科教研与课堂教学研究", "闵行区浦江第二小学", "经常性项目", "72000",
     "开展区级课题研究与校本教研，形成优秀课例与研究成果。", None),
    ("幼儿园保教质量提升", "闵行区莘城幼儿园", "经常性项目", "95000",
     "开展保教质量自评与园本教研，提升一日活动组织质量。", None),
    ("幼儿园玩教具购置", "闵行区莘城幼儿园", "一次性项目", "168000",
     "为新开设的6个班级购置玩教具和户外活动器械。", None),
    ("保育员与营养员培训", "闵行区七彩幼儿园", "经常性项目", "38000",
     "开展保育员、营养员岗位培训，持证上岗率100%。", None),
    ("园舍维修", "闵行区七彩幼儿园", "一次性项目", "520000",
     "完成教学楼屋面防水与外墙维修，消除安全隐患。", None),
]
EXTRA = "功能分类科目"
SUBJECTS = {"小学": "2050202 小学教育", "中学": "2050203 初中教育", "幼儿园": "2050201 学前教育"}


def seed_forms() -> list[Form]:
    forms = load_book(ROOT / "tests" / "fixtures" / "seed004.yaml").forms
    for k, form in enumerate(forms, 1):
        form.project.code = f"MH2023-JYXY-{k:03d}"
        form.texts.goal_period = ""
        form.extra = {EXTRA: "2050803 培训支出"}
    return forms


def other_form(k: int, row: tuple) -> Form:
    name, unit, nature, amount, goal, indicators = row
    money = Decimal(amount)
    fiscal, carry = (money, Decimal(0)) if k % 5 else (money - 20000, Decimal(20000))
    end = dt.date(2024, 6, 30) if name == "理化生实验室改造" else YEAR_END
    subject = next((v for key, v in SUBJECTS.items() if unit.endswith(key)), "2050899 其他进修及培训")
    return Form(
        form="sh2023" if k % 4 == 0 else "", year=2023,
        project=Project(name=name, code=f"MH2023-{UNIT_CODES[unit]}-{k:03d}", department=DEPARTMENT,
                        unit=unit, nature=nature, category="特定目标类", start=YEAR_START, end=end,
                        leader="", contact="", phone=""),
        funding=Funding(total=money, fiscal=money, other=Decimal(0), annual=money,
                        annual_fiscal=fiscal, carryover=carry, annual_other=Decimal(0)),
        texts=Texts(goal=goal, annual_goal=goal),
        indicators=[Indicator(level1=a, level2=b, name=c, target=d) for a, b, c, d in indicators or ()],
        extra={EXTRA: subject})


def sample_forms() -> list[Form]:
    return seed_forms() + [other_form(k, row) for k, row in enumerate(OTHERS, 1)]


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "samples" / "项目清单.xlsx"
    save_workbook(master_workbook(sample_forms()), out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
