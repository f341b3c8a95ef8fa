"""Model paths (`project.name`, `execution.lines[0].planned`, `extra.x`): get, set, type."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from decimal import Decimal
from functools import lru_cache

from ..model import Form

_TOKEN = re.compile(r"(\w+)|\[(\d+)\]")


def tokens(path: str) -> list:
    """'a.b[2].c' -> ['a', 'b', 2, 'c']."""
    return list(_tokens(path))


@lru_cache(maxsize=65536)
def _tokens(path: str) -> tuple:
    return tuple(name or int(index) for name, index in _TOKEN.findall(path))


def get(obj, path: str):
    """The value at `path`, or None where any step is missing."""
    return get_tokens(obj, _tokens(path))


def get_tokens(obj, toks):
    """`get` with the path already split into tokens."""
    for tok in toks:
        if obj is None:
            return None
        if isinstance(tok, int):
            obj = obj[tok] if isinstance(obj, list) and tok < len(obj) else None
        elif isinstance(obj, dict):
            obj = obj.get(tok)
        else:
            obj = getattr(obj, tok, None)
    return obj


def _unwrap(hint):
    """X | None -> X; other unions stay."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        real = [a for a in typing.get_args(hint) if a is not type(None)]
        return real[0] if len(real) == 1 else hint
    return hint


@lru_cache(maxsize=None)
def hint(root: type, path: str):
    """The type annotation at `path` below dataclass `root` (typing.Any below a dict)."""
    current = root
    for tok in _tokens(path):
        current = _unwrap(current)
        if isinstance(tok, int):
            current = typing.get_args(current)[0] if typing.get_origin(current) is list else typing.Any
        elif dataclasses.is_dataclass(current):
            hints = typing.get_type_hints(current)
            if tok not in hints:
                raise KeyError(path)
            current = hints[tok]
        else:
            return typing.Any
    return current


@lru_cache(maxsize=None)
def kind(path: str, root: type = Form) -> str:
    """amount / date / int / bool / str / any: how a cell at `path` converts."""
    h = hint(root, path)
    args = typing.get_args(h)
    if Decimal in args:
        return "amount"
    if dt.date in args:
        return "date"
    h = _unwrap(h)
    return {int: "int", bool: "bool", str: "str"}.get(h, "any")


@lru_cache(maxsize=None)
def item_type(list_path: str) -> type:
    return typing.get_args(_unwrap(hint(Form, list_path)))[0]


@lru_cache(maxsize=65536)
def _steps(root: type, path: str) -> tuple:
    """((token, maker) of each step but the last, last token): set_path's plan, made once."""
    toks = _tokens(path)
    return tuple((tok, _maker(root, list(toks[:i + 1]))) for i, tok in enumerate(toks[:-1])), toks[-1]


def set_path(obj, path: str, value) -> None:
    """Set the value at `path`, creating missing objects and list items on the way."""
    try:
        steps, last = _steps(type(obj), path)
    except Exception:       # noqa: BLE001 - a path the type lacks: fail as the plain walk does
        return _set_path(obj, path, value)
    for tok, make in steps:
        nxt = _child(obj, tok)
        if nxt is None:
            nxt = make()
            _assign(obj, tok, nxt, make)
        obj = nxt
    _assign(obj, last, value, _none)


def _none():
    return None


@lru_cache(maxsize=4096)
def setter(root: type, path: str):
    """set_path for objects of type `root` at `path`, planned once: a function (obj, value).

    A path of attributes through dataclasses sets them directly; any other goes through set_path.
    """
    try:
        steps, last = _steps(root, path)
    except Exception:       # noqa: BLE001 - a path the type lacks: set_path fails as it should
        steps, last = None, None
    if not (dataclasses.is_dataclass(root) and isinstance(last, str)
            and all(isinstance(tok, str) and dataclasses.is_dataclass(make) for tok, make in steps)):
        return lambda obj, value: set_path(obj, path, value)

    def put(obj, value) -> None:
        for name, make in steps:
            child = getattr(obj, name)
            if child is None:
                child = make()
                setattr(obj, name, child)
            obj = child
        setattr(obj, last, value)
    return put


def _set_path(obj, path: str, value) -> None:
    toks, root = tokens(path), type(obj)
    for i, tok in enumerate(toks[:-1]):
        make = _maker(root, toks[:i + 1])
        nxt = _child(obj, tok)
        if nxt is None:
            nxt = make()
            _assign(obj, tok, nxt, make)
        obj = nxt
    _assign(obj, toks[-1], value, lambda: None)


def _maker(root: type, toks: list):
    """A factory of the empty object at `toks` below `root` (in a list: the item type)."""
    prefix = "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in toks).lstrip(".")
    target = _unwrap(hint(root, prefix))
    if typing.get_origin(target) is list:
        return list
    return target if dataclasses.is_dataclass(target) else dict


def _child(obj, tok):
    if isinstance(tok, int):
        return obj[tok] if tok < len(obj) else None
    return obj.get(tok) if isinstance(obj, dict) else getattr(obj, tok)


def _assign(obj, tok, value, make):
    if isinstance(tok, int):
        while len(obj) <= tok:
            obj.append(make())
        obj[tok] = value
    elif isinstance(obj, dict):
        obj[tok] = value
    else:
        setattr(obj, tok, value)
