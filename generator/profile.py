"""Rule profiles: which rules run, at which severity, with which thresholds.

Profiles are YAML under templates/profiles/; one may `inherits:` another and
override single rules.  A bureau switches a rule off without touching code.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError, reason
from .paths import templates_dir

SEVERITIES = ("错误", "提示")


@dataclass
class Profile:
    name: str
    region: str
    rules: dict          # rule id -> {"enabled": bool, "severity": str}
    thresholds: dict     # name -> Decimal
    weights: dict        # output/benefit/satisfaction/execution -> Decimal
    bands: dict          # 达成/部分达成/未达成 -> (low, high) fractions
    grades: list         # [(min score, grade)] highest first
    path: str = ""

    def enabled(self, rule_id: str) -> bool:
        return self.rules.get(rule_id, {}).get("enabled", True)

    def severity(self, rule_id: str, default: str = "错误") -> str:
        return self.rules.get(rule_id, {}).get("severity", default)

    def threshold(self, name: str) -> Decimal:
        return self.thresholds[name]

    def grade(self, total) -> str:
        for low, grade in self.grades:
            if total >= low:
                return grade
        return self.grades[-1][1] if self.grades else ""


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError("规则配置文件不存在", str(path)) from None
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"规则配置文件无法读取：{reason(exc)}", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("规则配置文件应为键值表", str(path))
    return data


def _merged(path: Path, depth: int = 0) -> dict:
    data = _read(path)
    parent = data.get("inherits")
    if not parent or depth > 5:
        return data
    base = _merged(path.with_name(f"{parent}.yaml"), depth + 1)
    rules = {k: dict(v) for k, v in (base.get("rules") or {}).items()}
    for rule_id, over in (data.get("rules") or {}).items():
        rules.setdefault(rule_id, {}).update(over or {})
    merged = {**base, **data, "rules": rules}
    for key in ("thresholds", "weights", "bands"):
        merged[key] = {**(base.get(key) or {}), **(data.get(key) or {})}
    return merged


def _dec(value, what: str, path: Path) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:
        raise InputError(f"{what} 应为数字，实际是 {value!r}", str(path)) from None


@lru_cache(maxsize=None)
def load_profile(path: str) -> Profile:
    file = Path(path)
    data = _merged(file)
    rules = data.get("rules") or {}
    for rule_id, spec in rules.items():
        if spec.get("severity", "错误") not in SEVERITIES:
            raise InputError(f"规则 {rule_id} 的 severity 应为“错误”或“提示”", str(file))
    thresholds = {k: _dec(v, f"阈值 {k}", file) for k, v in (data.get("thresholds") or {}).items()}
    weights = {k: _dec(v, f"权重 {k}", file) for k, v in (data.get("weights") or {}).items()}
    bands = {k: (_dec(v[0], f"区间 {k}", file), _dec(v[1], f"区间 {k}", file))
             for k, v in (data.get("bands") or {}).items()}
    grades = sorted(((_dec(g["min"], "等级下限", file), g["grade"]) for g in data.get("grades") or []),
                    reverse=True)
    return Profile(name=data.get("name", file.stem), region=data.get("region", ""), rules=rules,
                   thresholds=thresholds, weights=weights, bands=bands, grades=grades, path=str(file))


@lru_cache(maxsize=None)
def profile_for(region: str) -> Profile:
    """The bundled profile of a region (上海 → shanghai.yaml), else the default."""
    folder = templates_dir() / "profiles"
    for path in sorted(folder.glob("*.yaml")):
        if region and _read(path).get("region") == region:
            return load_profile(str(path))
    return load_profile(str(folder / "default.yaml"))
