"""The reading baselines the benchmarks compare with, run in the same process."""
from __future__ import annotations

import warnings
from pathlib import Path


def pandas_default(files: list[Path]) -> None:
    """pandas.read_excel with its default engine, every sheet of every file."""
    import pandas as pd
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            pd.read_excel(path, sheet_name=None, header=None)


def calamine_floor(files: list[Path]) -> None:
    """python-calamine reading the same cells and nothing else: every sheet but the hidden
    `_…` list sheets, which no reader of ours opens."""
    from python_calamine import CalamineWorkbook
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            if not name.startswith("_"):
                book.get_sheet_by_name(name).to_python()
