"""The official templates, built with openpyxl: templates/<form>.xlsx.

One module per official form (see each module's docstring for its cell map);
`build_all(out_dir)` writes them all, byte-identical on every build:

    python -m generator.forms [OUT_DIR]      # default: templates/
"""
from __future__ import annotations

from pathlib import Path

from ..paths import templates_dir
from . import selfeval, sh2019, sh2023, sz2021
from .styles import autofit_rows, polish, save, to_bytes  # noqa: F401  (autofit_rows, polish: for the engine)

MODULES = {m.FORM: m for m in (sh2023, sh2019, sz2021, selfeval)}
FORMS = tuple(MODULES)


def build(form: str):
    """The template workbook of `form` (an openpyxl Workbook)."""
    return MODULES[form].build()


def build_bytes(form: str) -> bytes:
    return to_bytes(build(form))


def build_all(out_dir=None) -> list[Path]:
    out = Path(out_dir) if out_dir else templates_dir()
    return [save(build(form), out / f"{form}.xlsx") for form in FORMS]
