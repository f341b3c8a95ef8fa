"""One-click district roll-up: a folder of unit workbooks into the district summary.

Modules: scan (find files, classify, hash), collect (read in a process pool,
merge, duplicates), summary (the sheets, charts, tables), sheetxml (fast rows,
fixed bytes), changes (the --previous 变动 sheet), roster (未报送单位), run
(the whole command, with its checks).  `register` adds `jixiao rollup`.
"""
from __future__ import annotations

import sys

from .run import Outcome, rollup

__all__ = ["Outcome", "register", "rollup"]


def register(sub) -> None:
    p = sub.add_parser("rollup", help="汇总：把文件夹中各单位报送的工作簿汇总为一份区级汇总表")
    p.add_argument("folder", metavar="DIR", help="各单位报送文件所在的文件夹（含子文件夹）")
    p.add_argument("--out", required=True, metavar="汇总.xlsx", help="写出的汇总表")
    p.add_argument("--roster", metavar="单位名单.xlsx", help="应报送单位名单：列出未报送的单位")
    p.add_argument("--previous", metavar="OLD.xlsx", help="上一次的汇总表：列出此后的变动")
    p.add_argument("--with-forms", action="store_true", help="把每个项目的表单重新生成到汇总表中")
    p.add_argument("--jobs", type=int, metavar="N", help="并行读取的进程数（默认为 CPU 核数）")
    p.set_defaults(func=_command)


def _command(args) -> int:
    with _Progress() as progress:
        outcome = rollup(args.folder, args.out, args.roster, args.previous, args.with_forms, args.jobs,
                         on_result=progress.advance)
    print(_report(outcome))
    c = outcome.collection
    return 1 if c.failed or any(f.severity == "错误" for f in c.findings) else 0


def _report(outcome: Outcome) -> str:
    c = outcome.collection
    errors = sum(f.severity == "错误" for f in c.findings)
    return (f"已汇总 {len(c.files)} 个文件中的 {len(c.projects)} 个项目（重复 {len(c.duplicates)} 个只计一次，"
            f"未读取 {len(c.failed)} 个文件）；项目资金总额合计 {outcome.total:,.2f} 元；"
            f"{errors} 个错误、{len(c.findings) - errors} 个提示。汇总表：{outcome.out}")


class _Progress:
    """A rich progress bar on stderr: files read of total, errors so far; quiet when not a TTY."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        console = Console(file=sys.stderr)
        self._bar = Progress(TextColumn("读取"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("未读取 {task.fields[failed]} 个，错误 {task.fields[errors]} 条"),
                             TimeElapsedColumn(), console=console, disable=not console.is_terminal,
                             transient=True, auto_refresh=False)     # no thread: the pool forks
        self._bar.__enter__()
        self._task, self._failed, self._errors = None, 0, 0
        return self

    def advance(self, result, total: int) -> None:
        if self._task is None:
            self._task = self._bar.add_task("", total=total, failed=0, errors=0)
        self._failed += bool(result.problem)
        self._errors += sum(f.severity == "错误" for p in result.projects for f in p.findings)
        self._bar.update(self._task, advance=1, failed=self._failed, errors=self._errors, refresh=True)

    def __exit__(self, *exc):
        return self._bar.__exit__(*exc)
