"""Page images of the templates and of the seed fixtures rendered through them.

    python -m generator.forms.preview OUT_DIR [--seeds tests/fixtures/seed00*.yaml]

Builds templates/*.xlsx into OUT_DIR, renders each fixture with the template
engine, hides the list sheets and fits the rows (`polish`), then converts every
workbook to PDF with LibreOffice and to PNG (60 dpi) with pdftoppm.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from . import build_all, polish


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / (xlsx.stem + ".pdf")


def to_png(pdf: Path, dpi: int = 60, first: int | None = None, last: int | None = None) -> list[Path]:
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run(args + [str(pdf), str(pdf.with_suffix(""))], check=True, timeout=120)
    return sorted(pdf.parent.glob(pdf.stem + "-*.png"))


def render_seed(yaml_path: Path, out: Path) -> Path:
    from ..template import render_book
    from ..yamlio import load_book
    render_book(load_book(yaml_path), out)
    wb = openpyxl.load_workbook(out)
    polish(wb)
    wb.save(out)
    return out


def main(argv: list[str]) -> None:
    out = Path(argv[0] if argv else "out/forms")
    out.mkdir(parents=True, exist_ok=True)
    books = build_all(out)
    seeds = [Path(p) for p in argv[1:]] or sorted(Path("tests/fixtures").glob("seed00*.yaml"))
    for seed in seeds:
        books.append(render_seed(seed, out / (seed.stem + ".xlsx")))
    if not shutil.which("soffice"):
        sys.exit("soffice not found")
    for book in books:
        for png in to_png(to_pdf(book, out)):
            print(png)


if __name__ == "__main__":
    main(sys.argv[1:])
