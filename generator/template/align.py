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
from operator import attrgetter

from .spec import SheetSpec, _normalize, normalize
from .values import blank, number_text

NAME_BONUS = 2.0          # a defined name that still sits beside its label


@dataclass(slots=True)
class Anchor:
    row: int              # template row
    at: int               # sheet row
    shift: int            # columns the labels moved (0 unless the layout differs)
    score: float
    named: bool = False


@dataclass(frozen=True, slots=True)
class AnchorRow:
    """A template row with labels or patterns, as the search and the names need it."""
    row: int
    labels: tuple         # its normalized label texts
    cells: tuple          # (col, normalized label text)
    patterns: tuple       # (col, regex) of its mixed fields
    need: float           # the score a sheet row must reach to be this row
    segment: int          # which stretch between loop rows it lies in
    width: int            # its last column with a label or pattern


@dataclass(frozen=True, slots=True)
class AnchorPlan:
    """What aligning to a template sheet needs, worked out once per template sheet."""
    rows: tuple           # AnchorRow by template row
    numbers: list         # their template rows
    loops: list           # the loop rows, sorted
    loop_set: frozenset
    filled: list          # the rows holding anything, sorted


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
        if row > 0 and col > 0:
            try:
                return self.rows[row - 1][col - 1]
            except IndexError:          # past the sheet's used area: blank
                pass
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


_ANCHOR_PLANS: dict[int, tuple] = {}


def anchor_plan(part: SheetSpec) -> AnchorPlan:
    """The template sheet's AnchorPlan, made once."""
    cached = _ANCHOR_PLANS.get(id(part))
    if cached is None or cached[0] is not part:
        if len(_ANCHOR_PLANS) > 1024:
            _ANCHOR_PLANS.clear()
        cached = _ANCHOR_PLANS[id(part)] = (part, _anchor_plan(part))
    return cached[1]


def _anchor_plan(part: SheetSpec) -> AnchorPlan:
    loops = sorted(lp.row for lp in part.loops)
    rows = []
    for t in sorted(set(part.labels) | set(part.patterns)):
        labels, patterns = part.labels.get(t, {}), tuple(part.patterns.get(t, {}).items())
        rows.append(AnchorRow(t, tuple(labels.values()), tuple(labels.items()), patterns,
                              _need(len(labels) + len(patterns)), bisect_left(loops, t),
                              max([*labels, *(c for c, _ in patterns)])))
    return AnchorPlan(tuple(rows), [r.row for r in rows], loops, frozenset(loops), sorted(part.filled))


def _candidates(part: SheetSpec, index: SheetIndex, hints: dict[int, int]) -> list[Anchor]:
    out = []
    by_text = index.by_text
    for anchor in anchor_plan(part).rows:
        t = anchor.row
        rows = {r for text in anchor.labels for r, _ in by_text.get(text, ())}
        for c, rx in anchor.patterns:
            rows |= index.pattern_rows(c, rx)
        for at in sorted(rows):
            score, shift = row_match(part, t, index, at)
            if score >= anchor.need:
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
    plan = anchor_plan(part)
    named_rows: dict[int, list] = {}          # stretch between loops -> its named template rows
    for r in sorted(hints):
        named_rows.setdefault(bisect_left(plan.loops, r), []).append(r)
    out, last = [], 0
    for anchor in plan.rows:
        t = anchor.row
        same = named_rows.get(anchor.segment)
        if not same:
            return None
        k = bisect_right(same, t)
        near = same[k - 1] if k else same[0]      # the nearest named row before t, else after
        at = t + hints[near] - near
        if at <= last or not _all_labels(anchor, index, at):
            return None
        named = hints.get(t) == at
        out.append(Anchor(t, at, 0, len(anchor.cells) + len(anchor.patterns) + (NAME_BONUS if named else 0), named))
        last = at
    return _with_named_fields(out, hints, plan)


def _with_named_fields(anchors: list[Anchor], hints: dict[int, int], plan: AnchorPlan) -> list[Anchor]:
    """The label anchors (one per anchor row), and the named rows without labels (a text under its
    heading) where they sit between their neighbours: a row inserted above one moves its name, not a label."""
    out = list(anchors)
    for t, at in hints.items():
        if t in plan.loop_set or t in plan.numbers:
            continue
        k = bisect_left(plan.numbers, t)
        if (k == 0 or anchors[k - 1].at < at) and (k == len(anchors) or at < anchors[k].at):
            out.append(Anchor(t, at, 0, NAME_BONUS, True))
    return sorted(out, key=attrgetter("row")) if len(out) > len(anchors) else out


def _all_labels(anchor: AnchorRow, index: SheetIndex, at: int) -> bool:
    """Every label of a template row in its own column of sheet row `at`, every pattern matched."""
    row = index.rows[at - 1] if 0 < at <= len(index.rows) else ()
    if len(row) < anchor.width:     # a cell past the row's end is blank
        return False
    for c, text in anchor.cells:
        v = row[c - 1]
        if v.__class__ is not str or (v != text and _normalize(v) != text):
            return False
    for c, rx in anchor.patterns:
        v = row[c - 1]
        if v.__class__ is not str or not rx.match(v):
            return False
    return True


class Alignment:
    """Template rows -> sheet rows for one filled sheet, from its anchors in row order."""

    def __init__(self, part: SheetSpec, index: SheetIndex, anchors: list[Anchor]):
        self.part, self.index, self.anchors = part, index, anchors
        plan = anchor_plan(part)
        self.loop_rows = plan.loops
        self._placed: dict[int, tuple[int, int] | None] = {}
        # stretch between loop rows (bisect_left(loop_rows, row)) -> (its anchors' rows, its anchors)
        self._by_segment: dict[int, tuple[list[int], list[Anchor]]] = {}
        for a in anchors:
            if a.row not in plan.loop_set:
                rows, same = self._by_segment.setdefault(bisect_left(self.loop_rows, a.row), ([], []))
                rows.append(a.row)
                same.append(a)

    def locate(self, t: int) -> tuple[int, int] | None:
        """(sheet row, column shift) of template row t outside loops; None if unplaced."""
        if t in self._placed:
            return self._placed[t]
        found = self._by_segment.get(bisect_left(self.loop_rows, t))
        placed = None
        if found:                       # the nearest anchor above in its stretch, else the first below
            rows, same = found
            k = bisect_right(rows, t)
            a = same[k - 1] if k else same[0]
            placed = a.at + (t - a.row), a.shift
        self._placed[t] = placed
        return placed

    def loop_rows_of(self, loop_row: int) -> tuple[range, int]:
        """The sheet rows a loop's items may sit in, and the column shift."""
        segment = bisect_left(self.loop_rows, loop_row)
        found = self._by_segment.get(segment)       # the anchors above it, down from the loop before
        if found:
            a = found[1][-1]
            start, shift = a.at + loop_row - a.row, a.shift
        else:
            start, shift = loop_row, 0
        filled = anchor_plan(self.part).filled
        k = bisect_right(filled, loop_row)
        end = self.index.last_row
        if k < len(filled):                         # the next filled template row ends it, if placed
            placed = self.locate(filled[k])
            if placed and bisect_left(self.loop_rows, filled[k]) == segment + 1:
                end = placed[0] - 1
        return range(start, max(start, end + 1)), shift

    @property
    def named(self) -> bool:
        return any(a.named for a in self.anchors)
