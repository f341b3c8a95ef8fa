"""The product's exchange format: forms as YAML a person can read and diff.

Dataclasses become mappings in field order; empty values are left out, so a
file shows only what the form says.  Amounts load as `Decimal`, never float.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError, reason
from .model import Book, Form

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):
    pass


class _Dumper(_BaseDumper):
    pass


def _decimal(loader, node):
    """A float as an exact Decimal; .nan, .inf and the like stay text for the rules to report."""
    text = loader.construct_scalar(node)
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text
    return value if value.is_finite() else text


def _timestamp(loader, node):
    """A date; one that isn't a real date (2023-13-01) stays text for the rules to report."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _represent_decimal(dumper, value: Decimal):
    text = format(value, "f")
    tag = "float" if "." in text else "int"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {} or value is False


def to_data(obj):
    """A dataclass tree as plain mappings and lists, empty fields left out."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            if f.name == "where":
                continue
            value = to_data(getattr(obj, f.name))
            if not _empty(value):
                out[f.name] = value
        return out
    if isinstance(obj, list):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_data(v) for k, v in obj.items()}
    return obj


@lru_cache(maxsize=None)
def _hints(cls):
    return typing.get_type_hints(cls)


def from_data(cls, data, path: str, file: str = ""):
    """Build dataclass `cls` from mappings; unknown keys are reported, not dropped."""
    if not isinstance(data, dict):
        raise InputError(f"{path or '顶层'} 应为键值表，实际是 {type(data).__name__}", file)
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)} - {"where"}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InputError(f"{path or '顶层'} 中有未知字段：{'、'.join(map(str, unknown))}", file)
    kwargs = {k: _convert(hints[k], v, f"{path}.{k}" if path else k, file) for k, v in data.items()}
    return cls(**kwargs)


def _convert(hint, value, path, file):
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if value is None:
        return None
    if origin is list:
        if not isinstance(value, list):
            raise InputError(f"{path} 应为列表", file)
        return [_convert(args[0], v, f"{path}[{i}]", file) for i, v in enumerate(value)]
    if origin is dict:
        return dict(value)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        if len(real) == 1:
            return _convert(real[0], value, path, file)
        _scalar(value, path, file)
        if Decimal in args and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Decimal(value)
        if dt.date in args and isinstance(value, dt.date):
            return value
        return value if isinstance(value, str) else str(value)
    if dataclasses.is_dataclass(hint):
        return from_data(hint, value, path, file)
    if hint is bool:
        if not isinstance(value, bool):
            raise InputError(f"{path} 应为 是/否（true/false），实际是 {value!r}", file)
        return value
    if hint is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise InputError(f"{path} 应为整数，实际是 {value!r}", file) from None
    if hint is str:
        _scalar(value, path, file)
        return value if isinstance(value, str) else str(value)
    return value


def _scalar(value, path: str, file: str) -> None:
    if isinstance(value, (list, dict)):
        kind = "列表" if isinstance(value, list) else "键值表"
        raise InputError(f"{path} 应为单个值（文字、数字或日期），实际是{kind}", file)


HEADER = "# jixiao 表单数据（YAML）：一个文件一份或多份表单，一份表单对应一个项目。\n"


def dump_book(book: Book) -> str:
    data = {"forms": [to_data(f) for f in book.forms]}
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=4096, default_flow_style=False)


def load_book(path: str | Path) -> Book:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("文件不存在", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取：{reason(exc)}", str(path)) from None
    return parse_book(text, str(path))


def parse_book(text: str, file: str = "") -> Book:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise InputError(f"YAML 格式错误 {where}".strip(), file) from None
    if isinstance(data, dict) and "forms" in data:
        items = data["forms"]
    elif isinstance(data, dict) and "form" in data:
        items = [data]
    else:
        raise InputError("不是 jixiao 表单数据：缺少 forms 列表", file)
    if not isinstance(items, list):
        raise InputError("forms 应为列表", file)
    forms = [from_data(Form, item, f"forms[{i}]", file) for i, item in enumerate(items)]
    return Book(forms=forms, path=file)


def save_book(book: Book, path: str | Path) -> None:
    Path(path).write_text(dump_book(book), encoding="utf-8")
