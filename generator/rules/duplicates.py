"""Duplicate rules: the same 三级 twice, with the same or with different values."""
from __future__ import annotations

from functools import lru_cache

from ..taxonomy import norm
from . import Hit, rule


def _value_key(ctx, i) -> tuple:
    t = ctx.targets[i]
    return (t.kind, t.op, t.number, t.unit, t.deadline) if t.number is not None or t.deadline \
        else (t.kind, norm(t.text))


def _rows_text(rows) -> str:
    return "、".join(f"第{r + 1}行" for r in rows)


@rule("duplicate.same", "同一指标出现两次", "提示")
def same(ctx):
    for rows in ctx.name_groups.values():
        if len(rows) > 1 and len({_value_key(ctx, r) for r in rows}) == 1:
            ind = ctx.form.indicators[rows[1]]
            yield Hit(f"indicators[{rows[1]}].name",
                      f"三级指标“{ind.name.strip()}”重复出现（指标表{_rows_text(rows)}），"
                      f"指标值相同，请删除重复行", ind.name)


@rule("duplicate.conflict", "同一指标两个不同的值")
def conflict(ctx):
    for rows in ctx.name_groups.values():
        if len(rows) > 1 and len({_value_key(ctx, r) for r in rows}) > 1:
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


@lru_cache(maxsize=65536)
def _ends(key: str) -> tuple[str, str]:
    """The first four and last two characters of a name."""
    return key[:4], key[-2:]


def _similar_pairs(keys: list[tuple[int, str]], min_len: int):
    """(earlier row, later row) of names that look like one indicator.

    Only names sharing their first four and last two characters can qualify, so
    candidates are grouped by those and compared across different lengths only.
    Most forms have no two such names: that is checked first.
    """
    keys = [item for item in keys if len(item[1]) >= min_len]
    ends = [_ends(key) for _, key in keys]
    if len(set(ends)) == len(ends):
        return []
    buckets: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for item, end in zip(keys, ends):
        buckets.setdefault(end, []).append(item)
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
    keys = [(rows[0], key) for key, rows in ctx.name_groups.items()]
    for i, j in _similar_pairs(keys, int(ctx.t("similar_min_length"))):
        x, y = ctx.form.indicators[i], ctx.form.indicators[j]
        yield Hit(f"indicators[{j}].name",
                  f"“{y.name.strip()}”与第{i + 1}行“{x.name.strip()}”疑似重复，请核对", y.name)
