"""The rules: each a small function over one form, registered with an id.

A rule yields `Hit`s (a model path, a message, the indicator name); `check_form`
turns them into `Finding`s with the severity the profile gives, the sheet and
cell the path came from, and the project's name.  One module per family:
hierarchy, values, duplicates, money, dates, selfeval.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, count
from typing import Callable, Iterable, NamedTuple

from ..model import Form, effective_levels
from ..profile import Profile, profile_for
from ..scoring import score_form
from ..targets import EMPTY, KIND_LABELS, Target, parsed
from ..taxonomy import Place, Taxonomy, name_key, taxonomy_for


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
    needs: str = ""         # a Form field the rule has nothing to check without


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, severity: str = "错误", needs: str = ""):
    """Register a rule function `(ctx) -> Iterable[Hit]`; it runs only on forms
    whose field `needs` (if given) is set."""
    def register(func):
        RULES[rule_id] = Rule(rule_id, severity, title, func, needs)
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


def _live(row: tuple) -> bool:
    """Whether an (index, indicator, target) row has a name or a value."""
    _, ind, target = row
    return target.kind != EMPTY or bool(ind.name.strip())


class Context:
    """One form with what every rule needs, computed once.

    The rules run over thousands of forms, and most forms are clean: each
    per-row list is built in one pass (a `map` or one comprehension), and the
    rules first ask a cheap form-wide question (`places`, `names_apart`,
    `quant_suspects`, `amount_span`, …) before they visit any row.
    """

    def __init__(self, form: Form, profile: Profile, taxonomy: Taxonomy):
        self.form, self.profile, self.taxonomy = form, profile, taxonomy

    @lazy_property
    def levels(self) -> list[tuple[str, str]]:
        return effective_levels(self.form.indicators)

    @lazy_property
    def names(self) -> list[str]:
        """Each row's 三级 name as written."""
        return [ind.name for ind in self.form.indicators]

    @lazy_property
    def targets(self) -> list[Target]:
        return [parsed[ind.target] for ind in self.form.indicators]    # parse_target, cached

    def rows(self):
        """(index, indicator, target) of every row."""
        return zip(count(), self.form.indicators, self.targets)

    @lazy_property
    def by_kind(self) -> dict[str, list[tuple]]:
        """Target kind (every one) -> the live rows, with a name or a value, of that
        kind in row order."""
        groups: dict[str, list[tuple]] = {kind: [] for kind in KIND_LABELS}
        for row in self.rows():
            groups[row[2].kind].append(row)
        groups[EMPTY] = [row for row in groups[EMPTY] if _live(row)]
        return groups

    @lazy_property
    def filled(self) -> list[tuple]:
        """(index, indicator, (一级, 二级)) of the rows that hold anything."""
        return [(i, ind, levels) for i, (ind, levels) in enumerate(zip(self.form.indicators, self.levels))
                if ind.name.strip() or ind.target.strip() or ind.level1.strip() or ind.level2.strip()]

    @lazy_property
    def quant_suspects(self) -> list[tuple]:
        """The live 定量 rows a 定量 value rule may flag (`values.quant_suspects`)."""
        return values.quant_suspects(self)

    @lazy_property
    def hints(self) -> list:
        """The taxonomy's hint for each row's 三级 name, or None."""
        return list(map(self.taxonomy.name_hints.__getitem__, self.names))

    @lazy_property
    def hinted(self) -> list[tuple]:
        """(index, hint) of the rows the taxonomy has a hint for."""
        hints = self.hints
        return [(i, hints[i]) for i in compress(count(), hints)]

    @lazy_property
    def places(self) -> dict[tuple[str, str], Place]:
        """(一级, 二级) -> its Place in the taxonomy, for each pair in `levels`
        (the rows under a merged cell share one)."""
        pairs = set(self.levels)
        return dict(zip(pairs, map(self.taxonomy.places.__getitem__, pairs)))

    @lazy_property
    def satisfaction(self) -> list[bool]:
        """Whether each row is a 满意度 indicator: by its name, else by where it sits."""
        by_place = {pair: "satisfaction" in place.roles for pair, place in self.places.items()}
        found = list(map(by_place.__getitem__, self.levels))
        for i, hint in self.hinted:
            found[i] = hint.role == "satisfaction"
        return found

    @lazy_property
    def satisfied(self) -> list[tuple]:
        """The live rows of 满意度 indicators."""
        # Only a row without a value can be dead: `_live` is asked about those alone.
        return [row for row in compress(self.rows(), self.satisfaction) if row[2].kind != EMPTY or _live(row)]

    @lazy_property
    def names_apart(self) -> bool:
        """Whether no two rows' 三级 names share their first four and last two
        characters: then none repeats and none looks like another (most forms)."""
        return duplicates.names_apart(self.names)

    @lazy_property
    def name_keys(self) -> list[str]:
        """name_key of each row's 三级 name, '' for none."""
        return list(map(name_key, self.names))

    @lazy_property
    def first_rows(self) -> dict[str, int]:
        """name_key -> the first row with that name, for rows with a name."""
        first: dict[str, int] = {}
        for i, key in enumerate(self.name_keys):
            if key:
                first.setdefault(key, i)
        return first

    @lazy_property
    def repeats(self) -> list[list[int]]:
        """Row indexes of each 三级 name on more than one row, by first row."""
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(self.name_keys):
            if key:
                groups.setdefault(key, []).append(i)
        return [rows for rows in groups.values() if len(rows) > 1]

    @lazy_property
    def funds(self) -> dict:
        """Attribute -> amount (None when blank or not a number) of each 项目资金 field."""
        # `money` is this package's module, imported at the bottom.
        return money.funding_amounts(self.form)

    @lazy_property
    def amounts(self) -> list[tuple]:
        """(path, label, raw value, amount or None) of every amount on the form."""
        return money.amount_cells(self.form, self.funds)

    @lazy_property
    def amount_span(self) -> tuple | None:
        """(lowest, highest) of the amounts, None without any: the range
        rules look no further on most forms."""
        return money.amount_span(self.amounts)

    @lazy_property
    def project_dates(self) -> dict:
        """start/end -> the project's planned date, None when blank or unreadable."""
        return dates.project_dates(self.form)

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
    for rule_id, severity, func, needs in _active(profile):
        if needs and not getattr(form, needs):
            continue
        for hit in func(ctx):
            findings.append(_finding(form, file, rule_id, severity, hit))
    return findings


def _active(profile: Profile) -> list[tuple]:
    """(id, severity, function, needs) of the rules the profile runs, computed once per profile."""
    if profile.__dict__.get("_active") is None:
        profile.__dict__["_active"] = [(rid, profile.severity(rid, spec.severity), spec.func, spec.needs)
                                       for rid, spec in RULES.items() if profile.enabled(rid)]
    return profile.__dict__["_active"]


def check_forms(forms: Iterable[Form], file: str = "", profile: Profile | None = None):
    return [f for form in forms for f in check_form(form, file, profile)]


# Rule families register themselves on import.
from . import dates, duplicates, hierarchy, money, selfeval, values  # noqa: E402,F401
