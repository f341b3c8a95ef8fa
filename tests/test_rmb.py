"""generator.rmb: 人民币大写 by the rules for 票据 and 结算凭证."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.rmb import DIGITS, LIMIT, rmb_upper


@pytest.mark.parametrize("amount, text", [
    (6000000, "陆佰万元整"),                       # 000: 金额合计 = 当年预算
    (990000, "玖拾玖万元整"),                      # 001: 项目总预算
    ("7,663,902", "柒佰陆拾陆万叁仟玖佰零贰元整"),  # 003: 全年执行数 as printed
    (0, "零元整"),
    (10, "壹拾元整"),
    (1409.50, "壹仟肆佰零玖元伍角"),               # the rules' own examples
    (6007.14, "陆仟零柒元壹角肆分"),
    (1680.32, "壹仟陆佰捌拾元叁角贰分"),
    (107000.53, "壹拾万柒仟元伍角叁分"),
    (16409.02, "壹万陆仟肆佰零玖元零贰分"),
    (325.04, "叁佰贰拾伍元零肆分"),
    (0.5, "伍角"),
    (0.05, "伍分"),
    (0.32, "叁角贰分"),
    (1.05, "壹元零伍分"),
    (10005, "壹万零伍元整"),
    (1000100, "壹佰万零壹佰元整"),
    (100010000, "壹亿零壹万元整"),
    (100001000, "壹亿零壹仟元整"),
    (100000000, "壹亿元整"),
    (Decimal("2330.50") * 10000, "贰仟叁佰叁拾万伍仟元整"),  # 002: 万元 → 元
    (-6000000, "负陆佰万元整"),
    (-0.5, "负伍角"),
    (-0.001, "零元整"),                             # rounds to zero: no 负
    (0.005, "壹分"),                                 # half-up to 分
    ("￥1,409.50", "壹仟肆佰零玖元伍角"),
    (10 ** 12, "壹万亿元整"),
])
def test_examples(amount, text):
    assert rmb_upper(amount) == text


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", None, True, float("nan"), float("inf")])
def test_not_an_amount(bad):
    with pytest.raises(ValueError, match="不是金额"):
        rmb_upper(bad)


def test_too_large():
    with pytest.raises(ValueError, match="金额过大"):
        rmb_upper(LIMIT)


VALUES = {d: i for i, d in enumerate(DIGITS)}
UNITS = {"拾": 10, "佰": 100, "仟": 1000}
SECTIONS = {"万亿": 10 ** 12, "亿": 10 ** 8, "万": 10 ** 4}


def _read_integer(text: str) -> int:
    for section, size in SECTIONS.items():
        head, found, tail = text.partition(section)
        if found:
            return _read_integer(head) * size + _read_integer(tail)
    total, digit = 0, 0
    for char in text:
        if char in UNITS:
            total, digit = total + digit * UNITS[char], 0
        else:
            digit = VALUES[char]
    return total + digit


def read_upper(text: str) -> Decimal:
    """An independent reader of 大写, the inverse the property test needs."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan, _, cents = text.rpartition("元") if "元" in text else ("", "", text)
    jiao = VALUES[cents[cents.index("角") - 1]] if "角" in cents else 0
    fen = VALUES[cents[cents.index("分") - 1]] if "分" in cents else 0
    return sign * (_read_integer(yuan) + Decimal(jiao * 10 + fen) / 100)


amounts = st.decimals(min_value=-LIMIT + 1, max_value=LIMIT - 1, places=2)


@given(amounts)
def test_round_trip(amount):
    assert read_upper(rmb_upper(amount)) == amount


@given(amounts)
def test_zero_rules(amount):
    text = rmb_upper(amount)
    assert "零零" not in text
    assert not text.endswith("零")
    assert text.endswith("整") == (amount == amount.to_integral_value())
    assert text.startswith("负") == (amount < 0)
    assert ("零元" in text) == (amount == 0)
    assert not text.removeprefix("负").startswith("零") or amount == 0
    assert "零角" not in text and "零分" not in text and "零万" not in text


@given(st.integers(min_value=1, max_value=10 ** 15))
def test_ints_floats_and_text_agree(number):
    assert rmb_upper(number) == rmb_upper(f"{number:,}") == rmb_upper(Decimal(number))
