"""addin/udfs.py as plain Python: whole columns in, one 2-D array out."""
from __future__ import annotations

import pytest

from addin.udfs import (JX_CHECK, JX_PARSE, JX_RATE, JX_RMB, JX_SCORE, JX_WAN, UNREADABLE,
                        parse_row)
from generator.model import Form
from generator.rules import check_form
from generator.scoring import score_indicator
from generator.targets import KIND_LABELS, parse_target
from tests.conftest import SEEDS, seed

FORMS = [form for n in range(len(SEEDS)) for form in seed(n).forms]
TARGETS = [ind.target for form in FORMS for ind in form.indicators]


def column(values) -> list[list]:
    return [[v] for v in values]


def table(form: Form) -> list[list]:
    return [[i.level1, i.level2, i.name, i.target] for i in form.indicators]


def test_every_seed_target_in_one_call():
    assert len(TARGETS) > 150
    rows = JX_PARSE(column(TARGETS))
    assert rows == [parse_row(t) for t in TARGETS]
    for text, (op, number, unit, direction) in zip(TARGETS, rows):
        target = parse_target(text)
        assert op in ("", "=", "≥", "≤", ">", "<")
        assert direction in {"正向", "反向", "等于", ""} | set(KIND_LABELS.values())
        assert number == ("" if target.number is None else float(target.number))
        assert unit == target.unit


@pytest.mark.parametrize("text, row", [
    ("=54.00(所)", ["=", 54.0, "所", "等于"]),
    ("≥30.00(名)", ["≥", 30.0, "名", "正向"]),
    ("=100.00(百分比)", ["=", 100.0, "%", "等于"]),
    ("≥90%", ["≥", 90.0, "%", "正向"]),
    ("≤48.00小时", ["≤", 48.0, "小时", "反向"]),
    ("及时", ["", "", "", "定性"]),
    ("建立健全", ["", "", "", "定性"]),
    ("2023年6月前", ["", "", "", "时限"]),
    (None, ["", "", "", "空"]),
])
def test_parse_shapes(text, row):
    assert JX_PARSE([[text]]) == [row]


def test_parse_block_is_read_row_by_row():
    assert JX_PARSE([["≥90%", "及时"], ["=5个", None]]) == [
        parse_row("≥90%"), parse_row("及时"), parse_row("=5个"), parse_row("")]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.form}-{f.project.name[:8]}")
def test_check_maps_every_finding_to_its_row(form):
    texts = [row[0] for row in JX_CHECK(table(form), form.region, form.year)]
    assert len(texts) == len(form.indicators)
    bare = Form(region=form.region, year=form.year, indicators=form.indicators)
    expected = {}
    for f in check_form(bare):
        if f.path.startswith("indicators["):
            expected.setdefault(int(f.path[11:f.path.index("]")]), []).append(f.message)
    assert {i for i, t in enumerate(texts) if t} == set(expected)
    for row, messages in expected.items():
        assert all(m in texts[row] for m in messages)


def test_check_finds_the_defects_checkers_must_catch():
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值"],
            ["产出指标", "数量指标", "培训人数", "≥30.00(名)"],
            ["", "", "验收合格率", "100"],
            ["", "", "培训人数", "≥40.00(名)"],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%"]]
    header, fine, bare, duplicate, satisfied = [r[0] for r in JX_CHECK(rows, "上海", 2023)]
    assert header == "" and fine == "" and satisfied == ""
    assert "比较符" in bare and "【" in bare
    assert "培训人数" in duplicate and "2次" in duplicate


def test_check_needs_four_columns():
    assert JX_CHECK([["产出指标", "数量指标", "培训人数"]]) == [["指标表须有一级、二级、三级指标、指标值四列"]]


@pytest.mark.parametrize("target, actual, weight, score", [
    ("≥90%", "95%", 10, 10.0),          # 正向, met: full marks
    ("≥90%", "85%", 10, 9.44),          # 85/90 × 10
    ("≤48.00小时", "40小时", 10, 10.0),  # 反向, met
    ("≤48.00小时", "60小时", 10, 7.5),   # (1 − 12/48) × 10
    ("≤48.00小时", "96小时", 10, 0.0),   # twice the target: 0
    ("及时", "及时", 5, ""),             # qualitative: no formula
    ("≥90%", "85%", "分值", UNREADABLE),
])
def test_score(target, actual, weight, score):
    assert JX_SCORE([[target]], [[actual]], [[weight]]) == [[score]]


def test_score_whole_self_evaluation_with_one_weight_cell():
    inds = [i for form in seed(3).forms for i in form.indicators]
    got = JX_SCORE(column(i.target for i in inds), column(i.actual for i in inds), [[10]])
    expected = [score_indicator(i.target, i.actual, 10) for i in inds]
    assert [row[0] for row in got] == ["" if s is None else float(s) for s in expected]
    assert got[0] == [10.0]


def test_score_shapes_must_agree():
    with pytest.raises(ValueError, match="区域大小不一致"):
        JX_SCORE([["≥90%"], ["≥90%"]], [["85%"]] * 3, [[10]])


def test_rate_as_the_self_evaluation_prints_it():
    # seed 003: 56,961,217 of 57,607,470 → 98.88%; 7,663,902 of 7,693,200 → 99.62%
    got = JX_RATE([["56,961,217"], [7663902], [None], [5], ["未执行"]],
                  [[57607470.0], ["7693200.00"], [100], [0], [100]])
    assert got == [[0.9888], [0.9962], [""], [""], [UNREADABLE]]


def test_rmb_column():
    total = seed(0).forms[0].details_total
    assert JX_RMB([[total], [990000], [1409.5], [None], ["壹佰"]]) == [
        ["陆佰万元整"], ["玖拾玖万元整"], ["壹仟肆佰零玖元伍角"], [""], [UNREADABLE]]


def test_wan_column():
    assert JX_WAN([[6000000], ["23,305,000"], [84600], [None], ["x"]]) == [
        [600.0], [2330.5], [8.46], [""], [UNREADABLE]]
