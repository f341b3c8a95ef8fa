"""Rendering speed: forms/s of the template engine, against pandas reading the same files.

    python bench/render.py [FORMS]        (default 300 sh2023 forms, 30 per workbook)
The baseline is pandas.read_excel(sheet_name=None) (its default engine, openpyxl) reading every workbook
rendered here, in the same process: rendering a form costs this many times
reading it with pandas.
"""
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import forms  # noqa: E402
from generator.model import Book  # noqa: E402
from generator.template import render_book  # noqa: E402

PER_BOOK = 30


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    data = forms(count, 30)
    books = [Book(data[i:i + PER_BOOK]) for i in range(0, count, PER_BOOK)]
    with tempfile.TemporaryDirectory() as tmp:
        render_book(books[0], Path(tmp) / "warm.xlsx")          # templates parsed once
        start = time.perf_counter()
        paths = []
        for n, book in enumerate(books):
            paths.append(Path(tmp) / f"{n}.xlsx")
            render_book(book, paths[-1])
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        for path in paths:
            pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        baseline = time.perf_counter() - start
    print(f"render: {count} 份表单（每个工作簿 {PER_BOOK} 份），{elapsed:.2f} s，{count / elapsed:,.1f} 份/秒；"
          f"基线 pandas.read_excel 读同样的文件 {count / baseline:,.1f} 份/秒，耗时比 {elapsed / baseline:.2f}×")


if __name__ == "__main__":
    main()
