"""The seed defects, each found by the rule that should find it — and clean forms stay clean."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from conftest import seed
from generator.model import Indicator
from generator.paths import templates_dir
from generator.profile import load_profile, profile_for
from generator.rules import RULES, check_form


def findings(n: int, project: str | None = None, form=None):
    book = seed(n)
    form = form or next(f for f in book.forms if project is None or project in f.project.name)
    return check_form(form, f"seed{n:03d}.yaml")


def by_rule(found, rule_id):
    return [f for f in found if f.rule == rule_id]


# (seed, project substring, rule, text the finding must name — indicator or message)
SEED_DEFECTS = [
    # a value shifted into the wrong column: name in the 一级 column, value in the 三级 column
    (1, None, "value.shifted", "≤2个月"),
    (1, None, "value.shifted", "=100.00%"),
    # 立项决策 is no 二级 of 影响力目标
    (1, None, "hierarchy.level2", "立项决策"),
    # an indicator placed under the wrong 二级: 长效管理 under 满意度
    (4, "教育综改", "hierarchy.misplaced", "长效管理机制健全性"),
    (4, "教学质量监控", "hierarchy.misplaced", "长效管理机制健全性"),
    # a 满意度 under 可持续影响指标
    (4, "教师培训", "hierarchy.misplaced", "核心素养背景下的教育学设计创新培训参与培训对象满意度"),
    # an indicator with no value at all
    (4, "教师培训", "value.empty", "核心素养背景下的教育学设计创新培训校内教师指导率"),
    # the same indicator twice (《闵行教育研究》期数 and …双月刊杂志编辑期数, both =6.00(期))
    (4, "教学研究", "duplicate.similar", "《闵行教育研究》期数"),
    # 003's 满意度 target of >=100%
    (3, "教育改革试点", "value.satisfaction_full", "被服务单位满意度"),
    # ">=100%" on a rate that isn't satisfaction
    (3, "教育改革试点", "value.pct_full_ge", "平台使用率"),
    # a 满意度 row whose value is not a percentage
    (3, "内涵建设", "value.satisfaction_pct", "第三方服务单位质量考核制度建立情况"),
    # missing operator (100%) and missing unit (=10.00)
    (4, "残疾人就业保障金", "value.no_operator", "残保金缴纳完成率"),
    (1, None, "value.no_unit", "学校数据分析报告"),
    # a near-miss comparison word: 字数不少8万字
    (1, None, "value.unreadable", "重点学科及实验学校进行学习分析的教育服务方案"),
]


@pytest.mark.parametrize("n,project,rule_id,text", SEED_DEFECTS)
def test_seed_defect_found_by_its_rule(n, project, rule_id, text):
    hits = by_rule(findings(n, project), rule_id)
    assert any(text in f.indicator or text in f.message for f in hits), \
        f"{rule_id} did not name {text!r}: {[f.message for f in hits]}"


def test_every_finding_is_chinese_and_located():
    for n in range(5):
        for form in seed(n).forms:
            for f in check_form(form, f"seed{n:03d}.yaml"):
                assert f.severity in ("错误", "提示")
                assert f.file and f.sheet and f.cell and f.project
                assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message), f.message


def test_clean_money_on_the_seeds():
    """The seed README's sums hold, so no money rule fires on 000, 001, 002."""
    for n in (0, 1, 2):
        money = [f for f in findings(n) if f.rule.startswith("money.")]
        assert money == [], [f.message for f in money]


def test_details_sum_mismatch_is_an_error():
    form = seed(0).forms[0]
    form.details[0].amount = Decimal("84000")
    hits = by_rule(check_form(form), "money.details_sum")
    assert hits and all(f.severity == "错误" for f in hits)
    assert "600.00" in hits[0].message or "600" in hits[-1].message


def test_suzhou_subprojects_must_add_up():
    form = seed(2).forms[0]
    form.subprojects[0].amount = Decimal("2330.00")
    assert by_rule(check_form(form), "money.subprojects_sum")


def test_sources_must_add_up():
    form = seed(0).forms[0]
    form.funding.own = Decimal("5000000")
    messages = [f.message for f in by_rule(check_form(form), "money.sources_sum")]
    assert any("上级财政拨款 + 本级财政安排 + 下级财政配套" in m for m in messages)


def test_amount_that_is_not_a_number_and_negative():
    form = seed(4).forms[0]
    form.funding.total = "待定"
    form.funding.fiscal = Decimal("-1")
    found = check_form(form)
    assert by_rule(found, "money.not_number")[0].cell == "funding.total"
    assert by_rule(found, "money.negative")


def test_wan_yuan_mixup():
    form = seed(2).forms[0]
    form.subprojects[0].amount = Decimal("23305000")
    assert by_rule(check_form(form), "money.unit_mixup")


def test_duplicate_with_two_values_is_an_error_and_same_value_a_hint():
    form = seed(4).forms[0]
    first = form.indicators[0]
    form.indicators.append(Indicator(name=first.name, target="=90%"))
    conflict = by_rule(check_form(form), "duplicate.conflict")
    assert conflict and conflict[0].severity == "错误"
    form.indicators[-1].target = first.target
    found = check_form(form)
    assert not by_rule(found, "duplicate.conflict")
    assert by_rule(found, "duplicate.same")[0].severity == "提示"


def test_hierarchy_missing_satisfaction_and_output_dimensions():
    form = seed(4).forms[0]
    form.indicators = [i for i in form.indicators if "满意度" not in i.name and "满意度" not in i.level1]
    form.indicators = [i for i in form.indicators if i.level2 != "时效指标"]
    messages = [f.message for f in check_form(form)]
    assert "缺少满意度指标" in messages
    assert "产出指标缺少时效指标" in messages


def test_level2_name_in_level1_column():
    form = seed(4).forms[0]
    form.indicators[3].level1 = "时效指标"
    hits = by_rule(check_form(form), "hierarchy.level1")
    assert any("是“产出指标”下的二级指标" in f.message for f in hits)


def test_placeholder_and_qualitative_for_number():
    form = seed(4).forms[0]
    form.indicators[0].target = "**"
    form.indicators[1].target = "及时"   # 残保金缴纳准确率 asks for a number
    found = check_form(form)
    assert by_rule(found, "value.placeholder")
    assert by_rule(found, "value.qualitative_number")


def test_dates_order_year_and_deadline():
    import datetime as dt
    form = seed(4).forms[4]          # 教学研究类项目: deadlines 2023年6月前 …
    form.project.end = dt.date(2023, 5, 31)
    found = check_form(form)
    assert by_rule(found, "date.deadline")
    form.project.start = dt.date(2024, 1, 1)
    found = check_form(form)
    assert by_rule(found, "date.order") and by_rule(found, "date.budget_year")
    form.project.start = "2023年13月1日"
    assert by_rule(check_form(form), "date.invalid")


def test_profile_switches_a_rule_off_and_changes_severity(tmp_path):
    shutil.copy(templates_dir() / "profiles" / "default.yaml", tmp_path / "default.yaml")
    (tmp_path / "mine.yaml").write_text(
        "inherits: default\nrules:\n  value.shifted: {enabled: false}\n"
        "  hierarchy.level2: {severity: 提示}\n", encoding="utf-8")
    profile = load_profile(str(tmp_path / "mine.yaml"))
    found = check_form(seed(1).forms[0], profile=profile)
    assert not by_rule(found, "value.shifted")
    assert {f.severity for f in by_rule(found, "hierarchy.level2")} == {"提示"}


def test_every_rule_is_in_the_default_profile():
    profile = profile_for("上海")
    assert set(RULES) <= set(profile.rules), set(RULES) - set(profile.rules)
    for rule_id, spec in RULES.items():
        assert profile.severity(rule_id, spec.severity) in ("错误", "提示")


def test_a_clean_form_checked_again_after_each_defect():
    """The rules' quick form-wide tests (pairs of levels, names, amounts) let
    every defect through, and nothing of one check carries over to the next."""
    import copy
    clean = seed(4).forms[2]             # 德育队伍建设类项目: no finding
    assert check_form(clean) == []
    defects = [
        ("hierarchy.level1", lambda f: setattr(f.indicators[0], "level1", "产出指表")),
        ("hierarchy.empty_name", lambda f: setattr(f.indicators[3], "name", " ")),
        ("duplicate.conflict", lambda f: setattr(f.indicators[1], "name", f.indicators[0].name)),
        ("value.pct_over_100", lambda f: setattr(f.indicators[1], "target", "≥120%")),
        ("value.no_operator", lambda f: setattr(f.indicators[1], "target", "60个")),
        ("money.negative", lambda f: setattr(f.funding, "other", Decimal("-1"))),
    ]
    for rule_id, spoil in defects:
        form = copy.deepcopy(clean)
        spoil(form)
        assert by_rule(check_form(form), rule_id), rule_id
        assert check_form(clean) == []
