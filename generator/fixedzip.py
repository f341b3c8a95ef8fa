"""Zip entries with fixed metadata, so that equal content gives equal bytes."""
from __future__ import annotations

import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def entry(name: str, external_attr: int = 0o600 << 16) -> zipfile.ZipInfo:
    """A deflated entry dated ZIP_TIME, made the same way on every platform."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = external_attr
    info.create_system = 0
    return info
