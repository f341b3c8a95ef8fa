"""Text as an XML part can hold it and as Excel reads it back unchanged.

XML 1.0 forbids most control characters, U+FFFE/U+FFFF and lone surrogates (a
file name Linux could not decode): they are dropped, a surrogate becomes U+FFFD.
Excel reads `_xHHHH_` in a cell's text as an escaped character, so a literal one
gets its underscore escaped (`_x005F_`), and a carriage return, which an XML
parser would turn into a line feed, is written `_x000D_`.
"""
from __future__ import annotations

import re

_ILLEGAL = str.maketrans({**{c: None for c in range(32) if c not in (9, 10, 13)}, 0xFFFE: None, 0xFFFF: None})
_SURROGATE = re.compile("[\ud800-\udfff]")
ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")    # the underscore opening a `_xHHHH_`
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PLAIN = re.compile("[^\x00-\x08\x0b-\x1f&<>_\ud800-\udfff\ufffe\uffff]*")   # nothing to drop or escape


def clean(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    text = text.translate(_ILLEGAL)
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() and _SURROGATE.search(text) else text


def escaped(text: str) -> str:
    """`text` as Excel stores it in a cell: `_xHHHH_` escapes for itself and for a carriage return."""
    text = clean(text)
    if "_x" in text:
        text = ESCAPE_LIKE.sub("_x005F_", text)
    return text.replace("\r", "_x000D_") if "\r" in text else text


def plain(text: str) -> bool:
    """Nothing to drop or escape: cell_text(text) is `text` (and so of every part of it)."""
    return _PLAIN.fullmatch(text) is not None


def cell_text(text: str) -> str:
    """The content of a cell's <t> element for `text` (never with a '\\x00': clean drops it)."""
    if _PLAIN.fullmatch(text):
        return text
    return escaped(text).translate(_MARKUP)


def unescaped(text: str) -> str:
    """A cell's text as Excel shows it, for readers that leave `_xHHHH_` as written (openpyxl)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
