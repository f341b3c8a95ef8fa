"""Read the seed text extractions (real forms) and draft fixture YAML from them.

The seeds are text extractions of printed forms: one line per printed row,
a tab between cells, HTML fragments (<p>, <ol>, checkbox <input>) left in long
text cells, merged cells shown as empty cells or as values shifted left.

    python tests/seedtext.py 004            # draft YAML for seed 004 on stdout

The draft is mechanical: texts are cleaned, indicator rows are mapped by
*column position* with the layout given in LAYOUTS below, amounts lose their
thousands separators.  It is the starting point of the fixtures in
tests/fixtures/seedNNN.yaml, which are then checked by hand against the seed;
every row the draft maps wrongly (a cell shifted by the extraction, a real
defect of the form) is fixed there, with a `#` comment saying why.

The same helpers let the tests check that every text of a fixture occurs in
the seed verbatim.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

SEED_DIR = Path(os.environ.get("JIXIAO_SEEDS", "/work/shared/seeds"))

SEEDS = {
    "000": "000_527d7f77ac6891c0.txt",
    "001": "001_72a59388a4c6d002.txt",
    "002": "002_de2f80f6743f2f71.txt",
    "003": "003_2f34d484504e44e1.txt",
    "004": "004_b0f04a15d76e5907.part1.txt",
}


def seed_path(seed: str) -> Path:
    return SEED_DIR / SEEDS[seed]


def available() -> bool:
    return all(seed_path(s).is_file() for s in SEEDS)


def rows(seed: str) -> dict[int, list[str]]:
    """Line number (1-based) -> cells of that printed row."""
    text = seed_path(seed).read_text(encoding="utf-8")
    return {i: line.split("\t") for i, line in enumerate(text.split("\n"), 1)}


_PARA_BREAK = re.compile(r"</p>\s*<p[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def clean(cell: str) -> str:
    """A text cell as plain text: tags dropped, paragraphs joined by newlines."""
    text = _PARA_BREAK.sub("\n", cell)
    text = _TAG.sub("", text)
    return "\n".join(p.strip() for p in text.split("\n")).strip()


def plain_text(seed: str) -> str:
    """All cells of a seed, cleaned, one per line: what fixtures are checked against."""
    out = []
    for cells in rows(seed).values():
        for cell in cells:
            c = clean(cell)
            if c:
                out.append(c)
    return "\n".join(out)


def amount(text: str) -> str:
    """A printed amount as a YAML number: separators dropped, '.00' -> '0.00'."""
    t = text.strip().replace(",", "")
    if t.startswith("."):
        t = "0" + t
    return t


def checked(cell: str) -> bool:
    """A 保障阶段 cell is ticked: a ✓ or a checked <input>."""
    return "✓" in cell or 'checked=""' in cell


# --------------------------------------------------------------------------
# The draft.  For each form of a seed: its indicator rows (first, last line)
# and the field of each cell position; None = a layout column (side label).

IND = ("level1", "level2", "name", "target")
LAYOUTS: dict[str, list[dict]] = {
    "000": [{"lines": (52, 66), "cols": IND + ("note",)}],
    "001": [{"lines": (50, 67), "cols": (None,) + IND}],
    "002": [{"lines": (39, 70),
             "cols": ("level1", "subproject", "name", "target", "explanation", "source")}],
    "003": [{"lines": (15, 20), "cols": (None,) + IND + ("actual", "weight", "score", "deviation")},
            {"lines": (35, 46), "cols": (None,) + IND + ("actual", "weight", "score", "deviation")}],
    "004": [{"lines": (17, 24), "cols": (None,) + IND[:3] + (None, "target")},
            {"lines": (42, 59), "cols": (None,) + IND},
            {"lines": (75, 90), "cols": (None,) + IND},
            {"lines": (108, 149), "cols": (None,) + IND},
            {"lines": (165, 189), "cols": (None,) + IND},
            {"lines": (207, 221), "cols": (None,) + IND}],
}

_HEADER_WORDS = ("一级指标", "一级目标", "类别")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft_indicators(seed: str, layout: dict) -> list[str]:
    table = rows(seed)
    first, last = layout["lines"]
    out = []
    for n in range(first, last + 1):
        cells = [c.strip() for c in table[n]]
        if not any(cells) or any(c in _HEADER_WORDS for c in cells):
            continue
        pairs = []
        for field, cell in zip(layout["cols"], cells):
            if field and cell:
                value = amount(cell) if field in ("weight", "score") else cell
                pairs.append(f"{field}: {value if field in ('weight', 'score') else _q(value)}")
        out.append(f"  - {{{', '.join(pairs)}}}   # L{n}")
    return out


def draft_texts(seed: str, min_len: int = 40) -> list[str]:
    """Every long text cell, cleaned, as a YAML block scalar tagged with its place."""
    out = []
    for n, cells in rows(seed).items():
        for col, cell in enumerate(cells):
            text = clean(cell)
            if len(text) >= min_len:
                out.append(f"# L{n} C{col}")
                out.append("text: |-")
                out.extend("  " + line for line in text.split("\n"))
    return out


def draft(seed: str) -> str:
    lines = [f"# draft of seed {seed} ({SEEDS[seed]}); check by hand before use"]
    lines += draft_texts(seed)
    for i, layout in enumerate(LAYOUTS[seed]):
        lines.append(f"# form {i}: indicators, by column position")
        lines.append("indicators:")
        lines += draft_indicators(seed, layout)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for s in sys.argv[1:] or list(SEEDS):
        sys.stdout.write(draft(s))
