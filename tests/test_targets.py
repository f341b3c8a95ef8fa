from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.targets import (DEADLINE, EMPTY, KIND_LABELS, PLACEHOLDER, QUAL, QUANT,
                               UNREADABLE, Target, describe, is_number_like_name,
                               looks_like_value, parse_target)

HINT = "含数字，若为定量指标应写成“比较符+数值+单位”"


def q(op, number, unit="", remark="", reason=""):
    return dict(kind=QUANT, op=op, number=number, unit=unit, remark=remark, reason=reason)


def due(op, year, month, day=None, reason=""):
    return dict(kind=DEADLINE, op=op, deadline=(year, month, day), number=None, reason=reason)


def qual(reason=""):
    return dict(kind=QUAL, op=None, number=None, unit="", reason=reason)


def bad(reason):
    return dict(kind=UNREADABLE, op=None, number=None, reason=reason)


# Every 指标值 / 目标值 / 年度指标值 / 实际完成值 of the five seeds (duplicates
# collapsed; the seed that shows it first in the comment).
SEEDS = [
    # 000 智慧教育云平台 (2020)
    ("=100.00%", q("=", "100.00", "%")),
    ("通过专家及项目组验收", qual()),
    ("≤48.00小时", q("<=", "48.00", "小时")),
    ("及时", qual()),
    ("7*24无休", qual(HINT)),
    ("提高教育信息系统稳健性，整合教育信息资源", qual()),
    ("辅助行政决策，大数据赋能提高教学能效", qual()),
    ("建成教育行业标杆", qual()),
    ("建立健全", qual()),
    ("≥70.00%", q(">=", "70.00", "%")),
    ("≥60.00%", q(">=", "60.00", "%")),
    # 001 信息中心经费 (2019); values partly shifted into the 备注 column
    ("少于5万字", q("<", "5", "万字")),
    ("不少于10万字", q(">=", "10", "万字")),
    ("=10.00", q("=", "10.00")),
    ("=1.00", q("=", "1.00")),
    ("字数不少8万字", bad("比较词“不少”不完整，应为“不少于”")),
    ("支持单次2000人以上同时在线", qual(HINT)),
    ("按时", qual()),
    ("近5年", qual(HINT)),
    ("近2年", qual(HINT)),
    ("≤2个月", q("<=", "2", "个月")),
    ("≥30.00%", q(">=", "30.00", "%")),
    ("为闵行区的教育改革与发展提供决策支持", qual()),
    ("对区域发展有指导意义", qual()),
    ("通过论证方予以立项", qual()),
    ("≥90.00%", q(">=", "90.00", "%")),
    ("≥95.00%", q(">=", "95.00", "%")),
    # the 三级指标 cell that sits where 001's 时效 value of 按时 belongs
    ("12月前完成所有论证", dict(kind=QUAL, deadline=(None, 12, None), reason="文字中含时限“12月前”")),
    # 002 苏州 (2021)
    ("100%", q(None, "100", "%")),
    ("健全", qual()),
    ("合规", qual()),
    ("规范", qual()),
    ("充分", qual()),
    ("15%及其以下", q("<=", "15", "%")),
    ("=5个", q("=", "5", "个")),
    ("=6场", q("=", "6", "场")),
    ("=3个", q("=", "3", "个")),
    ("=16个", q("=", "16", "个")),
    ("=100%", q("=", "100", "%")),
    ("=7个", q("=", "7", "个")),
    ("=80万", q("=", "800000", "")),
    ("=85%", q("=", "85", "%")),
    ("=2000人", q("=", "2000", "人")),
    ("=16所", q("=", "16", "所")),
    ("制定", qual()),
    # 003 自评表 (2021): 年度指标值 and 实际完成值
    (">=98%", q(">=", "98", "%")),
    (">=100%", q(">=", "100", "%")),
    (">=99%", q(">=", "99", "%")),
    ("稳定运行", qual()),
    ("系统全年运行稳定", qual()),
    ("纳入上海教育信息化总体设计", qual()),
    ("已纳入", qual()),
    ("确保保障并积极拓展", qual()),
    ("保障任务完成并积极拓展", qual()),
    ("保障正常运行", qual()),
    ("系统全年正常运行", qual()),
    ("稳定性高", qual()),
    ("访问情况稳定", qual()),
    ("100% (正常使用)", q(None, "100", "%", remark="(正常使用)")),
    ("建立并进行考核", qual()),
    ("已建立", qual()),
    # 004 闵行区教育学院 (2023)
    ("提升", qual()),
    ("≥90%", q(">=", "90", "%")),
    ("=54.00(所)", q("=", "54.00", "所")),
    ("=10.00(场)", q("=", "10.00", "场")),
    ("=2.00(套)", q("=", "2.00", "套")),
    ("=10.00(所)", q("=", "10.00", "所")),
    ("≥30.00(名)", q(">=", "30.00", "名")),
    ("=100.00(百分比)", q("=", "100.00", "%")),
    ("=5.00(份)", q("=", "5.00", "份")),
    ("≥120.00(课时)", q(">=", "120.00", "课时")),
    ("=60.00(个)", q("=", "60.00", "个")),
    ("=100.00(%)", q("=", "100.00", "%")),
    ("=17.00(篇)", q("=", "17.00", "篇")),
    ("≥400.00(人)", q(">=", "400.00", "人")),
    ("≥95.00(百分比)", q(">=", "95.00", "%")),
    ("准确", qual()),
    ("有90%以上的参与学生认为生涯规划能力有提升", qual(HINT)),
    ("有90%以上的参与学生认为能够促进心理健康", qual(HINT)),
    ("≥85.00(百分比)", q(">=", "85.00", "%")),
    ("≥90.00(百分比)", q(">=", "90.00", "%")),
    ("=1.00(门)", q("=", "1.00", "门")),
    ("≥20000.00(人)", q(">=", "20000.00", "人")),
    ("≥90.00(门)", q(">=", "90.00", "门")),
    ("=10.00(个)", q("=", "10.00", "个")),
    ("=95.00(百分比)", q("=", "95.00", "%")),
    ("=1.00(份)", q("=", "1.00", "份")),
    ("=90.00(百分比)", q("=", "90.00", "%")),
    ("有效", qual()),
    ("可供借鉴参考", qual()),
    ("", dict(kind=EMPTY)),            # 校内教师指导率: no value written
    ("=1000.00(项)", q("=", "1000.00", "项")),
    ("=4.00(次)", q("=", "4.00", "次")),
    ("=2.00(次)", q("=", "2.00", "次")),
    ("=6.00(期)", q("=", "6.00", "期")),
    ("=12.00(次)", q("=", "12.00", "次")),
    ("=3.00(次)", q("=", "3.00", "次")),
    ("=20.00(项)", q("=", "20.00", "项")),
    ("=1.00(次)", q("=", "1.00", "次")),
    ("=1.00(本)", q("=", "1.00", "本")),
    ("2023年6月前", due("<=", 2023, 6)),
    ("2023年3月前", due("<=", 2023, 3)),
    ("2023年12月前", due("<=", 2023, 12)),
    ("2023年8月", due(None, 2023, 8)),
    ("=63.00(人次)", q("=", "63.00", "人次")),
    ("≥30000人", q(">=", "30000", "人")),
    ("≥56000人", q(">=", "56000", "人")),
    ("≥20000人", q(">=", "20000", "人")),
    ("有应用", qual()),
    ("≥80.00(百分比)", q(">=", "80.00", "%")),
    ("有提升", qual()),
    # README's list of shapes
    ("15%", q(None, "15", "%")),
]


def _check(text: str, expected: dict):
    target = parse_target(text)
    assert isinstance(target, Target)
    assert target.text == text
    for field, want in expected.items():
        got = getattr(target, field)
        if field == "number" and want is not None:
            assert got == Decimal(want) and str(got) == str(Decimal(want)), (text, got)
        else:
            assert got == want, (text, field, got)


@pytest.mark.parametrize("text, expected", SEEDS, ids=[t for t, _ in SEEDS])
def test_seed_values(text, expected):
    _check(text, expected)


def test_seed_table_has_no_duplicates():
    texts = [t for t, _ in SEEDS]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("text, expected", [
    # comparison words and symbols, leading and trailing
    ("＝１００％", q("=", "100", "%")),
    ("≧90％", q(">=", "90", "%")),
    ("≦5", q("<=", "5")),
    ("<=5天", q("<=", "5", "天")),
    ("不低于95%", q(">=", "95", "%")),
    ("不超过3个", q("<=", "3", "个")),
    ("不高于10%", q("<=", "10", "%")),
    ("低于5%", q("<", "5", "%")),
    ("高于99.5%", q(">", "99.5", "%")),
    ("超过3场", q(">", "3", "场")),
    ("多于2篇", q(">", "2", "篇")),
    ("2000人以上", q(">=", "2000", "人")),
    ("5%以下", q("<=", "5", "%")),
    ("48小时以内", q("<=", "48", "小时")),
    ("90%及以上", q(">=", "90", "%")),
    ("≥ 90 %", q(">=", "90", "%")),
    ("≥20,000人", q(">=", "20000", "人")),
    # 万 multiplier versus 万字 / 万元
    ("=80万(人次)", q("=", "800000", "人次")),
    ("=1.5万人次", q("=", "15000", "人次")),
    ("≥0.00005万", q(">=", "0.5")),
    ("≤50万元", q("<=", "50", "万元")),
    ("=2亿", q("=", "200000000")),
    # units
    ("=3(台)", q("=", "3", "台")),
    ("≥100Mbps", q(">=", "100", "Mbps")),
    ("≤2个百分点", q("<=", "2", "百分点")),
    ("≥90(平方米)", q(">=", "90", "平方米")),
    ("=5(人民币)", q("=", "5", "人民币")),
    # remarks and notes
    ("=100%（正常使用）", q("=", "100", "%", remark="(正常使用)")),
    ("字数不少于8万字", q(">=", "8", "万字", remark="字数", reason="比较符前的文字“字数”已作为备注")),
    ("可用性高于99.5%", q(">", "99.5", "%", remark="可用性", reason="比较符前的文字“可用性”已作为备注")),
    ("≥90%以上", q(">=", "90", "%", reason="比较符重复：“≥”与“以上”")),
])
def test_quantities(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("2023-06-30前", due("<=", 2023, 6, 30)),
    ("2023/6/30", due(None, 2023, 6, 30)),
    ("2023.06.30前", due("<=", 2023, 6, 30)),
    ("2023年6月30日前", due("<=", 2023, 6, 30)),
    ("２０２３年６月前", due("<=", 2023, 6)),
    ("2023年底前", due("<=", 2023, 12)),
    ("2023年内", due("<=", 2023, None)),
    ("≤2023年6月", due("<=", 2023, 6)),
    ("12月前", due("<=", None, 12, reason="未写年份")),
    ("6月底", due(None, None, 6, reason="未写年份")),
    ("6月", q(None, "6", "月")),            # without a year: six months
    ("2023.6", q(None, "2023.6")),         # a dot date needs 前 or a day
    ("2023年13月前", bad("日期中的月份“13”不存在")),
    ("2023年2月30日前", bad("日期“2月30日”不存在")),
    ("于2023年6月底前完成验收", dict(kind=QUAL, deadline=(2023, 6, None),
                               reason="文字中含时限“2023年6月底前”")),
])
def test_deadlines(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, reason", [
    ("字数不少8万字", "比较词“不少”不完整，应为“不少于”"),
    ("不超5个", "比较词“不超”不完整，应为“不超过”"),
    ("=>90%", "比较符“=>”写法不对，应为≥、≤、=、>、<之一"),
    ("==100%", "比较符“==”写法不对，应为≥、≤、=、>、<之一"),
    ("≥=90%", "比较符“≥=”写法不对，应为≥、≤、=、>、<之一"),
    ("> =90", "比较符“> =”写法不对，应为≥、≤、=、>、<之一"),
    ("≥ %", "“≥”后缺少数值"),
    ("≥", "“≥”后缺少数值"),
    ("=(所)", "“=”后缺少数值"),
    ("≥九十%", "数值“九十”是汉字，应写阿拉伯数字"),
    ("不少于三(次)", "数值“三”是汉字，应写阿拉伯数字"),
    ("=1OO%", "数值“1OO”中混有字母“O”，应为数字“0”"),
    ("1OO%", "数值“1OO”中混有字母“O”，应为数字“0”"),
    ("≥90%%", "“%”重复"),
    ("=1.2.3", "数值“1.2.3”有多个小数点"),
    ("≥90.%", "数值“90.”小数点后缺少数字"),
    ("≥1,0000人", "数值“1,0000”的千分位逗号位置不对"),
    ("≥良好", "比较符“≥”后应为数值"),
    ("≥90%完成", "单位“%完成”无法识别"),
    ("=2000人以上", "比较符前后矛盾：“=”与“以上”"),
    ("≤90%以上", "比较符前后矛盾：“≤”与“以上”"),
])
def test_near_misses_are_unreadable_with_reason(text, reason):
    target = parse_target(text)
    assert (target.kind, target.reason) == (UNREADABLE, reason)
    assert target.number is None and target.op is None


@pytest.mark.parametrize("text", ["*", "**", "***", "xx", "XX", "ｘｘ", "x", "待定", "待填", "/",
                                  "-", "—", "——", "--", "…", "?", "？", "N/A", "略"])
def test_placeholders(text):
    target = parse_target(text)
    assert target.kind == PLACEHOLDER
    assert "占位符" in target.reason


@pytest.mark.parametrize("text", ["≥xx%", "=XX(个)", "xx%", "≥**", "=待定"])
def test_number_placeholders(text):
    target = parse_target(text)
    assert target.kind == PLACEHOLDER
    assert target.reason.startswith("数值“") and "占位符" in target.reason


def test_wu_is_qualitative_with_a_note():
    target = parse_target("无")
    assert target.kind == QUAL
    assert target.reason == "“无”可能表示未填写，也可能表示“不发生”，请核对"


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\t\n", None])
def test_empty(text):
    assert parse_target(text).kind == EMPTY


@pytest.mark.parametrize("text", ["不低于上年水平", "超过半数", "不少于3次的集中培训和考核",
                                  "=100%完成率", "2.0版本上线", "1.2.3版本上线"])
def test_sentences_with_numbers_or_comparison_words_stay_text(text):
    target = parse_target(text)
    assert target.kind in (QUAL, UNREADABLE)
    if text != "=100%完成率":
        assert target.kind == QUAL


def test_non_text_cells():
    assert parse_target(None).kind == EMPTY
    assert (parse_target(Decimal("95")).kind, parse_target(Decimal("95")).number) == (QUANT, 95)


def test_direction_and_percent():
    assert parse_target("≥90%").direction == "正向"
    assert parse_target("≤48.00小时").direction == "反向"
    assert parse_target("=16所").direction == "等于"
    assert parse_target("100%").direction == ""
    assert parse_target("=100.00(百分比)").is_percent
    assert not parse_target("=16所").is_percent


def test_cached_calls_return_the_same_object():
    assert parse_target("=54.00(所)") is parse_target("=54.00(所)")
    assert parse_target.cache_info().maxsize == 65536


@pytest.mark.parametrize("text, expected", [
    ("≥90%", "≥ 90 %"),
    ("=54.00(所)", "= 54.00 所"),
    ("100% (正常使用)", "100 % (正常使用)"),
    ("=80万", "= 800000"),
    ("字数不少于8万字", "≥ 8 万字 （字数）"),
    ("及时", "定性：及时"),
    ("2023年6月前", "时限：2023年6月前"),
    ("2023年8月", "时限：2023年8月"),
    ("2023-06-30前", "时限：2023年6月30日前"),
    ("xx", "占位符：xx"),
    ("", "空"),
    ("=1OO%", "无法识别：=1OO%"),
    ("有90%以上的参与学生认为生涯规划能力有提升，并且能够促进心理健康",
     "定性：有90%以上的参与学生认为生涯规划能力有提升，并且能够促进…"),
])
def test_describe(text, expected):
    assert describe(parse_target(text)) == expected


@pytest.mark.parametrize("name", [
    "统一身份认证中心建设内容完成率", "故障排除率", "服务两委及有关单位覆 盖率", "专家外聘人次",
    "市、区两级试点校数量", "信息化建设覆盖学校数", "全年各考务信息系统访问人数",
    "培训开展课时数量", "学生满意度", "监控结果匹配度", "质量监控结果的整改落实比例",
    "举办教育信息化应用能力大赛市级选拔赛活动参与人次", "培训人数（人）", "服务效率",
    "项目资金 (元)",
])
def test_number_like_names(name):
    assert is_number_like_name(name)


@pytest.mark.parametrize("name", [
    "验收通过情况", "统一身份认证中心建设及时性", "项目长效管理机制", "长效管理机制健全性",
    "12月前完成所有论证", "学年数据采集后完成时间", "工程质量", "区域残疾人就业积极性提升",
    "故障排除", "", "教育信息化建设管理办法", "闵行区教育局(汇总)",
])
def test_names_not_asking_for_numbers(name):
    assert not is_number_like_name(name)


@pytest.mark.parametrize("text", ["≤2个月", "=100.00%", ">=98%", "及时", "建立健全", "2023年6月前",
                                  "≥九十%", "=54.00(所)", "100%"])
def test_looks_like_value(text):
    assert looks_like_value(text)


@pytest.mark.parametrize("text", [
    "学年数据采集后完成时间", "12月前完成所有论证", "信息化项目论证率", "服务保障",
    "2021年信息化建设", "《闵行区学校教育科研管理金点子》", "能力提升工程2.0培训项目典型案例",
    "形成可供借鉴的培训管理与指导的经验, 形成具有参考借鉴价值的实践成果。", "", "*",
])
def test_does_not_look_like_value(text):
    assert not looks_like_value(text)


# --- properties -------------------------------------------------------------

KINDS = set(KIND_LABELS)
LEAD = [("=", "="), ("＝", "="), (">=", ">="), ("≥", ">="), ("≧", ">="), ("<=", "<="),
        ("≤", "<="), ("≦", "<="), (">", ">"), ("<", "<"), ("不少于", ">="), ("不低于", ">="),
        ("不超过", "<="), ("不高于", "<="), ("少于", "<"), ("低于", "<"), ("超过", ">"),
        ("", None)]
TRAIL = [("以上", ">="), ("以下", "<="), ("及其以下", "<="), ("及以上", ">="), ("以内", "<=")]
UNITS = [("", ""), ("%", "%"), ("(百分比)", "%"), ("(%)", "%"), ("所", "所"), ("(所)", "所"),
         ("名", "名"), ("(名)", "名"), ("场", "场"), ("(课时)", "课时"), ("小时", "小时"),
         ("万字", "万字"), ("人次", "人次"), ("个", "个"), ("项", "项"), ("次", "次"), ("期", "期"),
         ("本", "本"), ("份", "份"), ("套", "套"), ("门", "门"), ("篇", "篇"), ("人", "人"),
         ("个月", "个月"), ("(个月)", "个月"), ("天", "天"), ("万元", "万元")]
numbers = st.builds(lambda whole, frac: f"{whole}.{frac}" if frac else str(whole),
                    st.integers(0, 10**9), st.sampled_from(["", "0", "5", "00", "50", "25", "125"]))
full_width = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.%=()"})

JUNK = ["=", ">", "<", "≥", "≤", ">=", "=>", "不少", "不少于", "以上", "及其以下", "1", "0", "9",
        "54.00", ".", ",", "%", "%%", "O", "(", ")", "所", "百分比", "万", "万字", "亿", "年", "月",
        "前", "日", "2023", "-", "/", "*", "x", "待定", "九十", " ", "\u3000", "字数", "提升", "无",
        "：", "，", "（", "）", "ｘ", "１", "\n"]


@settings(max_examples=500)
@given(st.text())
def test_never_raises_on_any_text(text):
    target = parse_target.__wrapped__(text)
    _sound(target, text)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(JUNK), max_size=8).map("".join))
def test_never_raises_on_form_like_junk(text):
    _sound(parse_target.__wrapped__(text), text)


def _sound(target: Target, text: str):
    assert target.kind in KINDS
    assert target.text == text
    if target.kind == QUANT:
        assert isinstance(target.number, Decimal)
        assert target.op in (None, "=", ">=", "<=", ">", "<")
    else:
        assert target.number is None and target.unit == ""
    if target.kind == UNREADABLE:
        assert target.reason
    if target.kind == DEADLINE:
        assert isinstance(target.deadline, tuple) and len(target.deadline) == 3
    assert isinstance(describe(target), str)


@settings(max_examples=1000)
@given(st.sampled_from(LEAD), numbers, st.sampled_from(UNITS), st.booleans())
def test_round_trip_leading_comparison(lead, number, unit, wide):
    (written_op, op), (written_unit, want_unit) = lead, unit
    text = f"{written_op}{number}{written_unit}"
    target = parse_target(text.translate(full_width) if wide else text)
    assert (target.kind, target.op, target.number, target.unit) == \
        (QUANT, op, Decimal(number), want_unit), text
    assert str(target.number) == number


@settings(max_examples=500)
@given(numbers, st.sampled_from(UNITS), st.sampled_from(TRAIL))
def test_round_trip_trailing_comparison(number, unit, trail):
    (written_unit, want_unit), (word, op) = unit, trail
    target = parse_target(f"{number}{written_unit}{word}")
    assert (target.kind, target.op, target.number, target.unit) == \
        (QUANT, op, Decimal(number), want_unit)


@given(st.sampled_from(LEAD[:-1]), st.integers(1, 99999), st.sampled_from(["", "人次", "(人)"]))
def test_wan_is_a_multiplier(lead, number, unit):
    target = parse_target(f"{lead[0]}{number}万{unit}")
    assert target.number == number * 10000
    assert target.unit == unit.strip("()")


def test_parsed_is_parse_target_by_a_dict_lookup():
    from generator.targets import parsed
    for text in ("≥90%", "=54.00(所)", "", "及时", 1, 1.0, True, None, Decimal("95")):
        assert parsed[text] == parse_target(text), text
    assert parsed["≥90%"] is parsed["≥90%"]
    assert (parsed[1].text, parsed[1.0].text, parsed[True].text) == ("1", "1.0", "True")
