"""Duplicate rules: the same 三级 twice, with the same or with different values."""
from __future__ import annotations

from ..memo import Memo
from ..taxonomy import name_key, norm
from . import Hit, rule


def _value_key(ctx, i) -> tuple:
    t = ctx.targets[i]
    return (t.kind, t.op, t.number, t.unit, t.deadline) if t.number is not None or t.deadline \
        else (t.kind, norm(t.text))


def _rows_text(rows) -> str:
    return "、".join(f"第{r + 1}行" for r in rows)


@rule("duplicate.same", "同一指标出现两次", "提示")
def same(ctx):
    if ctx.names_apart:
        return
    for rows in ctx.repeats:
        if len({_value_key(ctx, r) for r in rows}) == 1:
            ind = ctx.form.indicators[rows[1]]
            yield Hit(f"indicators[{rows[1]}].name",
                      f"三级指标“{ind.name.strip()}”重复出现（指标表{_rows_text(rows)}），"
                      f"指标值相同，请删除重复行", ind.name)


@rule("duplicate.conflict", "同一指标两个不同的值")
def conflict(ctx):
    if ctx.names_apart:
        return
    for rows in ctx.repeats:
        if len({_value_key(ctx, r) for r in rows}) > 1:
            inds = [ctx.form.indicators[r] for r in rows]
            values = "”与“".join(dict.fromkeys(i.target.strip() for i in inds))
            yield Hit(f"indicators[{rows[1]}].target",
                      f"三级指标“{inds[0].name.strip()}”出现{len(rows)}次（指标表{_rows_text(rows)}），"
                      f"指标值不同：“{values}”", inds[0].name)


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _one_chunk_apart(short: str, long_: str) -> bool:
    """`short` is `long_` with one inner chunk left out, keeping ≥ 4 characters before it
    and ≥ 2 after it.

    “《闵行教育研究》期数” is “《闵行教育研究》双月刊杂志编辑期数” without “双月刊杂志编辑”:
    the same measure named twice.  “数据中台建设” against “数据中台建设内容完成率” is not:
    the longer name adds the measure.
    """
    prefix = _common(short, long_)
    suffix = _common(short[::-1], long_[::-1])
    return prefix >= 4 and suffix >= 2 and prefix + suffix >= len(short)


def _first4_last2(key: str) -> str:
    """The first four and last two characters of a name_key (which has no
    newline), as one str: a str keeps its hash, a tuple computes it each time."""
    return f"{key[:4]}\n{key[-2:]}"


_ends = Memo(_first4_last2)     # name_key -> _first4_last2
_name_ends = Memo(lambda name: _ends[name_key(name)])   # 三级 name as written -> the same


def names_apart(names: list[str]) -> bool:
    """Whether no two names share the first four and last two characters of their
    name_key: the test every repeated or similar name fails."""
    return len(set(map(_name_ends.__getitem__, names))) == len(names)


def _similar_pairs(keys: list[tuple[int, str]]):
    """(earlier row, later row) of names that look like one indicator.

    Only names sharing their first four and last two characters can qualify, so
    candidates are grouped by those and compared across different lengths only.
    """
    buckets: dict[str, list[tuple[int, str]]] = {}
    for item in keys:
        buckets.setdefault(_ends[item[1]], []).append(item)
    pairs = []
    for group in buckets.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda item: len(item[1]))
        for n, (i, a) in enumerate(group):
            for j, b in group[n + 1:]:
                if len(a) < len(b) and _one_chunk_apart(a, b):
                    pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


@rule("duplicate.similar", "疑似重复的指标", "提示")
def similar(ctx):
    if ctx.names_apart:
        return
    min_len = int(ctx.t("similar_min_length"))
    for i, j in _similar_pairs([(i, key) for key, i in ctx.first_rows.items() if len(key) >= min_len]):
        x, y = ctx.form.indicators[i], ctx.form.indicators[j]
        yield Hit(f"indicators[{j}].name",
                  f"“{y.name.strip()}”与第{i + 1}行“{x.name.strip()}”疑似重复，请核对", y.name)
