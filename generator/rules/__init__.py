"""The rules: each a small function over one form, registered with an id.

A rule yields `Hit`s (a model path, a message, the indicator name); `check_form`
turns them into `Finding`s with the severity the profile gives, the sheet and
cell the path came from, and the project's name.  One module per family:
hierarchy, values, duplicates, money, dates, selfeval.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

from ..model import Form, effective_levels
from ..profile import Profile, profile_for
from ..scoring import score_form
from ..targets import EMPTY, Target, parse_target
from ..taxonomy import Taxonomy, name_key, taxonomy_for


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str           # 错误 / 提示
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    project: str = ""
    indicator: str = ""
    path: str = ""          # model path, e.g. indicators[3].target

    def as_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell,
                "project": self.project, "indicator": self.indicator, "rule": self.rule,
                "severity": self.severity, "message": self.message}


class Hit(NamedTuple):
    path: str
    message: str
    indicator: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    func: Callable


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, severity: str = "错误"):
    """Register a rule function `(ctx) -> Iterable[Hit]`."""
    def register(func):
        RULES[rule_id] = Rule(rule_id, severity, title, func)
        return func
    return register


class lazy_property:
    """A property computed on first use, then stored on the instance: functools'
    cached_property without the lock it takes before Python 3.12, which costs more
    than most of what a Context computes."""

    def __init__(self, func):
        self.func, self.__doc__ = func, func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class Context:
    """One form with what every rule needs, computed once."""

    def __init__(self, form: Form, profile: Profile, taxonomy: Taxonomy):
        self.form, self.profile, self.taxonomy = form, profile, taxonomy

    @lazy_property
    def levels(self) -> list[tuple[str, str]]:
        return effective_levels(self.form.indicators)

    @lazy_property
    def targets(self) -> list[Target]:
        return [parse_target(i.target) for i in self.form.indicators]

    @lazy_property
    def live(self) -> list[tuple]:
        """(index, indicator, target) of the rows with a name or a value."""
        return [(i, ind, t) for i, (ind, t) in enumerate(zip(self.form.indicators, self.targets))
                if t.kind != EMPTY or ind.name.strip()]

    @lazy_property
    def by_kind(self) -> dict[str, list[tuple]]:
        """Target kind -> the `live` rows of that kind, in row order."""
        groups: dict[str, list[tuple]] = {}
        for row in self.live:
            groups.setdefault(row[2].kind, []).append(row)
        return groups

    @lazy_property
    def filled(self) -> list[tuple]:
        """(index, indicator, (一级, 二级)) of the rows that hold anything."""
        return [(i, ind, levels) for i, (ind, levels) in enumerate(zip(self.form.indicators, self.levels))
                if ind.name.strip() or ind.target.strip() or ind.level1.strip() or ind.level2.strip()]

    @lazy_property
    def hints(self) -> list:
        """The taxonomy's hint for each row's 三级 name, or None."""
        return [self.taxonomy.hint_for(ind.name) for ind in self.form.indicators]

    @lazy_property
    def satisfaction(self) -> list[bool]:
        """Whether each row is a 满意度 indicator: by its name, else by where it sits."""
        return [hint.role == "satisfaction" if hint else "satisfaction" in roles
                for hint, roles in zip(self.hints, self.roles)]

    @lazy_property
    def satisfied(self) -> list[tuple]:
        """The `live` rows of 满意度 indicators."""
        return [row for row in self.live if self.satisfaction[row[0]]]

    @lazy_property
    def name_groups(self) -> dict[str, list[int]]:
        """name_key -> row indexes, for rows with a name."""
        groups: dict[str, list[int]] = {}
        for i, ind in enumerate(self.form.indicators):
            key = name_key(ind.name)
            if key:
                groups.setdefault(key, []).append(i)
        return groups

    @lazy_property
    def roles(self) -> list[tuple[str, str]]:
        """(一级 role, 二级 role) of each indicator row; '' where unknown."""
        # Looked up once per (一级, 二级): the rows under a merged cell share it.
        by_pair = {pair: self.taxonomy.roles(*pair) for pair in set(self.levels)}
        return [by_pair[pair] for pair in self.levels]

    @lazy_property
    def amounts(self) -> list[tuple]:
        """(path, label, raw value, amount or None) of every amount on the form."""
        # `money` is this package's module, imported at the bottom.
        return [(path, label, raw, money.amount(raw))
                for path, label, raw in money.amount_cells(self.form)]

    @lazy_property
    def selfscore(self):
        """The 自评表's scores, or None for a form without budget execution."""
        return score_form(self.form, self.profile) if self.form.execution else None

    def t(self, name: str):
        return self.profile.threshold(name)


def _cell_ref(form: Form, path: str) -> str:
    """The cell a path came from, else the nearest enclosing one (a row, a table)."""
    while path:
        ref = form.cell_of(path)
        if ref:
            return ref
        path = path[:max(path.rfind("."), path.rfind("["), 0)]
    return ""


def _finding(form: Form, file: str, rule_id: str, severity: str, hit: Hit) -> Finding:
    ref = _cell_ref(form, hit.path)
    sheet, _, cell = ref.rpartition("!") if ref else (form.sheet, "", hit.path)
    return Finding(rule=rule_id, severity=severity, message=hit.message, file=file,
                   sheet=sheet.strip("'") or form.sheet, cell=cell, project=form.project.name,
                   indicator=hit.indicator, path=hit.path)


def check_form(form: Form, file: str = "", profile: Profile | None = None) -> list[Finding]:
    profile = profile or profile_for(form.region)
    ctx = Context(form, profile, taxonomy_for(form.region, form.year))
    findings = []
    for rule_id, severity, func in _active(profile):
        for hit in func(ctx):
            findings.append(_finding(form, file, rule_id, severity, hit))
    return findings


def _active(profile: Profile) -> list[tuple]:
    """(id, severity, function) of the rules the profile runs, computed once per profile."""
    if profile.__dict__.get("_active") is None:
        profile.__dict__["_active"] = [(rid, profile.severity(rid, spec.severity), spec.func)
                                       for rid, spec in RULES.items() if profile.enabled(rid)]
    return profile.__dict__["_active"]


def check_forms(forms: Iterable[Form], file: str = "", profile: Profile | None = None):
    return [f for form in forms for f in check_form(form, file, profile)]


# Rule families register themselves on import.
from . import dates, duplicates, hierarchy, money, selfeval, values  # noqa: E402,F401
