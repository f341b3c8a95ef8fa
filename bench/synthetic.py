"""Synthetic forms for the benchmarks: realistic names and values drawn from the seeds."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from generator.model import Form, Funding, Indicator, Project

TREE = (
    ("产出指标", "数量指标", ("培训开展课时数量", "≥120.00(课时)"), ("市、区两级试点校数量", "=54.00(所)"),
     ("学生心理咨询解答率", "=100.00(%)"), ("专家外聘人次", "=63.00(人次)")),
    ("产出指标", "质量指标", ("教师结业率", "≥95.00(百分比)"), ("项目验收合格率", "=100%"),
     ("心理咨询解答准确性", "准确")),
    ("产出指标", "时效指标", ("培训开展完成及时性", "及时"), ("课题结题完成时间", "2023年6月前")),
    ("效益指标", "社会效益指标", ("学生学业质量提升情况", "有提升"), ("整改落实比例", "≥80.00(百分比)")),
    ("效益指标", "可持续影响指标", ("长效管理机制健全性", "建立健全"),),
    ("满意度指标", "服务对象满意度指标", ("学生满意度", "≥90.00(百分比)"), ("教师满意度", "≥90%")),
)


def indicators(rng: random.Random, count: int) -> list[Indicator]:
    rows, last = [], None
    for n in range(count):
        level1, level2, *leaves = TREE[min(n * len(TREE) // count, len(TREE) - 1)]
        name, target = rng.choice(leaves)
        rows.append(Indicator(level1=level1 if level1 != (last or ("",))[0] else "",
                              level2=level2 if (level1, level2) != last else "",
                              name=f"{name}{n}", target=target))
        last = (level1, level2)
    return rows


def form(rng: random.Random, n: int, n_indicators: int = 30, unit: str = "") -> Form:
    total = Decimal(rng.randrange(10_000, 5_000_000_00)) / 100
    return Form(
        form="sh2023", region="上海", year=2023, sheet=f"项目{n}",
        project=Project(name=f"项目{n}", code=f"P{n:05d}", department="闵行区教育局(汇总)",
                        unit=unit or f"单位{n // 10}", nature="经常性项目", category="特定目标类",
                        start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)),
        funding=Funding(total=total, fiscal=total, other=Decimal(0), annual=total,
                        annual_fiscal=total, carryover=Decimal(0), annual_other=Decimal(0)),
        indicators=indicators(rng, n_indicators))


def forms(count: int, n_indicators: int = 30, seed: int = 2023) -> list[Form]:
    rng = random.Random(seed)
    return [form(rng, n, n_indicators) for n in range(count)]
