"""Duplicate rules: the same 三级 twice, with the same or with different values."""
from __future__ import annotations

import re

from ..taxonomy import norm
from . import Hit, rule

_PUNCT = re.compile(r"[\s《》〈〉“”\"'‘’、，,。.;；:：()（）【】\[\]·\-—_/]+")


def name_key(name: str) -> str:
    """Two names with the same key are the same indicator."""
    return _PUNCT.sub("", norm(name))


def _value_key(ctx, i) -> tuple:
    t = ctx.targets[i]
    return (t.kind, t.op, t.number, t.unit, t.deadline) if t.number is not None or t.deadline \
        else (t.kind, norm(t.text))


def _groups(ctx):
    """key -> [row index] for rows with a name, in order."""
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(ctx.form.indicators):
        key = name_key(ind.name)
        if key:
            groups.setdefault(key, []).append(i)
    return groups


def _rows_text(rows) -> str:
    return "、".join(f"第{r + 1}行" for r in rows)


@rule("duplicate.same", "同一指标出现两次", "提示")
def same(ctx):
    for rows in _groups(ctx).values():
        if len(rows) > 1 and len({_value_key(ctx, r) for r in rows}) == 1:
            ind = ctx.form.indicators[rows[1]]
            yield Hit(f"indicators[{rows[1]}].name",
                      f"三级指标“{ind.name.strip()}”重复出现（指标表{_rows_text(rows)}），"
                      f"指标值相同，请删除重复行", ind.name)


@rule("duplicate.conflict", "同一指标两个不同的值")
def conflict(ctx):
    for rows in _groups(ctx).values():
        if len(rows) > 1 and len({_value_key(ctx, r) for r in rows}) > 1:
            inds = [ctx.form.indicators[r] for r in rows]
            values = "”与“".join(dict.fromkeys(i.target.strip() for i in inds))
            yield Hit(f"indicators[{rows[1]}].target",
                      f"三级指标“{inds[0].name.strip()}”出现{len(rows)}次（指标表{_rows_text(rows)}），"
                      f"指标值不同：“{values}”", inds[0].name)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _similar_pairs(keys: list[tuple[int, str]], min_len: int):
    """(earlier row, later row) of names that look like one indicator.

    One name contained in the other, or (neighbours in sorted order) a long
    common prefix and the same ending, as in “《闵行教育研究》期数” and
    “《闵行教育研究》双月刊杂志编辑期数”.
    """
    pairs = set()
    long_enough = [(i, k) for i, k in keys if len(k) >= min_len]
    for i, a in long_enough:
        pairs.update((min(i, j), max(i, j)) for j, b in keys if j != i and a in b)
    ordered = sorted(long_enough, key=lambda x: x[1])
    for (i, a), (j, b) in zip(ordered, ordered[1:]):
        if _common_prefix(a, b) >= max(min_len, min(len(a), len(b)) * 0.6) and a[-2:] == b[-2:]:
            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


@rule("duplicate.similar", "疑似重复的指标", "提示")
def similar(ctx):
    keys = [(rows[0], key) for key, rows in _groups(ctx).items()]
    for i, j in _similar_pairs(keys, int(ctx.t("similar_min_length"))):
        x, y = ctx.form.indicators[i], ctx.form.indicators[j]
        yield Hit(f"indicators[{j}].name",
                  f"“{y.name.strip()}”与第{i + 1}行“{x.name.strip()}”疑似重复，请核对", y.name)
