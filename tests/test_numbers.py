from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.numbers import AmountError, halfwidth, parse_amount, parse_percent


def test_halfwidth_folds_form_characters():
    assert halfwidth("＝１００．００（％）") == "=100.00(%)"
    assert halfwidth("≧９０％，≦５") == "≥90%,≤5"
    assert halfwidth("⩾1 ⩽2 ≮3 ≯4") == "≥1 ≤2 ≥3 ≤4"
    assert halfwidth("\u3000ｘｘ\u00a0") == " xx "
    assert halfwidth("1\u200b2") == "12"


def test_halfwidth_keeps_chinese_punctuation():
    assert halfwidth("《闵行教育研究》。、") == "《闵行教育研究》。、"


@pytest.mark.parametrize("value, expected", [
    ("1,700,000.00", "1700000.00"),      # 004
    ("478,642.60", "478642.60"),         # 004
    (".00", "0.00"),                     # 003 年初预算数
    ("56,961,217", "56961217"),          # 003
    ("57607470.00", "57607470.00"),
    ("４７８６４２．６０", "478642.60"),
    (" 0 ", "0"),
    ("6000000", "6000000"),              # 000
    ("6000000元", "6000000"),
    ("6,000,000.00 元", "6000000.00"),
    ("¥990000", "990000"),
    ("-1,000.50", "-1000.50"),
    (6000000, "6000000"),
    (0.1, "0.1"),
    (Decimal("2330.50"), "2330.50"),
])
def test_parse_amount_reads(value, expected):
    result = parse_amount(value)
    assert result == Decimal(expected)
    assert str(result) == str(Decimal(expected))


@pytest.mark.parametrize("value, reason", [
    ("待定", "“待定”不是金额"),
    ("---", "“---”不是金额"),           # 000 金额合计 row
    ("1,201.00万元", "“1,201.00万元”带“万元”，不自动换算，请按表头的金额单位填写数字"),
    ("80万", "“80万”带“万元”，不自动换算，请按表头的金额单位填写数字"),
    ("98.88%", "“98.88%”是百分比，不是金额"),
    ("1.2.3", "“1.2.3”有多个小数点"),
    ("1,70,000", "“1,70,000”的千分位逗号位置不对"),
    ("1 700 000", "“1 700 000”中间有空格"),
    ("", "金额为空"),
    ("  ", "金额为空"),
    (None, "金额为空"),
    (True, "“True”不是金额"),
    (float("nan"), "“nan”不是金额"),
    (Decimal("Infinity"), "“Infinity”不是金额"),
    ([1], "“[1]”不是金额"),
])
def test_parse_amount_refuses_with_reason(value, reason):
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert str(info.value) == reason
    assert isinstance(info.value, ValueError)


def _grouped(number: Decimal) -> str:
    return f"{number:,.2f}"


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2,
                   allow_nan=False, allow_infinity=False))
def test_amount_with_thousands_separators_round_trips(number):
    assert parse_amount(_grouped(number)) == number
    assert parse_amount(_grouped(number) + "元") == number


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_full_width_amount_round_trips(number):
    full = _grouped(number).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert parse_amount(full) == number


@given(st.text())
def test_parse_amount_raises_only_amount_error(text):
    try:
        assert isinstance(parse_amount(text), Decimal)
    except AmountError as exc:
        assert str(exc)


@pytest.mark.parametrize("text, expected", [
    ("98.88%", Decimal("98.88")),        # 003
    ("99.62%", Decimal("99.62")),        # 003
    (" 100 ％ ", Decimal("100")),
    ("９８．８８％", Decimal("98.88")),
    ("98.88", None),
    ("", None),
    ("百分之九十", None),
    (0.9888, None),
    (None, None),
])
def test_parse_percent(text, expected):
    assert parse_percent(text) == expected
