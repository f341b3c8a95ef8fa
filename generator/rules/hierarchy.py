"""Hierarchy rules: every 三级 under an allowed 二级 of an allowed 一级."""
from __future__ import annotations

from ..taxonomy import ROLE_LABELS
from . import Hit, rule


def _allowed(level) -> str:
    return "、".join(dict.fromkeys(child.name for child in level.children.values()))


@rule("hierarchy.level1", "一级指标不在指标体系内")
def level1(ctx):
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
    for i, ind, (l1, l2) in ctx.filled:
        if not l2 and ind.name.strip() and ctx.taxonomy.find1(l1):
            yield Hit(f"indicators[{i}].level2", f"一级指标“{l1}”下的二级指标为空", ind.name)


@rule("hierarchy.empty_name", "缺少三级指标名称")
def empty_name(ctx):
    for i, ind, _ in ctx.filled:
        if not ind.name.strip() and ind.target.strip():
            yield Hit(f"indicators[{i}].name", f"指标值“{ind.target.strip()}”没有对应的三级指标名称")


@rule("hierarchy.misplaced", "三级指标放错了位置")
def misplaced(ctx):
    for i, ind, (l1, l2) in ctx.filled:
        hint = ctx.hints[i]
        role1, role2 = ctx.roles[i]
        if hint is None or not role1 or role1 in hint.expect or role2 in hint.expect:
            continue
        here = "/".join(x for x in (l1, l2) if x)
        yield Hit(f"indicators[{i}].name",
                  f"“{ind.name}”应放在“{hint.place}”下，现在在“{here}”下", ind.name)


def _present_roles(ctx) -> set:
    present = set().union(*ctx.roles)
    present.update(hint.role for hint in ctx.hints if hint)
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
    have = {r2 for r1, r2 in ctx.roles if r1 == "output"}
    if not have:    # no 产出 row
        return
    for dim in ctx.taxonomy.output_dims:
        if dim not in have:
            yield Hit("indicators", f"产出指标缺少{ROLE_LABELS.get(dim, dim)}指标")
