"""Cell values both ways: model values to native cell values, cell values to model values.

Writing: Decimal becomes float only here; dates stay dates; booleans are ✓ or
blank.  Reading: amounts become Decimal when they read as numbers (also when
typed as text with full-width digits or thousands separators), else the raw
text stays for the rules to report; text keeps what the clerk typed, trimmed.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TICK = "✓"
_TRUE = {"✓", "√", "☑", "✔", "是", "Y", "YES", "TRUE", "1"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DECIMALS = re.compile(r"0\.(0+)")


def to_cell(value):
    """A model value as openpyxl should store it."""
    if isinstance(value, bool):
        return TICK if value else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value if value.strip() else None
    return value


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def from_cell(value, kind: str, number_format: str = "General"):
    """A cell value as the model holds it at a path of `kind` (see access.kind)."""
    if blank(value):
        return {"amount": None, "date": None, "int": None, "bool": False}.get(kind, "")
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return _READERS[kind](value, number_format)


def _amount(value, number_format):
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return _number(value, number_format)
    if isinstance(value, str):
        number = parse_number(value)
        return value.strip() if number is None else number
    return str(value)


@lru_cache(maxsize=4096, typed=True)
def _number(value: int | float, number_format: str) -> Decimal:
    """A number cell's amount (each distinct number and format worked out once: totals and zeros repeat)."""
    return _quantize(_decimal(value), number_format)


def _decimal(value: int | float) -> Decimal:
    """The number as typed: 15.0 -> 15, 0.1 -> 0.1 (not the binary float's expansion)."""
    if isinstance(value, float) and not value.is_integer():
        return Decimal(repr(value))
    return Decimal(int(value))


@lru_cache(maxsize=4096)
def parse_number(text: str) -> Decimal | None:
    """'1,700,000.00', '１７００', ' 5 000 ' -> Decimal; anything else -> None."""
    text = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", text))
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _quantize(number: Decimal, number_format: str) -> Decimal:
    """Show as many decimals as the template's format does (84600 -> 84600.00)."""
    exp = _quantum(number_format)
    if exp is not None:
        try:
            shown = number.quantize(exp)
        except InvalidOperation:       # more digits than a Decimal context holds
            return number
        if number == shown:
            return shown
    return number


@lru_cache(maxsize=1024)
def _quantum(number_format: str) -> Decimal | None:
    """The last decimal place a number format shows (0.01 for #,##0.00); None for no decimals or a %."""
    m = _DECIMALS.search(number_format or "")
    return Decimal(1).scaleb(-len(m.group(1))) if m and "%" not in number_format else None


def _date(value, number_format):
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE.match(re.sub(r"\s", "", unicodedata.normalize("NFKC", value)))
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:
                pass
        return value.strip()
    return number_text(value, number_format)


def _int(value, number_format):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    number = parse_number(str(value))
    return int(number) if number is not None and number == number.to_integral_value() else str(value).strip()


def _bool(value, number_format):
    return normalize_upper(value) in _TRUE


def normalize_upper(value) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value))).upper()


def _text(value, number_format):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return TICK if value else ""
    return number_text(value, number_format)


def number_text(value, number_format: str = "General") -> str:
    """A number as the clerk saw it: 0.95 in a 0% cell is 95%."""
    number = _decimal(value)
    if "%" in (number_format or ""):
        m = _DECIMALS.search(number_format)
        places = len(m.group(1)) if m else 0
        return f"{number * 100:.{places}f}%"
    return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))


def _any(value, number_format):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _amount(value, number_format)
    return _text(value, number_format)


_READERS = {"amount": _amount, "date": _date, "int": _int, "bool": _bool, "str": _text, "any": _any}
