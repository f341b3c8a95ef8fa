"""The permissions a new file or folder gets from the user's umask.

Temporary files (mkstemp, mkdtemp) are private to their owner; what jixiao
renames into place must look like any file the user saves, so colleagues on a
shared folder can open it.
"""
from __future__ import annotations

import os


def default_mode(folder: bool = False) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask
