"""The indicator taxonomy: allowed 一级 and 二级 per region and year, as data.

Files live in templates/taxonomy/*.yaml.  Names match after normalisation
(spaces, full-width forms) and through each level's aliases.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import InputError
from .memo import Memo
from .paths import templates_dir

ROLE_LABELS = {
    "output": "产出", "benefit": "效益", "satisfaction": "满意度", "cost": "成本",
    "input": "投入", "impact": "影响力", "quantity": "数量", "quality": "质量",
    "timeliness": "时效", "sustainability": "可持续影响", "social": "社会效益",
    "economic": "经济效益", "ecological": "生态效益",
}


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Compare form: NFKC (full-width → half-width), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


_PUNCT = re.compile(r"[\s《》〈〉“”\"'‘’、，,。.;；:：()（）【】\[\]·\-—_/]+")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Two 三级 names with the same key are the same indicator."""
    return _PUNCT.sub("", norm(name))


@dataclass(frozen=True)
class Level:
    name: str
    role: str
    children: dict = field(default_factory=dict)   # norm(alias) -> Level


@dataclass(frozen=True)
class Hint:
    pattern: re.Pattern
    role: str
    expect: tuple
    place: str


class Place(NamedTuple):
    """Where a (一级, 二级) pair of names sits in a taxonomy."""
    level1: Level | None        # None where unknown
    level2: Level | None
    roles: tuple[str, str]      # (一级 role, 二级 role), '' where unknown


@dataclass
class Taxonomy:
    name: str
    region: str
    years: tuple
    levels: int
    required: tuple
    output_dims: tuple
    level1: dict            # norm(alias) -> Level
    hints: tuple
    path: str = ""
    places: Memo = field(init=False, repr=False, compare=False)   # (一级, 二级) -> Place
    name_hints: Memo = field(init=False, repr=False, compare=False)   # 三级 name -> Hint or None

    def __post_init__(self):
        self.places = Memo(self._place)
        self.name_hints = Memo(self._hint)

    def find1(self, text: str) -> Level | None:
        return self.level1.get(norm(text))

    def find2(self, level1: Level | None, text: str) -> Level | None:
        return level1.children.get(norm(text)) if level1 else None

    def _place(self, pair: tuple[str, str]) -> Place:
        l1 = self.find1(pair[0])
        l2 = self.find2(l1, pair[1])
        return Place(l1, l2, (l1.role if l1 else "", l2.role if l2 else ""))

    def roles(self, level1: str, level2: str) -> tuple[str, str]:
        """(一级 role, 二级 role) of a pair of names; '' where unknown (cached)."""
        return self.places[level1, level2].roles

    def find2_anywhere(self, text: str) -> Level | None:
        """The 二级 of that name under any 一级 (to explain a misplaced one)."""
        key = norm(text)
        for parent in self.canonical1():
            if key in parent.children:
                return parent
        return None

    def canonical1(self) -> list[Level]:
        seen, out = set(), []
        for level in self.level1.values():
            if level.name not in seen:
                seen.add(level.name)
                out.append(level)
        return out

    def _hint(self, name: str) -> Hint | None:
        """The first hint whose pattern the 三级 name matches."""
        return next((h for h in self.hints if h.pattern.search(name)), None)


def _levels(spec: dict, path: str) -> dict:
    table = {}
    for name, body in (spec or {}).items():
        body = body or {}
        level = Level(name=name, role=body.get("role", ""),
                      children=_levels(body.get("level2"), path))
        for alias in [name, *body.get("aliases", [])]:
            table[norm(alias)] = level
    return table


def load_taxonomy_file(path: Path) -> Taxonomy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"指标体系文件无法读取：{exc}", str(path)) from None
    hints = tuple(Hint(re.compile(h["pattern"]), h["role"], tuple(h.get("expect", ())),
                       h.get("place", "")) for h in data.get("hints", []))
    return Taxonomy(name=data.get("name", path.stem), region=data["region"],
                    years=tuple(data.get("years", (0, 9999))), levels=int(data.get("levels", 3)),
                    required=tuple(data.get("required", ())),
                    output_dims=tuple(data.get("output_dims", ())),
                    level1=_levels(data.get("level1"), str(path)), hints=hints, path=str(path))


@lru_cache(maxsize=None)
def all_taxonomies(folder: str = "") -> tuple:
    root = Path(folder) if folder else templates_dir() / "taxonomy"
    return tuple(load_taxonomy_file(p) for p in sorted(root.glob("*.yaml")))


@lru_cache(maxsize=None)
def taxonomy_for(region: str, year: int | None) -> Taxonomy:
    """The taxonomy of that region in force in that year."""
    candidates = sorted((t for t in all_taxonomies() if t.region == (region or "上海")),
                        key=lambda t: t.years, reverse=True)
    for tax in candidates:
        if year is None or tax.years[0] <= year <= tax.years[1]:
            return tax
    if candidates:
        return candidates[0]
    raise InputError(f"没有地区“{region}”的指标体系（templates/taxonomy/）")
