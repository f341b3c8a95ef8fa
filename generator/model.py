"""The form model: one set of dataclasses for every official form.

A `Form` is one project's form as the clerk filled it.  Fields hold what the
form says: amounts are `Decimal` when they read as numbers and the raw text
otherwise, so the rules can report a bad cell instead of losing it.  Blank
一级/二级 cells stay blank here (as under a merged cell); `effective_levels`
fills them down the way a reader of the printed form does.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

Amount = Union[Decimal, str, None]
DateValue = Union[dt.date, str, None]


@dataclass
class Project:
    name: str = ""            # 项目名称
    code: str = ""            # 项目编码
    department: str = ""      # 主管部门
    unit: str = ""            # 实施单位 / 申报单位 / 填报单位
    unit_code: str = ""       # 单位编码 (苏州: 申报单位名称前的编码)
    nature: str = ""          # 项目性质: 经常性项目 / 阶段性项目 / 一次性项目 ...
    category: str = ""        # 项目类别 / 项目类型
    attribute: str = ""       # 项目属性 (苏州)
    procurement: str = ""     # 是否政府采购
    purchase_service: str = ""  # 是否政府购买服务
    leader: str = ""          # 项目负责人
    contact: str = ""         # 联系人
    phone: str = ""           # 联系电话
    start: DateValue = None   # 计划开始日期 / 起始日期
    end: DateValue = None     # 计划完成日期 / 结束日期
    unit_head: str = ""       # 填报单位负责人
    filled_by: str = ""       # 填表人
    filled_on: str = ""       # 填报日期


@dataclass
class Funding:
    """Amounts of the 项目资金 block, in the form's `unit`."""
    unit: str = "元"
    total: Amount = None          # 项目资金总额 / 项目总预算 / 项目投资总额
    fiscal: Amount = None         # 其中：财政资金
    other: Amount = None          # 其他资金 (总额中)
    annual: Amount = None         # 年度资金申请总额 / 当年预算 / 本年度计划数
    annual_fiscal: Amount = None  # 其中：当年财政拨款 / (一)财政拨款
    carryover: Amount = None      # 上年结转资金
    annual_other: Amount = None   # 其他资金 (年度中)
    upper: Amount = None          # 1. 上级财政拨款
    own: Amount = None            # 2. 本级财政安排
    lower: Amount = None          # 3. 下级财政配套


@dataclass
class Texts:
    overview: str = ""      # 项目概况
    basis: str = ""         # 立项依据 / 项目设立依据
    necessity: str = ""     # 必要性
    feasibility: str = ""   # 可行性
    resources: str = ""     # 项目相关资源投入和制度建设情况
    measures: str = ""      # 保证项目实施的制度、措施
    plan: str = ""          # 项目实施计划
    goal: str = ""          # 项目总目标
    goal_period: str = ""   # 项目总目标的期间, 如 2023年-2023年
    annual_goal: str = ""   # 年度总体目标 / 年度绩效目标 / 预算目标
    composition: str = ""   # 项目构成: 主体活动和对应产出的描述
    actual: str = ""        # 实际完成情况 (自评)
    other: str = ""         # 需要说明的其他问题


@dataclass
class Indicator:
    level1: str = ""        # 一级指标 (空 = 同上, 合并单元格)
    level2: str = ""        # 二级指标
    name: str = ""          # 三级指标 / 指标名称
    target: str = ""        # 指标值 / 目标值 / 年度指标值
    note: str = ""          # 备注
    subproject: str = ""    # 对应子项目名称 (苏州)
    explanation: str = ""   # 指标解释 (苏州)
    source: str = ""        # 目标值来源 (苏州)
    actual: str = ""        # 实际完成值 (自评)
    weight: Amount = None   # 分值 (自评)
    score: Amount = None    # 得分 (自评)
    deviation: str = ""     # 偏差原因分析及改进措施 (自评)


@dataclass
class DetailLine:
    """项目构成分解: one line of the cost breakdown."""
    project: str = ""       # 项目名称
    content: str = ""       # 项目内容
    item: str = ""          # 项目明细
    amount: Amount = None   # 明细金额
    price: Amount = None    # 单价
    price_basis: str = ""   # 依据 (单价)
    quantity: Amount = None  # 数量
    quantity_basis: str = ""  # 依据 (数量)
    note: str = ""          # 备注


@dataclass
class SubProject:
    name: str = ""          # 子项目名称
    amount: Amount = None   # 预算金额


@dataclass
class FundSource:
    source: str = ""        # 资金来源: 上级财政资金 / 市级财政资金 / 其他 / 下级财政资金
    total: Amount = None    # 项目投资总额
    previous: Amount = None  # 上年度资金
    planned: Amount = None  # 本年度计划数


@dataclass
class PreviousUse:
    """本项目上年度市级财政资金使用情况 (苏州)."""
    arranged: Amount = None    # 安排资金
    allocated: Amount = None   # 拨付资金
    spent: Amount = None       # 支出资金
    arrival_rate: Amount = None  # 资金到位率 (%)
    execution_rate: Amount = None  # 预算执行率 (%)


@dataclass
class BudgetLine:
    """One row of the 自评表 项目资金 block."""
    item: str = ""            # 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Amount = None    # 年初预算数
    planned: Amount = None    # 全年预算数
    executed: Amount = None   # 全年执行数


@dataclass
class Execution:
    """The 自评表's budget execution and totals, as printed."""
    lines: list[BudgetLine] = field(default_factory=list)
    weight: Amount = None     # 分值 of 预算执行率
    rate: str = ""            # 执行率 as printed, e.g. 98.88%
    score: Amount = None      # 得分 of 预算执行率
    total_weight: Amount = None  # 总分 row: 分值
    total_score: Amount = None   # 总分 row: 得分


@dataclass
class Guarantee:
    """制度保障: one row."""
    kind: str = ""            # 项目管理制度 / 预算管理制度 / 财务管理制度
    document: str = ""        # 文件名称
    measures: str = ""        # 具体措施
    planning: bool = False    # 立项和计划阶段
    implementation: bool = False  # 实施阶段
    closing: bool = False     # 收尾和完成阶段


@dataclass
class Form:
    form: str = ""            # template id, e.g. sh2023
    region: str = ""          # 上海 / 苏州
    year: int | None = None   # budget year
    sheet: str = ""           # the sheet the form starts on
    project: Project = field(default_factory=Project)
    funding: Funding = field(default_factory=Funding)
    texts: Texts = field(default_factory=Texts)
    indicators: list[Indicator] = field(default_factory=list)
    details: list[DetailLine] = field(default_factory=list)
    details_total: Amount = None      # 金额合计 as printed
    subprojects: list[SubProject] = field(default_factory=list)
    subprojects_total: Amount = None  # 子项目 合计 as printed
    sources: list[FundSource] = field(default_factory=list)
    sources_total: FundSource | None = None  # 资金来源 合计 row
    previous_use: PreviousUse | None = None
    execution: Execution | None = None
    guarantees: list[Guarantee] = field(default_factory=list)
    extra: dict = field(default_factory=dict)   # fields a template adds
    # Model path -> "Sheet!A1" of the cell it came from; set by readers, not saved.
    where: dict = field(default_factory=dict, repr=False, compare=False)

    def cell_of(self, path: str) -> str:
        return self.where.get(path, "")


@dataclass
class Book:
    """A file: one or more forms (one per project)."""
    forms: list[Form] = field(default_factory=list)
    path: str = ""


def effective_levels(indicators: list[Indicator]) -> list[tuple[str, str]]:
    """(一级, 二级) of each row with blanks filled down, as merged cells read.

    A blank 二级 inherits only while the 一级 is inherited too: a new 一级
    starts a new group.  Rows of one group share one tuple.
    """
    out, level1, level2 = [], "", ""
    pair = (level1, level2)
    for ind in indicators:
        if ind.level1 or ind.level2:    # most rows sit under merged cells: nothing written
            new1, new2 = ind.level1.strip(), ind.level2.strip()
            if new1:
                level2 = "" if new1 != level1 else level2
                level1 = new1
            if new2:
                level2 = new2
            pair = (level1, level2)
        out.append(pair)
    return out

