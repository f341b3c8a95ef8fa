"""Find a template sheet's rows in a filled sheet.

Each template row with static texts (labels) is an anchor.  Anchors are looked
up in the filled sheet (whitespace, full-width forms and trailing colons
ignored; a label found in another column counts half), and the best
order-keeping assignment is chosen, so rows a clerk inserted or deleted, or a
label found twice, shift only what they should.  Rows between anchors follow
their nearest anchor; a loop's rows run from below its header anchor to above
the next anchor (or to the last used row of the sheet).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass

from .spec import SheetSpec, normalize
from .values import blank, number_text

NAME_BONUS = 2.0          # a defined name that still sits beside its label


@dataclass(frozen=True)
class Anchor:
    row: int              # template row
    at: int               # sheet row
    shift: int            # columns the labels moved (0 unless the layout differs)
    score: float
    named: bool = False


class SheetIndex:
    """A filled sheet's normalized texts, looked up by text."""

    def __init__(self, rows: list[list]):
        self.rows = rows
        self.by_text = defaultdict(list)
        self.texts: list[dict[int, str]] = []       # per row: {col: normalized text}
        for r, row in enumerate(rows, 1):
            texts = {}
            for c, v in enumerate(row, 1):
                if not blank(v):
                    texts[c] = normalize(v if isinstance(v, str) else _shown(v))
                    if isinstance(v, str):
                        self.by_text[texts[c]].append((r, c))
            self.texts.append(texts)

    def row_texts(self, row: int) -> dict[int, str]:
        """{col: normalized text} of a row's non-blank cells (numbers as text too)."""
        return self.texts[row - 1] if 0 < row <= len(self.texts) else {}

    @property
    def last_row(self) -> int:
        return max((r for r, texts in enumerate(self.texts, 1) if texts), default=0)

    def value(self, row: int, col: int):
        if 0 < row <= len(self.rows) and 0 < col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


def _shown(value) -> str:
    return number_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _need(n: int) -> float:
    return max(0.5, n / 2)


def row_match(part: SheetSpec, t: int, index: SheetIndex, at: int) -> tuple[float, int]:
    """(score, column shift) of template row t's labels in sheet row `at`."""
    score, shifts = 0.0, []
    texts = index.row_texts(at)
    for c, text in part.labels.get(t, {}).items():
        if texts.get(c) == text:
            score, shifts = score + 1, shifts + [0]
        else:
            other = [c2 for c2, v in texts.items() if v == text]
            if other:
                score, shifts = score + 0.5, shifts + [other[0] - c]
    for c, rx in part.patterns.get(t, {}).items():
        v = index.value(at, c)
        if isinstance(v, str) and rx.match(v):
            score, shifts = score + 1, shifts + [0]
    shift = Counter(shifts).most_common(1)[0][0] if shifts else 0
    return score, shift


def _candidates(part: SheetSpec, index: SheetIndex, hints: dict[int, int]) -> list[Anchor]:
    out = []
    for t in sorted(set(part.labels) | set(part.patterns)):
        rows = {r for text in part.labels.get(t, {}).values() for r, _ in index.by_text.get(text, ())}
        for c, rx in part.patterns.get(t, {}).items():
            rows |= {r for r in range(1, len(index.rows) + 1)
                     if isinstance(index.value(r, c), str) and rx.match(index.value(r, c))}
        n = len(part.labels.get(t, {})) + len(part.patterns.get(t, {}))
        for at in sorted(rows):
            score, shift = row_match(part, t, index, at)
            if score >= _need(n):
                named = hints.get(t) == at
                out.append(Anchor(t, at, shift, score + (NAME_BONUS if named else 0), named))
    return out


def best_anchors(part: SheetSpec, index: SheetIndex, hints: dict[int, int] | None = None) -> list[Anchor]:
    """The order-keeping set of anchors with the highest total score (earliest on ties)."""
    cands = _candidates(part, index, hints or {})
    best, prev = [], []
    for i, a in enumerate(cands):
        top, arg = 0.0, -1
        for j in range(i):
            b = cands[j]
            if b.row < a.row and b.at < a.at and best[j] > top:
                top, arg = best[j], j
        best.append(top + a.score - a.at * 1e-6)
        prev.append(arg)
    if not cands:
        return []
    i = max(range(len(cands)), key=lambda k: (best[k], -k))
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = prev[i]
    return chain[::-1]


class Alignment:
    """Template rows -> sheet rows for one filled sheet."""

    def __init__(self, part: SheetSpec, index: SheetIndex, anchors: list[Anchor]):
        self.part, self.index, self.anchors = part, index, anchors
        self.loop_rows = sorted(lp.row for lp in part.loops)

    def _segment(self, t: int) -> int:
        """Which stretch between loop rows row t lies in."""
        return bisect_left(self.loop_rows, t)

    def locate(self, t: int) -> tuple[int, int] | None:
        """(sheet row, column shift) of template row t outside loops; None if unplaced."""
        seg = self._segment(t)
        same = [a for a in self.anchors if self._segment(a.row) == seg and a.row not in self.loop_rows]
        before = [a for a in same if a.row <= t]
        if before:
            a = before[-1]
            return a.at + (t - a.row), a.shift
        after = [a for a in same if a.row > t]
        if after:
            a = after[0]
            return a.at - (a.row - t), a.shift
        return None

    def loop_rows_of(self, loop_row: int) -> tuple[range, int]:
        """The sheet rows a loop's items may sit in, and the column shift."""
        before = [a for a in self.anchors if a.row < loop_row and self._segment(a.row) == self._segment(loop_row)]
        start, shift = (before[-1].at + loop_row - before[-1].row, before[-1].shift) if before else (loop_row, 0)
        following = sorted(r for r in self.part.filled if r > loop_row)
        end = self.index.last_row
        if following:
            placed = self.locate(following[0])
            if placed and self._segment(following[0]) == self._segment(loop_row) + 1:
                end = placed[0] - 1
        return range(start, max(start, end + 1)), shift

    @property
    def named(self) -> bool:
        return any(a.named for a in self.anchors)
