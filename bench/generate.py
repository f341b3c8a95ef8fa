"""Generation speed: projects/s of `jixiao generate` on a synthetic master list.

    python bench/generate.py [PROJECTS] [UNITS]     (default 3,000 projects in 300 units)
Target: ≥ 100 projects/s.  Baseline, in the same process: plain openpyxl
(Workbook.save) writing the same number of plain sheets (the form's cells as
values, no template).
"""
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import TREE  # noqa: E402
from generator.generate import generate  # noqa: E402
from generator.masterlist import INDICATOR_COLUMNS, PROJECT_COLUMNS  # noqa: E402

NAMES = ("教师培训类项目", "信息化运维", "教学研究类项目", "德育队伍建设类项目", "教学质量监控项目",
         "残疾人就业保障金", "教室多媒体设备更新", "课后服务")


def project_row(n: int, units: int) -> list:
    amount = 10_000 + (n * 7919) % 5_000_000
    return [f"P{n:06d}", f"{NAMES[n % len(NAMES)]}{n}", "闵行区教育局(汇总)", f"闵行区第{n % units + 1}学校",
            "经常性项目", "特定目标类", "2023-01-01", "2023-12-31", amount, amount, amount, amount, 0, 0,
            f"项目{n}总目标：完成{{{{ year }}}}年度任务。", f"项目{n}年度目标。"]


def indicator_rows(n: int) -> list:
    """Every other project lists ten indicators; the rest get the library's presets."""
    if n % 2:
        return []
    rows = [(l1, l2, *leaf) for l1, l2, *leaves in TREE for leaf in leaves][:10]
    return [[f"P{n:06d}", l1, l2, f"{name}{n}", target] for l1, l2, name, target in rows]


def build_master(path: Path, count: int, units: int) -> None:
    wb = openpyxl.Workbook(write_only=True)
    projects, indicators = wb.create_sheet("项目"), wb.create_sheet("指标")
    projects.append(list(PROJECT_COLUMNS))
    indicators.append(list(INDICATOR_COLUMNS))
    for n in range(count):
        projects.append(project_row(n, units))
        for row in indicator_rows(n):
            indicators.append(row)
    wb.save(path)


def baseline(folder: Path, count: int, units: int) -> float:
    """Plain openpyxl writing `count` plain sheets of a form's values, `units` workbooks."""
    start = time.perf_counter()
    for u in range(units):
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for n in range(u, count, units):
            ws = wb.create_sheet(f"项目{n}")
            for label, value in zip(PROJECT_COLUMNS, project_row(n, units)):
                ws.append([label, value])
            for row in indicator_rows(0):
                ws.append(row[1:])
        wb.save(folder / f"{u}.xlsx")
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000
    units = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_master(tmp / "项目清单.xlsx", count, units)
        (tmp / "base").mkdir()
        base = baseline(tmp / "base", count, units)
        start = time.perf_counter()
        planned = generate(tmp / "项目清单.xlsx", tmp / "out")
        elapsed = time.perf_counter() - start
    print(f"generate: {count} 个项目 / {len(planned)} 个文件，{elapsed:.2f} s，{count / elapsed:,.0f} 个项目/秒"
          f"（目标 ≥ 100）；基线 openpyxl 写普通工作表 {count / base:,.0f} 个/秒，耗时比 {elapsed / base:.2f}×")


if __name__ == "__main__":
    main()
