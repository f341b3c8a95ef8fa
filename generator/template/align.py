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

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain

from .spec import SheetSpec, _normalize, normalize
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
    """A filled sheet's normalized texts, looked up by text.

    Only the text cells are indexed up front (labels are looked up by text);
    a row's normalized texts are made when first asked for.
    """

    def __init__(self, rows: list[list], wanted: frozenset | None = None):
        """`wanted`: the only texts by_text will be asked for (a template sheet's labels), if known."""
        self.rows, self._wanted = rows, wanted
        self._texts: list = [None] * len(rows)
        self._last_row: int | None = None
        self._columns: dict[int, list] = {}

    @cached_property
    def by_text(self) -> dict[str, list]:
        """{normalized text: [(row, col)]} of the text cells, in row order."""
        found = _wanted_cells(self.rows, self._wanted) if self._wanted is not None else None
        by_text = defaultdict(list, found or {})
        if found is None:
            for r, c, v in [(r, c, v) for r, row in enumerate(self.rows, 1) for c, v in enumerate(row, 1)
                            if v and isinstance(v, str)]:
                if not v.isspace():
                    by_text[normalize(v)].append((r, c))
        return by_text

    @property
    def texts(self) -> list[dict[int, str]]:
        """Per row: {col: normalized text}."""
        return [self.row_texts(r) for r in range(1, len(self.rows) + 1)]

    def row_texts(self, row: int) -> dict[int, str]:
        """{col: normalized text} of a row's non-blank cells (numbers as text too)."""
        if not 0 < row <= len(self.rows):
            return {}
        texts = self._texts[row - 1]
        if texts is None:
            texts = self._texts[row - 1] = cell_texts(self.rows[row - 1])
        return texts

    @property
    def last_row(self) -> int:
        if self._last_row is None:
            self._last_row = next((r for r in range(len(self.rows), 0, -1)
                                   if any(not blank(v) for v in self.rows[r - 1])), 0)
        return self._last_row

    def value(self, row: int, col: int):
        if 0 < row <= len(self.rows) and 0 < col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def pattern_rows(self, col: int, rx) -> set[int]:
        """The rows whose text in column `col` matches `rx` (each distinct text tried once per process)."""
        known = _MATCHED.get(rx)
        if known is None or len(known) > _SEEN_MAX:
            if len(_MATCHED) > 1024:
                _MATCHED.clear()
            known = _MATCHED[rx] = {}
        out = set()
        for r, v in self.column_texts(col):
            hit = known.get(v)
            if hit is None:
                hit = known[v] = rx.match(v) is not None
            if hit:
                out.add(r)
        return out

    def column_texts(self, col: int) -> list:
        """[(row, value)] of the str cells in column `col`."""
        found = self._columns.get(col)
        if found is None:
            found = self._columns[col] = [(r, row[col - 1]) for r, row in enumerate(self.rows, 1)
                                          if 0 < col <= len(row) and isinstance(row[col - 1], str)]
        return found


_MATCHED: dict = {}        # compiled pattern -> {text: matches}
_SEEN: dict[frozenset, tuple[dict, set]] = {}      # wanted texts -> ({raw text: its wanted text or None}, raw labels)
_SEEN_MAX = 200_000


def _wanted_cells(rows: list[list], wanted: frozenset) -> dict[str, list] | None:
    """{wanted text: [(row, col)]} of the text cells that normalize to a wanted text, in row order.

    Set operations find the few rows holding one; each distinct raw text is normalized once per
    process.  None when a cell cannot be hashed (values from elsewhere): index every text then.
    """
    try:
        values = set(chain.from_iterable(rows))
    except TypeError:
        return None
    if wanted not in _SEEN and len(_SEEN) > 256:
        _SEEN.clear()
    seen, labels = _SEEN.get(wanted) or _SEEN.setdefault(wanted, ({}, set()))
    if len(seen) > _SEEN_MAX:
        seen.clear()
        labels.clear()
    for v in values.difference(seen):
        if isinstance(v, str):
            text = normalize(v) if v and not v.isspace() else None
            seen[v] = text if text in wanted else None
            if seen[v] is not None:
                labels.add(v)
    hits = labels.intersection(values)
    out: dict[str, list] = {}
    if hits:
        for r, row in enumerate(rows, 1):
            if not hits.isdisjoint(row):
                for c, v in enumerate(row, 1):
                    if v in hits:
                        out.setdefault(seen[v], []).append((r, c))
    return out


def cell_texts(cells: list) -> dict[int, str]:
    """{col: normalized text} of the non-blank cells."""
    return {c: normalize(v) if isinstance(v, str) else _shown(v) for c, v in enumerate(cells, 1)
            if v is not None and v != "" and not (isinstance(v, str) and v.isspace())}


def _shown(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_shown(value)
    return normalize(str(value))


@lru_cache(maxsize=65536)
def _number_shown(value) -> str:
    return normalize(number_text(value))


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
    if not any(shifts):
        return score, 0
    return score, Counter(shifts).most_common(1)[0][0]


_ANCHOR_ROWS: dict[int, tuple] = {}


def _anchor_rows(part: SheetSpec) -> list[tuple]:
    """[(template row, label texts, patterns, score needed)] of a template sheet, made once."""
    cached = _ANCHOR_ROWS.get(id(part))
    if cached is None or cached[0] is not part:
        if len(_ANCHOR_ROWS) > 1024:
            _ANCHOR_ROWS.clear()
        rows = [(t, tuple(part.labels.get(t, {}).values()), tuple(part.patterns.get(t, {}).items()),
                 _need(len(part.labels.get(t, {})) + len(part.patterns.get(t, {}))))
                for t in sorted(set(part.labels) | set(part.patterns))]
        cached = _ANCHOR_ROWS[id(part)] = (part, rows)
    return cached[1]


def _candidates(part: SheetSpec, index: SheetIndex, hints: dict[int, int]) -> list[Anchor]:
    out = []
    by_text = index.by_text
    for t, labels, patterns, need in _anchor_rows(part):
        rows = {r for text in labels for r, _ in by_text.get(text, ())}
        for c, rx in patterns:
            rows |= index.pattern_rows(c, rx)
        for at in sorted(rows):
            score, shift = row_match(part, t, index, at)
            if score >= need:
                named = hints.get(t) == at
                out.append(Anchor(t, at, shift, score + (NAME_BONUS if named else 0), named))
    return out


def best_anchors(part: SheetSpec, index: SheetIndex, hints: dict[int, int] | None = None) -> list[Anchor]:
    """The order-keeping set of anchors with the highest total score (earliest on ties).

    When the defined names place every anchor row and each one's labels are all there
    (a rendered form, rows inserted or not), those are the anchors: no search.
    """
    named = _named_anchors(part, index, hints) if hints else None
    if named is not None:
        return named
    cands = _candidates(part, index, hints or {})
    best, prev = [], []
    keys = [(a.row, a.at) for a in cands]
    for i, a in enumerate(cands):
        top, arg = 0.0, -1
        row, at = keys[i]
        for j in range(i):
            b_row, b_at = keys[j]
            if b_row < row and b_at < at and best[j] > top:
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


def _named_anchors(part: SheetSpec, index: SheetIndex, hints: dict[int, int]) -> list[Anchor] | None:
    """Every anchor row where the names put it, if its labels all sit there unmoved; else None."""
    loops = sorted(lp.row for lp in part.loops)
    named_rows: dict[int, list] = {}          # stretch between loops -> its named template rows
    for r in sorted(hints):
        named_rows.setdefault(bisect_left(loops, r), []).append(r)
    out, last = [], 0
    for t, labels, patterns, _ in _anchor_rows(part):
        same = named_rows.get(bisect_left(loops, t))
        if not same:
            return None
        k = bisect_right(same, t)
        near = same[k - 1] if k else same[0]      # the nearest named row before t, else after
        at = t + hints[near] - near
        if at <= last or not _all_labels(part.labels.get(t, {}), patterns, index, at):
            return None
        named = hints.get(t) == at
        out.append(Anchor(t, at, 0, len(labels) + len(patterns) + (NAME_BONUS if named else 0), named))
        last = at
    return _with_named_fields(out, hints, set(loops))


def _with_named_fields(anchors: list[Anchor], hints: dict[int, int], loops: set) -> list[Anchor]:
    """The label anchors, and the named rows without labels (a text under its heading) where
    they sit between their neighbours: a row inserted above one moves its name, not a label."""
    rows = [a.row for a in anchors]
    out = list(anchors)
    for t, at in hints.items():
        k = bisect_left(rows, t)
        if t in loops or (k < len(rows) and rows[k] == t):
            continue
        if (k == 0 or anchors[k - 1].at < at) and (k == len(rows) or at < anchors[k].at):
            out.append(Anchor(t, at, 0, NAME_BONUS, True))
    return sorted(out, key=lambda a: a.row)


def _all_labels(labels: dict[int, str], patterns: tuple, index: SheetIndex, at: int) -> bool:
    """Every label of a template row in its own column of sheet row `at`, every pattern matched."""
    row = index.rows[at - 1] if 0 < at <= len(index.rows) else ()
    for c, text in labels.items():
        v = row[c - 1] if c <= len(row) else None
        if v.__class__ is not str or (v != text and _normalize(v) != text):
            return False
    for c, rx in patterns:
        v = row[c - 1] if c <= len(row) else None
        if v.__class__ is not str or not rx.match(v):
            return False
    return True


class Alignment:
    """Template rows -> sheet rows for one filled sheet."""

    def __init__(self, part: SheetSpec, index: SheetIndex, anchors: list[Anchor]):
        self.part, self.index, self.anchors = part, index, anchors
        self.loop_rows = sorted(lp.row for lp in part.loops)
        self._placed: dict[int, tuple[int, int] | None] = {}
        loops = set(self.loop_rows)
        self._by_segment: dict[int, list[Anchor]] = {}
        for a in anchors:
            if a.row not in loops:
                self._by_segment.setdefault(self._segment(a.row), []).append(a)

    def _segment(self, t: int) -> int:
        """Which stretch between loop rows row t lies in."""
        return bisect_left(self.loop_rows, t)

    def locate(self, t: int) -> tuple[int, int] | None:
        """(sheet row, column shift) of template row t outside loops; None if unplaced."""
        if t in self._placed:
            return self._placed[t]
        same = self._by_segment.get(self._segment(t), ())
        before = [a for a in same if a.row <= t]
        placed = None
        if before:
            a = before[-1]
            placed = a.at + (t - a.row), a.shift
        else:
            after = [a for a in same if a.row > t]
            if after:
                a = after[0]
                placed = a.at - (a.row - t), a.shift
        self._placed[t] = placed
        return placed

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
