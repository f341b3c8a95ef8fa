"""人民币大写金额: 6000000 → 陆佰万元整, 1409.50 → 壹仟肆佰零玖元伍角.

Follows 《正确填写票据和结算凭证的基本规定》: one 零 for a run of zeros inside
the number; 整 after 元 (not after 角 or 分); 元零X分 when 角 is zero and 分
is not; 壹拾 is written out.  Where the rules allow a 零 or not (元位 zero
before a 角, as in 壹仟陆佰捌拾元叁角贰分), none is written.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")
LIMIT = Decimal(10) ** (4 * len(SECTIONS))   # 1 亿亿: beyond the largest section


def to_decimal(amount) -> Decimal:
    """A number, or text like '1,409.50' / '￥6,000,000.00', as a Decimal."""
    if isinstance(amount, bool):
        raise ValueError(f"不是金额：{amount!r}")
    if isinstance(amount, float):
        amount = repr(amount)
    text = str(amount).strip().replace(",", "").replace("，", "").lstrip("¥￥")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"不是金额：{amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"不是金额：{amount!r}")
    return value


def rmb_upper(amount) -> str:
    """The amount in 大写, rounded half-up to 分; negative amounts start with 负."""
    fen = int(to_decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)
    if abs(fen) >= LIMIT * 100:
        raise ValueError(f"金额过大：{amount!r}")
    sign = "负" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen = divmod(cents, 10)
    return sign + _yuan_part(yuan, cents) + _cents_part(yuan, jiao, fen)


def _yuan_part(yuan: int, cents: int) -> str:
    if yuan == 0:
        return "" if cents else "零元"
    return _integer(yuan) + "元"


def _cents_part(yuan: int, jiao: int, fen: int) -> str:
    if not jiao and not fen:
        return "整"
    text = DIGITS[jiao] + "角" if jiao else ("零" if yuan else "")
    return text + (DIGITS[fen] + "分" if fen else "")


def _integer(number: int) -> str:
    """A positive integer in 大写 with 万/亿 sections and one 零 per run of zeros."""
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out, zero_pending = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        out += _group(group) + SECTIONS[index]
        zero_pending = False
    return out


def _group(group: int) -> str:
    """1..9999 in 大写 without leading 零: 1005 → 壹仟零伍."""
    out, zero_pending = "", False
    for place in range(3, -1, -1):
        digit = group // 10 ** place % 10
        if not digit:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
        out += DIGITS[digit] + PLACES[place]
        zero_pending = False
    return out
