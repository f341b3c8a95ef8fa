"""Find templates (templates/*.xlsx by their `jx.form` property) and tell which one a sheet is."""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..grid import custom_properties
from ..paths import templates_dir as default_dir
from .spec import SheetSpec, TemplateSpec, load_spec, normalize

MIN_SCORE = 0.5       # share of a template sheet's labels a filled sheet must show


def _form_id(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("docProps/custom.xml") if "docProps/custom.xml" in zf.namelist() else None
    except (zipfile.BadZipFile, OSError):
        return ""
    return custom_properties(xml).get("jx.form", "")


@lru_cache(maxsize=16)
def _scan(directory: str, stamp: tuple) -> dict[str, str]:
    found = {}
    for path in sorted(Path(directory).glob("*.xlsx")):
        form = _form_id(path)
        if form and form not in found:
            found[form] = str(path)
    return found


def templates(directory: str | Path | None = None) -> dict[str, str]:
    """{form id: template path} of the templates in `directory` (default templates/)."""
    path = Path(directory or default_dir())
    directory, names = str(path), []
    if path.is_dir():             # as path.glob("*.xlsx"), without a Path per file
        try:
            with os.scandir(directory) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(".xlsx") and not e.name.startswith("."))
        except PermissionError:
            pass
    return _scan(directory, tuple((name, os.stat(os.path.join(directory, name)).st_mtime) for name in names))


def template_for(form_id: str, directory: str | Path | None = None) -> TemplateSpec:
    found = templates(directory)
    if form_id not in found:
        known = "、".join(found) or "无"
        raise InputError(f"没有表单 {form_id or '（未指定）'} 的模板（现有：{known}）",
                         str(directory or default_dir()))
    return load_spec(found[form_id])


def all_specs(directory: str | Path | None = None) -> list[TemplateSpec]:
    return Specs(directory).all()


class Specs:
    """The templates of a directory, each parsed only when first needed."""

    def __init__(self, directory: str | Path | None = None):
        self.paths = templates(directory)
        self._loaded: dict[str, TemplateSpec] = {}

    def get(self, form_id: str) -> TemplateSpec | None:
        if form_id not in self.paths:
            return None
        if form_id not in self._loaded:       # one file check per form id and instance
            self._loaded[form_id] = load_spec(self.paths[form_id])
        return self._loaded[form_id]

    def all(self) -> list[TemplateSpec]:
        return [self.get(form_id) for form_id in self.paths]


@dataclass(frozen=True)
class Match:
    spec: TemplateSpec
    part: SheetSpec
    score: float
    found: int


def sheet_texts(rows: list[list]) -> set[str]:
    return {normalize(v) for row in rows for v in row if isinstance(v, str) and v.strip()}


def best_match(texts: set[str], specs: list[TemplateSpec]) -> Match | None:
    """The template sheet whose labels the sheet shows most of (None below MIN_SCORE)."""
    best = None
    for spec in specs:
        for part in spec.sheets:
            labels = part.label_texts
            if part.shared or not labels:
                continue
            found = len(labels & texts)
            score = found / len(labels)
            if score >= MIN_SCORE and (best is None or (score, found) > (best.score, best.found)):
                best = Match(spec, part, score, found)
    return best
