"""Indicator presets (templates/library/*.yaml) for projects the master list gives no indicators.

A preset is chosen by the project's 项目类别 (exact, after normalisation), else
by a regex on its name, else the one marked `fallback`; files are tried in
their `order`.  Values may hold `{{ year }}`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError, reason
from .masterlist import TextError, compact_levels, render_text
from .model import Indicator, Project
from .paths import templates_dir


@dataclass(frozen=True)
class Preset:
    title: str
    order: int
    categories: frozenset
    pattern: re.Pattern | None
    fallback: bool
    rows: tuple               # (一级, 二级, 三级, 指标值)
    file: str

    def matches_category(self, category: str) -> bool:
        return _norm(category) in self.categories

    def matches_name(self, name: str) -> bool:
        return bool(self.pattern and self.pattern.search(name))


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _preset(path: Path) -> Preset:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = tuple((l1, l2, str(name), str(target))
                     for l1, level2 in data["indicators"].items()
                     for l2, items in level2.items()
                     for name, target in items)
        pattern = re.compile(data["pattern"]) if data.get("pattern") else None
        return Preset(str(data["title"]), int(data.get("order", 50)),
                      frozenset(_norm(c) for c in data.get("categories", ())), pattern,
                      bool(data.get("fallback")), rows, str(path))
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise InputError(f"指标预设格式有误：{reason(exc)}", str(path)) from None


@lru_cache(maxsize=8)
def _load(directory: str, stamp: tuple) -> tuple:
    presets = sorted((_preset(p) for p in sorted(Path(directory).glob("*.yaml"))),
                     key=lambda p: (p.order, p.file))
    if sum(p.fallback for p in presets) != 1:
        raise InputError("指标预设库应有且只有一个通用预设（fallback: true）", directory)
    return tuple(presets)


def presets(directory: str | Path | None = None) -> tuple:
    directory = Path(directory or templates_dir() / "library")
    files = sorted(directory.glob("*.yaml"))
    return _load(str(directory), tuple((f.name, f.stat().st_mtime_ns) for f in files))


def choose(project: Project, directory=None) -> Preset:
    """The preset for a project: by 项目类别, else by name, else the fallback."""
    found = presets(directory)
    return (next((p for p in found if p.matches_category(project.category)), None)
            or next((p for p in found if p.matches_name(project.name)), None)
            or next(p for p in found if p.fallback))


def preset_indicators(preset: Preset, year: int) -> list[Indicator]:
    """The preset's indicators for a budget year (一级/二级 only where they change)."""
    try:
        rows = [Indicator(level1=l1, level2=l2, name=name, target=render_text(target, {"year": year}))
                for l1, l2, name, target in preset.rows]
    except TextError as exc:
        raise InputError(str(exc), preset.file) from None
    return compact_levels(rows)
