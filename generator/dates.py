"""Dates as the forms write them: 2023-01-01, 2023/1/1, 2023.1.1, 2023年1月1日."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value) -> dt.date | None:
    """The date a cell holds, or None when it doesn't read as one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(unicodedata.normalize("NFKC", value))
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
