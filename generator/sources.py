"""Open any input the commands accept: the YAML exchange format or a filled .xlsx."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import Book
from .yamlio import load_book

YAML_SUFFIXES = {".yaml", ".yml"}
EXCEL_SUFFIXES = {".xlsx"}


@dataclass
class Loaded:
    book: Book
    findings: list = field(default_factory=list)   # what reading itself found


def load_any(path: str | Path) -> Loaded:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError("文件不存在", str(path))
    if suffix in YAML_SUFFIXES:
        return Loaded(load_book(path))
    if suffix in EXCEL_SUFFIXES:
        from .template import read_workbook
        result = read_workbook(path)
        return Loaded(result.book, list(result.findings))
    if suffix in {".xls", ".xlsm", ".xlsb", ".et"}:
        raise InputError(f"不支持 {suffix} 文件：请在 Excel/WPS 中另存为 .xlsx（不含宏）后再试", str(path))
    raise InputError("不支持的文件类型：请提供 .xlsx 表单或 .yaml 表单数据", str(path))
