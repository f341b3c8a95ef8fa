"""Legal, unique names: Excel sheet names and Windows file names.

Excel: at most 31 characters, none of []:*?/\\, not starting or ending with an
apostrophe, not "History", unique ignoring case.  Windows: none of \\/:*?"<>|
or control characters, no trailing dot or space, not a device name (CON, NUL,
COM1 …), at most 120 characters and 200 UTF-8 bytes (Linux), unique ignoring
case.  A clash gets "(2)", "(3)" … within the limit.
"""
from __future__ import annotations

import re
import unicodedata

from .xmltext import ESCAPE_LIKE

SHEET_MAX = 31
FILE_MAX = 120          # characters of the stem: leaves room for the folder in MAX_PATH
FILE_BYTES = 200        # UTF-8 bytes of the stem: Linux allows 255 per name, with "(2)", ".xlsx", "~$"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FILE_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class UniqueNames:
    """Hands out names unique ignoring case; `reserve` names already taken."""

    def __init__(self, limit: int, reserved=()):
        self.limit = limit
        self.taken: set[str] = set()
        for name in reserved:
            self.reserve(name)

    def reserve(self, name: str) -> None:
        self.taken.add(name.casefold())

    def unique(self, base: str, suffix: str = "") -> str:
        base = base[:self.limit]
        name, n = base, 1
        while (name + suffix).casefold() in self.taken:
            n += 1
            mark = f"({n})"
            name = base[:self.limit - len(mark)].rstrip() + mark
        self.reserve(name + suffix)
        return name


def sheet_base(text: str, fallback: str = "项目") -> str:
    """`text` made a legal sheet name (before making it unique)."""
    name = _SHEET_BAD.sub("_", " ".join(str(text).split()))
    name = ESCAPE_LIKE.sub("-", name)          # `_x0041_` would be read as an escaped “A”
    name = name[:SHEET_MAX].strip().strip("'").strip()
    return name if name and name.casefold() != "history" else fallback


def file_base(text: str, fallback: str = "未命名") -> str:
    """`text` made a legal Windows file stem (before making it unique)."""
    name = unicodedata.normalize("NFC", " ".join(str(text).split()))
    name = _FILE_BAD.sub("_", name)[:FILE_MAX]
    name = name.encode("utf-8")[:FILE_BYTES].decode("utf-8", "ignore").strip(" .")   # whole characters
    if not name:
        return fallback
    return f"_{name}" if name.split(".")[0].upper() in _DEVICES else name


class SheetNames(UniqueNames):
    def __init__(self, reserved=()):
        super().__init__(SHEET_MAX, reserved)

    def name(self, text: str) -> str:
        return self.unique(sheet_base(text))


class FileNames(UniqueNames):
    def __init__(self, reserved=()):
        super().__init__(FILE_MAX, reserved)

    def name(self, text: str, suffix: str = ".xlsx") -> str:
        return self.unique(file_base(text), suffix) + suffix
