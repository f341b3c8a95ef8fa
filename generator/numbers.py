"""Numbers as the forms write them: full-width characters, money cells, printed rates.

`halfwidth` folds the full-width and look-alike characters clerks type into
their ASCII forms, one character for one (zero-width characters are dropped).
`parse_amount` reads a money cell or raises `AmountError` with a Chinese
reason; `parse_percent` reads a printed rate such as "98.88%".
"""
from __future__ import annotations

import re
from decimal import Decimal

_FOLD_CHARS = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}   # ！..～ → !..~
_FOLD_CHARS.update({
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "￥": "¥", "﹪": "%",
    # comparison look-alikes; ≮ (not less than) and ≯ (not more than) are the
    # Chinese engineering spellings of ≥ and ≤
    "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤", "≮": "≥", "≯": "≤"})
_FOLD_RE = re.compile("[" + "".join(map(re.escape, _FOLD_CHARS)) + "]")


def halfwidth(text: str) -> str:
    """`text` with ０-９ Ａ-ｚ ＝＞＜（），．％＊ etc. and ideographic spaces folded
    to ASCII, and ≧ ≦ ⩾ ⩽ ≮ ≯ to ≥ ≤.  Chinese punctuation without an ASCII
    twin (。、《》) is kept."""
    # Only the characters to fold are visited: long Chinese text has few.
    return _FOLD_RE.sub(_fold_one, text)


def _fold_one(match: re.Match) -> str:
    return _FOLD_CHARS[match.group()]


class AmountError(ValueError):
    """A cell that is not an amount; str() is the Chinese reason."""


_AMOUNT_RE = re.compile(r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
_PERCENT_RE = re.compile(r"([-+]?(?:\d+(?:\.\d+)?|\.\d+))\s*%")


def parse_amount(value) -> Decimal:
    """A money cell as `Decimal`, exactly as written.

    Accepts int, float, Decimal and text such as "1,700,000.00", ".00",
    "４７８６４２．６０", " 0 ", "¥6000000", "6000000元".  A trailing 万元 (or 万)
    is refused rather than converted: the form's header states the amount
    unit, and a cell that names another one is a mistake to report.
    """
    if isinstance(value, bool):
        raise AmountError(f"“{value}”不是金额")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _finite(Decimal(repr(value)), value)
    if isinstance(value, Decimal):
        return _finite(value, value)
    if value is None:
        raise AmountError("金额为空")
    if not isinstance(value, str):
        raise AmountError(f"“{value}”不是金额")
    return _amount_text(value)


def _finite(number: Decimal, shown) -> Decimal:
    if not number.is_finite():
        raise AmountError(f"“{shown}”不是金额")
    return number


def _amount_text(value: str) -> Decimal:
    text = halfwidth(value).strip()
    if not text:
        raise AmountError("金额为空")
    body = text.removeprefix("¥").removesuffix("元").strip()
    if body.endswith("万"):
        raise AmountError(f"“{value.strip()}”带“万元”，不自动换算，请按表头的金额单位填写数字")
    if _AMOUNT_RE.fullmatch(body):
        return Decimal(body.replace(",", ""))
    raise AmountError(_amount_reason(value.strip(), body))


def _amount_reason(shown: str, body: str) -> str:
    if body.endswith("%"):
        return f"“{shown}”是百分比，不是金额"
    if re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", body):
        if body.count(".") > 1:
            return f"“{shown}”有多个小数点"
        if "," in body:
            return f"“{shown}”的千分位逗号位置不对"
    if re.fullmatch(r"[\d.,\s]+", body) and " " in body:
        return f"“{shown}”中间有空格"
    return f"“{shown}”不是金额"


def parse_percent(text) -> Decimal | None:
    """The number of a printed rate: "98.88%" → Decimal("98.88").

    None when `text` is not text ending in a percent sign: a bare 98.88 (or a
    cell value 0.9888) is ambiguous and left to the caller.
    """
    if not isinstance(text, str):
        return None
    match = _PERCENT_RE.fullmatch(halfwidth(text).strip())
    return Decimal(match.group(1)) if match else None
