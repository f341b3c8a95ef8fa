"""Reading speed: forms/s of the template engine's reader, against pandas reading the same files.

    python bench/read.py [WORKBOOKS] [FORMS_PER_WORKBOOK]     (default 20 synthetic workbooks of 10 sh2023 forms)
The files are rendered here into build/bench-read/: the seed fixtures (tests/fixtures/seed00*.yaml,
one workbook each) and synthetic forms (bench/synthetic.py).  Timed in the same process, best of 3:
generator.template.read_workbook (calamine engine) over every file; the baseline,
pandas.read_excel(sheet_name=None, header=None) with its default engine, over the same files; and a
floor, python-calamine reading the same cells and nothing else.  Issue 3: reading a form is faster
than that baseline.
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.baselines import calamine_floor, pandas_default  # noqa: E402
from bench.synthetic import forms  # noqa: E402
from generator.model import Book  # noqa: E402
from generator.template import read_workbook, render_book  # noqa: E402
from generator.yamlio import load_book  # noqa: E402

OUT = ROOT / "build" / "bench-read"


def make_inputs(count: int, per_book: int) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.xlsx"):
        old.unlink()
    files = []
    for seed in sorted((ROOT / "tests" / "fixtures").glob("seed00*.yaml")):
        files.append(OUT / f"{seed.stem}.xlsx")
        render_book(load_book(seed), files[-1])
    data = forms(count * per_book)
    for w in range(count):
        files.append(OUT / f"synthetic{w:03d}.xlsx")
        render_book(Book(forms=data[w * per_book:(w + 1) * per_book]), files[-1])
    return files


def best(func, files: list[Path], rounds: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        out = func(files)
        times.append(time.perf_counter() - start)
    return min(times), out


def engine(files: list[Path]) -> int:
    read = 0
    for path in files:
        read += len(read_workbook(path).book.forms)
    return read


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    per_book = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    files = make_inputs(count, per_book)
    read_workbook(files[0])                     # templates parsed once, as in any long run
    floor, _ = best(calamine_floor, files)
    elapsed, n_forms = best(engine, files)
    baseline, _ = best(pandas_default, files, rounds=1)
    print(f"read: {len(files)} 个工作簿 {n_forms} 份表单，{elapsed:.2f} s，{n_forms / elapsed:,.1f} 份/秒"
          f"（{elapsed / len(files) * 1000:.1f} ms/工作簿）；基线 pandas.read_excel 默认引擎 {n_forms / baseline:,.1f} 份/秒，"
          f"耗时为其 {elapsed / baseline:.2f}×；下限 python-calamine 只读单元格 {floor / len(files) * 1000:.1f} ms/工作簿，"
          f"为其 {elapsed / floor:.2f}×")


if __name__ == "__main__":
    main()
