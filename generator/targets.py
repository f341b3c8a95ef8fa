"""The 指标值 parser: every target value as the forms write it, made structured.

`parse_target(text)` never raises.  A value it can't read comes back with
kind UNREADABLE and a reason; one it reads by assuming something carries the
assumption in `reason` — it never guesses silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

QUANT = "quantitative"      # 定量: comparison, number, unit
QUAL = "qualitative"        # 定性: 及时, 提升, 建立健全, free text
DEADLINE = "deadline"       # 时限: 2023年6月前
EMPTY = "empty"             # nothing written
PLACEHOLDER = "placeholder"  # *, **, xx, 待定
UNREADABLE = "unreadable"   # looks like a number but can't be read

KIND_LABELS = {QUANT: "定量", QUAL: "定性", DEADLINE: "时限", EMPTY: "空",
               PLACEHOLDER: "占位符", UNREADABLE: "无法识别"}
DIRECTIONS = {"=": "等于", ">=": "正向", ">": "正向", "<=": "反向", "<": "反向"}
OP_SYMBOLS = {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


@dataclass(frozen=True)
class Target:
    text: str                          # the value as written
    kind: str                          # one of the kinds above
    op: str | None = None              # '=', '>=', '<=', '>', '<'; None when none written
    number: Decimal | None = None      # the number, 万 multiplier applied
    unit: str = ""                     # '%' (also for 百分比), 所, 名, 小时, 万字 …
    deadline: tuple | None = None      # (year, month or None, day or None)
    remark: str = ""                   # text kept aside, e.g. "(正常使用)"
    reason: str = ""                   # why unreadable, or what was assumed

    @property
    def direction(self) -> str:
        """正向 / 反向 / 等于 for a comparison, else ''."""
        return DIRECTIONS.get(self.op or "", "")

    @property
    def is_percent(self) -> bool:
        return self.kind == QUANT and self.unit == "%"
