"""Zip packages with fixed metadata, so that equal content gives equal bytes.

`entry` makes a `zipfile.ZipInfo` for writers that go through `zipfile`.
`write_package` writes a whole package at once for the roll-up's summary, whose
sheets are tens of MB of XML: large entries are deflated in pieces on threads
(zlib lets go of the GIL while it works), the way pigz does — each piece its
own raw deflate stream, flushed to a byte boundary and not final, so the pieces
joined are one valid stream.  The piece size is fixed, so the bytes do not
depend on the threads.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from .errors import JixiaoError

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PIECE = 4 << 20                 # bytes of XML per deflate piece
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1      # 00:00:00, 1980-01-01
_VERSION = 20                   # deflate, no zip64
_FILE_MODE = 0o600 << 16


def entry(name: str, external_attr: int = _FILE_MODE) -> zipfile.ZipInfo:
    """A deflated entry dated ZIP_TIME, made the same way on every platform."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = external_attr
    info.create_system = 0
    return info


def write_package(path, parts: Iterable[tuple[str, bytes]], level: int, threads: int = 2) -> None:
    """Write `parts` ((name, data) in order) as a zip file at `path`; each is compressed
    as soon as it comes, while the next is being made."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        jobs = [(name, len(data), pool.submit(zlib.crc32, data),
                 [pool.submit(_deflate, data, at, level) for at in range(0, max(len(data), 1), PIECE)])
                for name, data in parts]
        with open(path, "wb") as out:
            directory = [_write_entry(out, name, size, crc.result(), [p.result() for p in pieces])
                         for name, size, crc, pieces in jobs]
            _write_end(out, directory)


def _deflate(data: bytes, at: int, level: int) -> bytes:
    """Raw deflate of data[at:at + PIECE]: ends the stream only for the last piece."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    last = at + PIECE >= len(data)
    return packer.compress(data[at:at + PIECE]) + packer.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _write_entry(out, name: str, size: int, crc: int, pieces: list[bytes]) -> bytes:
    """The local header and data of one entry; returns its central directory record."""
    raw, offset = name.encode("utf-8"), out.tell()
    packed = sum(map(len, pieces))
    if max(size, packed, offset) >= 1 << 32:
        raise JixiaoError(f"{out.name} 中的 {name} 超过 4 GB，无法写入")
    flags = 0 if raw.isascii() else 0x800           # 0x800: the name is UTF-8
    common = struct.pack("<HHHHHLLLH", _VERSION, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                         crc, packed, size, len(raw))
    out.write(b"PK\x03\x04" + common + struct.pack("<H", 0) + raw)
    out.writelines(pieces)
    return (b"PK\x01\x02" + struct.pack("<H", _VERSION) + common
            + struct.pack("<HHHHLL", 0, 0, 0, 0, _FILE_MODE, offset) + raw)


def _write_end(out, directory: list[bytes]) -> None:
    start = out.tell()
    out.writelines(directory)
    size = out.tell() - start
    out.write(b"PK\x05\x06" + struct.pack("<HHHHLLH", 0, 0, len(directory), len(directory), size, start, 0))
