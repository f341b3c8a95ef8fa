"""A template's fields, loops and checks as text, for review and diff (`jixiao template show`)."""
from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from .spec import load_spec


def describe_template(path: str | Path) -> str:
    spec = load_spec(path)
    lines = [f"模板 {Path(path).name}", f"  表单 jx.form = {spec.form}",
             f"  地区 jx.region = {spec.region}", f"  标题 jx.title = {spec.title}"]
    for part in spec.sheets:
        lines.append(f"工作表 {part.index + 1}：{part.name}")
        lines += [f"  字段 {f.cell}: {f.text}" + ("" if f.readable else "（只写，不读回）")
                  for f in sorted(part.fields, key=lambda f: (f.row, f.col))]
        for lp in part.loops:
            merge = ",".join(get_column_letter(c) for c in lp.merge)
            lines.append(f"  循环 第 {lp.row} 行: {lp.var} in {lp.list}" + (f"; merge={merge}" if merge else ""))
            lines += [f"    {get_column_letter(c.col)}: {c.text}" for c in lp.columns]
        lines += [f"  校验 {get_column_letter(c.col)}{c.row}: {c.formula}" + ("（循环行）" if c.in_loop else "")
                  for c in part.checks]
        lines.append(f"  标签 {len(part.label_texts)} 个: " + "、".join(sorted(part.label_texts)))
    return "\n".join(lines) + "\n"
