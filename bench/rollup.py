"""Roll-up speed: N unit workbooks of M projects into one summary.

    python bench/rollup.py [N] [M]      (default 300 workbooks of 10 projects)
The workbooks are rendered by the template engine from bench/synthetic.py forms
(once; kept under build/bench-rollup/).  Printed: the roll-up's workbooks/s;
its time against a baseline, pandas.read_excel with its default engine
(sheet_name=None) over the same files; and against a floor, python-calamine
reading the same cells and nothing else.  The roll-up and the floor are timed
in turn, best of 5 each (as timeit.repeat does: the machine's noise only adds time);
the baseline, ~10× slower, once.  Target: 300 × 10 in ≤ 10 s on two cores,
within 2× of the floor.
"""
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.baselines import calamine_floor, pandas_default  # noqa: E402
from bench.synthetic import forms  # noqa: E402
from generator.model import Book  # noqa: E402
from generator.rollup import rollup  # noqa: E402
from generator.template import render_book  # noqa: E402

REPEAT = 5


def _render(job: tuple) -> None:
    path, batch = job
    render_book(Book(forms=batch), path)


def make_inputs(count: int, per_book: int) -> Path:
    folder = ROOT / "build" / "bench-rollup" / f"{count}x{per_book}"
    done = folder.with_name(folder.name + ".done")      # beside the folder: not an input
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        data = forms(count * per_book)
        jobs = [(folder / f"单位{w:04d}.xlsx", data[w * per_book:(w + 1) * per_book]) for w in range(count)]
        with ProcessPoolExecutor() as pool:
            list(pool.map(_render, jobs, chunksize=8))
        done.touch()
    return folder


def timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    per_book = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    folder = make_inputs(count, per_book)
    files = sorted(folder.glob("*.xlsx"))
    floors, runs = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(REPEAT):
            floors.append(timed(calamine_floor, files))
            runs.append(timed(rollup, folder, Path(out) / "汇总.xlsx"))
    floor, elapsed = min(floors), min(runs)
    baseline = timed(pandas_default, files)
    print(f"rollup: {count} 个工作簿 × {per_book} 个项目，{elapsed:.2f} s，{count / elapsed:,.1f} 个工作簿/秒"
          f"（目标 ≤ 10 s）；基线 pandas.read_excel 默认引擎 {baseline:.2f} s，为其 {elapsed / baseline:.2f}×；"
          f"下限 python-calamine 只读单元格 {floor:.2f} s，为其 {elapsed / floor:.2f}×（目标 ≤ 2×）")


if __name__ == "__main__":
    main()
