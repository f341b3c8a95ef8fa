"""Printing findings and scores: a table for people, JSON for programs."""
from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table

COLUMNS = (("file", "文件"), ("sheet", "工作表"), ("cell", "单元格"), ("project", "项目"),
           ("indicator", "指标"), ("rule", "规则"), ("severity", "级别"), ("message", "说明"))


def _console() -> Console:
    return Console(file=sys.stdout, width=200 if not sys.stdout.isatty() else None, highlight=False)


def summary(findings) -> str:
    errors = sum(f.severity == "错误" for f in findings)
    return f"共 {errors} 个错误、{len(findings) - errors} 个提示"


def print_findings(findings, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        return
    if findings:
        table = Table(show_lines=False)
        for _, label in COLUMNS:
            table.add_column(label, overflow="fold")
        for f in findings:
            row = f.as_dict()
            style = "red" if f.severity == "错误" else "yellow"
            table.add_row(*(row[key] for key, _ in COLUMNS), style=style)
        _console().print(table)
    print(summary(findings) if findings else "未发现问题。")


def print_scores(scores, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps([{"file": file, **s.as_dict()} for file, s in scores], ensure_ascii=False, indent=2))
        return
    console = _console()
    for file, s in scores:
        table = Table(title=f"{s.project}（{file}）")
        for label in ("指标", "分值", "表中得分", "计算得分", "完成情况"):
            table.add_column(label)
        rate = "—" if s.rate is None else f"{(s.rate * 100):.2f}%"
        table.add_row(f"预算执行率 {rate}", str(s.rate_weight), "", str(s.rate_score), "")
        for i in s.items:
            table.add_row(i.name, _t(i.weight), _t(i.printed), _t(i.computed), i.status)
        console.print(table)
        printed = "" if s.printed_total is None else f"（表中总分 {s.printed_total}）"
        print(f"总分 {s.total}{printed}，等级：{s.grade}")


def _t(value) -> str:
    return "" if value is None else str(value)
