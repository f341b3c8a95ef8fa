"""Hierarchy rules: every 三级 under an allowed 二级 of an allowed 一级.

A written 一级 or 二级 is also its row's effective one, so each rule first asks
the form's distinct (一级, 二级) pairs (`ctx.places`) whether any row can be
wrong: on most forms none can, and no row is visited.
"""
from __future__ import annotations

from ..taxonomy import ROLE_LABELS
from . import Hit, rule


def _allowed(level) -> str:
    return "、".join(dict.fromkeys(child.name for child in level.children.values()))


@rule("hierarchy.level1", "一级指标不在指标体系内")
def level1(ctx):
    if all(l1 and place.level1 for (l1, _), place in ctx.places.items()):
        return
    tax = ctx.taxonomy
    for i, ind, (l1, _) in ctx.filled:
        written = ind.level1.strip()
        if not l1:
            yield Hit(f"indicators[{i}].level1", "未填写一级指标", ind.name)
        elif written and tax.find1(written) is None:
            owner = tax.find2_anywhere(written)
            if owner:
                msg = f"“{written}”是“{owner.name}”下的二级指标，却填在了一级指标栏"
            else:
                allowed = "、".join(level.name for level in tax.canonical1())
                msg = f"一级指标“{written}”不在{tax.name}内（应为：{allowed}）"
            yield Hit(f"indicators[{i}].level1", msg, ind.name)


@rule("hierarchy.level2", "二级指标不属于所在一级指标")
def level2(ctx):
    tax = ctx.taxonomy
    if tax.levels < 2:
        return
    if not any(l2 and place.level1 and not place.level2 for (_, l2), place in ctx.places.items()):
        return
    for i, ind, (l1, _) in ctx.filled:
        written = ind.level2.strip()
        if not written:
            continue
        parent = tax.find1(l1)
        if parent is None or tax.find2(parent, written):
            continue
        owner = tax.find2_anywhere(written)
        if owner:
            msg = f"二级指标“{written}”属于“{owner.name}”，不应放在“{parent.name}”下"
        else:
            msg = f"“{written}”不是“{parent.name}”下的二级指标（应为：{_allowed(parent)}）"
        yield Hit(f"indicators[{i}].level2", msg, ind.name)


@rule("hierarchy.empty_level2", "二级指标为空")
def empty_level2(ctx):
    if ctx.taxonomy.levels < 2:
        return
    if not any(place.level1 and not l2 for (_, l2), place in ctx.places.items()):
        return
    for i, ind, (l1, l2) in ctx.filled:
        if not l2 and ind.name.strip() and ctx.taxonomy.find1(l1):
            yield Hit(f"indicators[{i}].level2", f"一级指标“{l1}”下的二级指标为空", ind.name)


@rule("hierarchy.empty_name", "缺少三级指标名称")
def empty_name(ctx):
    if all(map(str.strip, ctx.names)):     # a name on every row: most forms
        return
    for i, ind in enumerate(ctx.form.indicators):
        if not ind.name.strip() and ind.target.strip():
            yield Hit(f"indicators[{i}].name", f"指标值“{ind.target.strip()}”没有对应的三级指标名称")


def _out_of_place(ctx) -> set[int]:
    """Indexes of the rows whose name's hint expects another 一级 and 二级."""
    out, places, levels = set(), ctx.places, ctx.levels
    for i, hint in ctx.hinted:
        role1, role2 = places[levels[i]].roles
        if role1 and role1 not in hint.expect and role2 not in hint.expect:
            out.add(i)
    return out


@rule("hierarchy.misplaced", "三级指标放错了位置")
def misplaced(ctx):
    wrong = _out_of_place(ctx)
    if not wrong:
        return
    for i, ind, (l1, l2) in ctx.filled:
        if i not in wrong:
            continue
        hint = ctx.hints[i]
        here = "/".join(x for x in (l1, l2) if x)
        yield Hit(f"indicators[{i}].name",
                  f"“{ind.name}”应放在“{hint.place}”下，现在在“{here}”下", ind.name)


def _present_roles(ctx) -> set:
    present = set()
    for place in ctx.places.values():
        present.update(place.roles)
    for _, hint in ctx.hinted:
        present.add(hint.role)
    present.discard("")
    return present


@rule("hierarchy.required", "缺少必备的一级指标")
def required(ctx):
    if not ctx.form.indicators:
        yield Hit("indicators", "没有填写任何绩效指标")
        return
    present = _present_roles(ctx)
    for role in ctx.taxonomy.required:
        if role not in present:
            yield Hit("indicators", f"缺少{ROLE_LABELS.get(role, role)}指标")


@rule("hierarchy.output_dims", "产出指标缺少数量、质量或时效", "提示")
def output_dims(ctx):
    have = {place.roles[1] for place in ctx.places.values() if place.roles[0] == "output"}
    if not have:    # no 产出 row
        return
    for dim in ctx.taxonomy.output_dims:
        if dim not in have:
            yield Hit("indicators", f"产出指标缺少{ROLE_LABELS.get(dim, dim)}指标")
