"""The 指标值 parser: every target value as the forms write it, made structured.

`parse_target(text)` never raises.  A value it can't read comes back with
kind UNREADABLE and a reason; one it reads by assuming something carries the
assumption in `reason` — it never guesses silently.

What it reads (after `halfwidth`, so ＝ ≧ ％ （） and full-width digits count):

* 定量 — [comparison] number [万] [unit] [trailing word] [(remark)]:
  "=54.00(所)", "≥90%", "100%", "不少于10万字", "15%及其以下", "2000人以上".
  Comparisons: ≥ >= 不少于 不低于 不小于 以上 → ">="; ≤ <= 不超过 不高于 不多于
  不大于 以下 以内 → "<="; 少于 低于 小于 → "<"; 多于 高于 超过 大于 → ">";
  = → "=".  以上/以下/以内 include the number itself, as in 民法典 第1259条.
  No comparison written stays op None: the rules flag it, nothing is invented.
  Units: % (百分比 is the same unit), a known unit (课时, 人次, 个月, 万字 …),
  any single measure word (所, 名, 场 …), or up to three characters in brackets.
* 万 (and 亿) right after a number is a multiplier — "=80万" is 800000 with no
  unit, "5万人次" is 50000 人次 — except in the units 万字 and 万元, which are
  counted in 万 themselves: "10万字" is 10 万字.
* 时限 — "2023年6月前", "2023-06-30前", "2023年8月", "2023年底前", "12月前":
  deadline (year, month, day), op "<=" for 前/之前/以前/内, the written symbol
  for "≤2023年6月", None when the date is bare.  A date without a year needs 前/底/日 (else "6月" is 6 months).
* 占位符 — *, **, xx, 待定, /, -, —, N/A …, also "≥xx%" (number not filled in).
  "无" is not a placeholder: it may mean "none happens" and stays 定性 with a
  note to check it.
* 定性 — everything else: 及时, 建立健全, free text.  Free text with a number
  in it ("近5年", "7*24无休") stays 定性, with a hint in `reason`.

Near misses — a value that reads as a number only by guessing at a typo —
are UNREADABLE with the reason: "=>90%", "≥ %", "≥九十%", "=1OO%", "≥90%%",
"=1.2.3", "字数不少8万字".  A value whose meaning is certain but whose form is
unusual is read, with `reason` saying what was set aside: text before the
comparison ("字数不少于8万字" keeps 字数 as remark), a comparison written
twice the same way ("≥90%以上").  Contradictions ("=2000人以上") are UNREADABLE.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .memo import Memo
from .numbers import halfwidth

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
    deadline: tuple | None = None      # (year or None, month or None, day or None)
    remark: str = ""                   # text kept aside, e.g. "(正常使用)"
    reason: str = ""                   # why unreadable, or what was assumed

    @property
    def direction(self) -> str:
        """正向 / 反向 / 等于 for a comparison, else ''."""
        return DIRECTIONS.get(self.op or "", "")

    @property
    def is_percent(self) -> bool:
        return self.kind == QUANT and self.unit == "%"


# --- vocabulary -------------------------------------------------------------

_LEAD_OPS = {
    ">=": ">=", "<=": "<=", "≥": ">=", "≤": "<=", "=": "=", ">": ">", "<": "<",
    "不少于": ">=", "不低于": ">=", "不小于": ">=",
    "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=",
    "少于": "<", "低于": "<", "小于": "<",
    "多于": ">", "高于": ">", "超过": ">", "大于": ">",
}
# Comparison words missing their last character: 不少8万字.
_CUT_WORDS = {"不少": "不少于", "不低": "不低于", "不小": "不小于", "不超": "不超过",
              "不高": "不高于", "不多": "不多于", "不大": "不大于"}
_TRAIL_OPS = {"及其以上": ">=", "及以上": ">=", "或以上": ">=", "以上": ">=",
              "及其以下": "<=", "及以下": "<=", "或以下": "<=", "以下": "<=",
              "以内": "<=", "之内": "<="}
_OP_CHARS = "=<>≥≤"

_UNITS = {
    "%": "%", "百分比": "%", "‰": "‰", "百分点": "百分点", "个百分点": "百分点",
    "课时": "课时", "学时": "学时", "小时": "小时", "分钟": "分钟", "秒钟": "秒钟",
    "工作日": "工作日", "个工作日": "工作日", "个月": "个月", "周年": "周年",
    "万字": "万字", "千字": "千字", "万元": "万元", "亿元": "亿元",
    "人次": "人次", "户次": "户次", "车次": "车次", "架次": "架次", "批次": "批次",
    "门次": "门次", "课次": "课次", "场次": "场次", "台套": "台套", "台次": "台次",
    "平方米": "平方米", "立方米": "立方米", "公里": "公里", "千米": "千米", "公顷": "公顷",
    "个": "个", "gb": "GB", "tb": "TB", "mb": "MB", "pb": "PB", "g": "G", "t": "T",
    "m": "M", "mbps": "Mbps", "gbps": "Gbps", "kbps": "Kbps", "ms": "ms", "h": "h",
    "kg": "kg", "km": "km", "m2": "m²", "m²": "m²", "㎡": "m²", "m3": "m³", "m³": "m³",
}
# Characters that are never a one-character unit: numerals and the pieces of
# comparison words and phrases (以上, 不少于, 近, 约 …).
_NOT_UNIT = set("零〇一二三四五六七八九十百千万亿两以及或之不少多低高超于内上下前后约近共每含达至到和与等余左右的")
_CN_NUMERALS = "零〇一二三四五六七八九十百千万亿两"

_QUAL_WORDS = frozenset(
    "及时 按时 准时 提升 有提升 提高 有所提高 有应用 建立健全 健全 完善 有效 稳定运行 "
    "合规 规范 充分 制定 准确 通过 达标 合格 良好 优良 显著 明显 逐步提升 持续提升 "
    "可供借鉴参考 已建立 已纳入 是 否 满意 较满意 基本满意 正常 正常运行 稳定 安全".split())
_PLACEHOLDERS = frozenset("待定 待填 待补充 待确定 未定 暂定 略 n/a na".split())

_NUMBER_RE = re.compile(r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
# A number as typed, typos included: digits mixed with dots, commas, letter O.
_NUMISH_RE = re.compile(r"[-+]?(?=[\d.,Oo]*\d)[\d.,Oo]+")
_LEAD_RE = re.compile("|".join(map(re.escape, sorted([*_LEAD_OPS, *_CUT_WORDS], key=len,
                                                       reverse=True))))
_PREFIX_RE = re.compile(r"([^\d=<>≥≤()]{1,12}?)\s*(?=" + _LEAD_RE.pattern + ")")
_PLACEHOLDER_RE = re.compile(r"[*xX×?]+|[/\\]+|[-—―_~]+|…+|\.{2,}")
_PH_NUMBER_RE = re.compile(r"(?:[*xX×]+|待定|待填)(?![\d.])")
_CN_NUMBER_RE = re.compile(f"[{_CN_NUMERALS}]+")
_DIGIT_RE = re.compile(r"\d")

_DATE_RE = re.compile(r"""
    (?P<op>[=≤<])?\s*
    (?:(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号])?)?
      |(?P<iy>\d{4})\s*(?P<sep>[-/.])\s*(?P<im>\d{1,2})(?:\s*(?P=sep)\s*(?P<id>\d{1,2}))?
      |(?P<bm>\d{1,2})\s*月\s*(?:(?P<bd>\d{1,2})\s*[日号])?)
    \s*(?P<end>底|末)?\s*(?P<before>之前|以前|前|内)?""", re.X)
_DATE_IN_TEXT_RE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?\s*(?:底|末)?\s*(?:之前|以前|前)")


# --- parser -----------------------------------------------------------------

@lru_cache(maxsize=65536, typed=True)
def parse_target(text: str) -> Target:
    """The structured target of one 指标值 cell (see the module docstring)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    s = halfwidth(text).strip()
    if not s:
        return Target(text, EMPTY)
    if s in _QUAL_WORDS:
        return Target(text, QUAL)         # fast path: 及时, 提升, 建立健全 …
    return (_placeholder(text, s) or _deadline(text, s) or _quantity(text, s)
            or _qualitative(text, s))


class _Parsed(Memo):
    """`parsed[text]`: parse_target(text) at the cost of a dict lookup, for the
    rules' per-row loops.  Only str texts are kept: 1, 1.0 and True are one
    dict key but three texts."""

    def __missing__(self, text):
        return super().__missing__(text) if type(text) is str else parse_target(text)


parsed = _Parsed(parse_target)


def _placeholder(text: str, s: str) -> Target | None:
    if s.lower() in _PLACEHOLDERS or _PLACEHOLDER_RE.fullmatch(s):
        return Target(text, PLACEHOLDER, reason=f"“{s}”是占位符，尚未填写指标值")
    op = _LEAD_RE.match(s)
    rest = s[op.end():].lstrip() if op else s
    ph = _PH_NUMBER_RE.match(rest)
    if ph and not _tail(rest[ph.end():])[3]:
        return Target(text, PLACEHOLDER, reason=f"数值“{ph.group()}”是占位符，尚未填写")
    return None


def _deadline(text: str, s: str) -> Target | None:
    m = _DATE_RE.fullmatch(s)
    if m is None:
        return None
    year = m["y"] or m["iy"]
    month, day = m["m"] or m["im"] or m["bm"], m["d"] or m["id"] or m["bd"]
    if year is None and not (m["before"] or m["end"] or day):
        return None                         # "6月" may be six months
    if m["sep"] == "." and not (m["before"] or day):
        return None                         # "2023.6" is a number
    if year and not 1990 <= int(year) <= 2100:
        return None
    if m["end"] and month is None:
        month = "12"                        # 2023年底
    date = (int(year) if year else None, int(month) if month else None, int(day) if day else None)
    bad = _bad_date(date)
    if bad:
        return Target(text, UNREADABLE, reason=bad)
    op = "<=" if m["before"] else {"≤": "<=", "<": "<", "=": "="}.get(m["op"] or "")
    return Target(text, DEADLINE, op=op, deadline=date, reason="" if year else "未写年份")


def _bad_date(date: tuple) -> str:
    year, month, day = date
    if month is not None and not 1 <= month <= 12:
        return f"日期中的月份“{month}”不存在"
    if day is not None and not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return f"日期“{month}月{day}日”不存在"
    return ""


def _quantity(text: str, s: str) -> Target | None:
    """A 定量 (or near-miss) target, or None when `s` is not shaped like one."""
    m = _LEAD_RE.match(s)
    if m:
        return _compared(text, m.group(), s[m.end():], "")
    if s[0].isdigit() or s[0] in "+-.":
        return _measure(text, s, None, "", strict=False)
    m = _PREFIX_RE.match(s)
    if m:
        op_word = _LEAD_RE.match(s, m.end()).group()
        found = _compared(text, op_word, s[m.end() + len(op_word):], m.group(1))
        # Text before the comparison: only a complete reading (or a plain typo)
        # makes it a target; anything else is free text.
        if found is not None and (found.kind == QUANT or op_word in _CUT_WORDS):
            return found
    return None


def _compared(text: str, op_word: str, rest: str, prefix: str) -> Target | None:
    """What follows an explicit comparison `op_word`."""
    symbol = op_word[0] in _OP_CHARS
    stripped = rest.lstrip()
    if symbol and stripped[:1] and stripped[0] in _OP_CHARS:
        written = op_word + rest[:len(rest) - len(stripped) + 1]
        return Target(text, UNREADABLE, reason=f"比较符“{written}”写法不对，应为≥、≤、=、>、<之一")
    rest = stripped
    if op_word in _CUT_WORDS:
        found = _measure(text, rest, None, "", strict=False)
        if found is None or found.kind != QUANT:
            return None
        return Target(text, UNREADABLE,
                      reason=f"比较词“{op_word}”不完整，应为“{_CUT_WORDS[op_word]}”")
    if _NUMISH_RE.match(rest):
        # Comparison words also run through plain sentences (不少于3次的集中培训):
        # only a symbol makes the rest of the cell a number that must read.
        return _measure(text, rest, op_word, prefix, strict=symbol and not prefix)
    return _no_number(text, op_word, rest, symbol)


def _no_number(text: str, op_word: str, rest: str, symbol: bool) -> Target | None:
    if not _tail(rest)[3]:
        return Target(text, UNREADABLE, reason=f"“{op_word}”后缺少数值")
    cn = _CN_NUMBER_RE.match(rest)
    if cn and not _tail(rest[cn.end():])[3]:
        return Target(text, UNREADABLE, reason=f"数值“{cn.group()}”是汉字，应写阿拉伯数字")
    if symbol:
        return Target(text, UNREADABLE, reason=f"比较符“{op_word}”后应为数值")
    return None                             # 不低于上年水平: words


def _measure(text: str, body: str, op_word: str | None, prefix: str, strict: bool) -> Target | None:
    """Number, unit and trailing words of `body`; `strict` when a comparison
    was written, so that anything unreadable is reported, not taken as text."""
    m = _NUMISH_RE.match(body)
    if m is None:
        return None
    token, rest = m.group(), body[m.end():].lstrip()
    power = _multiplier(rest)
    unit, trail, remark, bad = _tail(rest[1:] if power else rest)
    if not _NUMBER_RE.fullmatch(token):
        if strict or not bad:
            return Target(text, UNREADABLE, reason=_bad_number(token))
        return None
    number = Decimal(token.replace(",", ""))
    if power:
        number = _scaled(number, power)
    if bad:
        return Target(text, UNREADABLE, reason=bad) if strict else None
    return _combine(text, number, unit, op_word, trail, _joined(prefix, remark), prefix)


def _multiplier(rest: str) -> int:
    """The power of ten of a 万/亿 opening `rest`, 0 for none (or for 万字, 万元, 亿元)."""
    head = rest[:2]
    if head[:1] == "万" and head != "万字" and head != "万元":
        return 4
    if head[:1] == "亿" and head != "亿元":
        return 8
    return 0


def _scaled(number: Decimal, power: int) -> Decimal:
    """`number` × 10**power, exactly: shifting the exponent never rounds."""
    sign, digits, exponent = number.as_tuple()
    exponent += power
    if exponent >= 0:
        return Decimal((sign, digits + (0,) * exponent, 0))
    return Decimal((sign, digits, exponent))


def _combine(text, number, unit, op_word, trail, remark, prefix) -> Target:
    lead = _LEAD_OPS.get(op_word) if op_word else None
    after = _TRAIL_OPS.get(trail) if trail else None
    notes = [f"比较符前的文字“{prefix}”已作为备注"] if prefix else []
    if lead and after and lead != after:
        return Target(text, UNREADABLE, reason=f"比较符前后矛盾：“{op_word}”与“{trail}”")
    if lead and after:
        notes.append(f"比较符重复：“{op_word}”与“{trail}”")
    return Target(text, QUANT, op=lead or after, number=number, unit=unit, remark=remark,
                  reason="；".join(notes))


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _tail(rest: str) -> tuple[str, str, str, str]:
    """(unit, trailing comparison word, remark, problem) of what follows a number.

    problem is "" when the tail reads, else a Chinese reason.
    """
    rest = rest.strip()
    trail, rest = _trail_word(rest)
    unit, remark = None, ""
    if rest.endswith(")") and "(" in rest:
        cut = rest.rindex("(")
        inner, before = rest[cut + 1:-1].strip(), rest[:cut].rstrip()
        unit = None if before else _unit(inner, bracketed=True)
        if unit is None:
            remark, rest = rest[cut:], before
        else:
            rest = ""
        if not trail:
            trail, rest = _trail_word(rest)
    if unit is None:
        unit = _unit(rest, bracketed=False)
    if unit is None:
        return "", trail, remark, _bad_unit(rest)
    return unit, trail, remark, ""


def _trail_word(rest: str) -> tuple[str, str]:
    for word in _TRAIL_OPS:
        if rest.endswith(word):
            return word, rest[:-len(word)].rstrip()
    return "", rest


def _unit(word: str, bracketed: bool) -> str | None:
    """The unit `word` names ('' for none), or None when it is not a unit."""
    if not word:
        return ""
    known = _UNITS.get(word.lower())
    if known:
        return known
    if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in _NOT_UNIT:
        return word
    if bracketed and len(word) <= 3 and all("\u4e00" <= c <= "\u9fff" and c not in _NOT_UNIT
                                            for c in word):
        return word
    return None


def _bad_unit(rest: str) -> str:
    if "%%" in rest:
        return "“%”重复"
    if rest[:1] and rest[0] in _CN_NUMERALS:
        return f"数值后的“{rest}”无法识别"
    return f"单位“{rest}”无法识别"


def _bad_number(token: str) -> str:
    if "O" in token or "o" in token:
        return f"数值“{token}”中混有字母“O”，应为数字“0”"
    if token.count(".") > 1:
        return f"数值“{token}”有多个小数点"
    if token.endswith("."):
        return f"数值“{token}”小数点后缺少数字"
    if "," in token:
        return f"数值“{token}”的千分位逗号位置不对"
    return f"数值“{token}”写法不对"


def _qualitative(text: str, s: str) -> Target:
    if s == "无":
        return Target(text, QUAL, reason="“无”可能表示未填写，也可能表示“不发生”，请核对")
    m = _DATE_IN_TEXT_RE.search(s) if "月" in s else None
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        if not _bad_date((year, month, day)):
            return Target(text, QUAL, deadline=(year, month, day),
                          reason=f"文字中含时限“{m.group()}”")
    if _DIGIT_RE.search(s):
        return Target(text, QUAL, reason="含数字，若为定量指标应写成“比较符+数值+单位”")
    return Target(text, QUAL)


# --- renderings and helpers -------------------------------------------------

def _date_text(target: Target) -> str:
    year, month, day = target.deadline
    parts = (f"{year}年" if year else "", f"{month}月" if month else "", f"{day}日" if day else "",
             "前" if target.op in ("<=", "<") else "")
    return "".join(parts)


def describe(target: Target) -> str:
    """A short Chinese rendering for messages: "≥ 90 %", "定性：及时", "时限：2023年6月前"."""
    if target.kind == QUANT:
        remark = target.remark if target.remark[:1] in ("", "(") else f"（{target.remark}）"
        parts = [OP_SYMBOLS.get(target.op or "", ""), format(target.number, "f"), target.unit,
                 remark]
        return " ".join(p for p in parts if p)
    if target.kind == DEADLINE:
        return f"时限：{_date_text(target)}"
    if target.kind == EMPTY:
        return "空"
    text = target.text.strip()
    short = text if len(text) <= 30 else text[:29] + "…"
    return f"{KIND_LABELS[target.kind]}：{short}"


_NUMBER_NAME_RE = re.compile(
    r"(?:率|比例|比重|占比|(?<!质)量|数|人次|场次|批次|课时|学时|时长|天数|金额|满意度|达成度|匹配度|知晓度)$")
_NAME_UNIT_RE = re.compile(r"(.*?)\(([^()]{1,4})\)$")


@lru_cache(maxsize=65536)
def is_number_like_name(name: str) -> bool:
    """Whether an indicator name asks for a number: …率, …数量, …人次, …满意度,
    or a unit in brackets ("培训人数(人)")."""
    n = "".join(halfwidth(name or "").split())
    m = _NAME_UNIT_RE.fullmatch(n)
    if m:
        if _unit(m.group(2), bracketed=False):
            return True
        n = m.group(1)
    return bool(_NUMBER_NAME_RE.search(n))


@lru_cache(maxsize=65536)
def looks_like_value(text: str) -> bool:
    """Whether a cell holds a target value rather than an indicator name —
    to catch values shifted into the name column ("≤2个月", ">=98%", "及时")."""
    target = parse_target(text)
    if target.kind in (QUANT, DEADLINE, UNREADABLE):
        return True
    return target.kind == QUAL and halfwidth(target.text).strip() in _QUAL_WORDS
