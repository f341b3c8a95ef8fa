"""The rules: each a small function over one form, registered with an id.

A rule yields `Hit`s (a model path, a message, the indicator name); `check_form`
turns them into `Finding`s with the severity the profile gives, the sheet and
cell the path came from, and the project's name.  One module per family:
hierarchy, values, duplicates, money, dates, selfeval.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, NamedTuple

from ..model import Form, effective_levels
from ..profile import Profile, profile_for
from ..scoring import score_form
from ..targets import Target, parse_target
from ..taxonomy import Taxonomy, taxonomy_for


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


class Context:
    """One form with what every rule needs, computed once."""

    def __init__(self, form: Form, profile: Profile, taxonomy: Taxonomy):
        self.form, self.profile, self.taxonomy = form, profile, taxonomy

    @cached_property
    def levels(self) -> list[tuple[str, str]]:
        return effective_levels(self.form.indicators)

    @cached_property
    def targets(self) -> list[Target]:
        return [parse_target(i.target) for i in self.form.indicators]

    @cached_property
    def roles(self) -> list[tuple[str, str]]:
        """(一级 role, 二级 role) of each indicator row; '' where unknown."""
        out = []
        for level1, level2 in self.levels:
            l1 = self.taxonomy.find1(level1)
            l2 = self.taxonomy.find2(l1, level2)
            out.append((l1.role if l1 else "", l2.role if l2 else ""))
        return out

    @cached_property
    def selfscore(self):
        """The 自评表's scores, or None for a form without budget execution."""
        return score_form(self.form, self.profile) if self.form.execution else None

    def t(self, name: str):
        return self.profile.threshold(name)


def _finding(form: Form, file: str, rule_id: str, severity: str, hit: Hit) -> Finding:
    ref = form.cell_of(hit.path)
    sheet, _, cell = ref.rpartition("!") if ref else (form.sheet, "", hit.path)
    return Finding(rule=rule_id, severity=severity, message=hit.message, file=file,
                   sheet=sheet.strip("'") or form.sheet, cell=cell, project=form.project.name,
                   indicator=hit.indicator, path=hit.path)


def check_form(form: Form, file: str = "", profile: Profile | None = None) -> list[Finding]:
    profile = profile or profile_for(form.region)
    ctx = Context(form, profile, taxonomy_for(form.region, form.year))
    findings = []
    for rule_id, spec in RULES.items():
        if not profile.enabled(rule_id):
            continue
        severity = profile.severity(rule_id, spec.severity)
        findings.extend(_finding(form, file, rule_id, severity, hit) for hit in spec.func(ctx))
    return findings


def check_forms(forms: Iterable[Form], file: str = "", profile: Profile | None = None):
    return [f for form in forms for f in check_form(form, file, profile)]


# Rule families register themselves on import.
from . import dates, duplicates, hierarchy, money, selfeval, values  # noqa: E402,F401
