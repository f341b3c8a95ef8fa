"""Zip packages with fixed metadata, so that equal content gives equal bytes.

`entry` makes a `zipfile.ZipInfo` for writers that go through `zipfile`.
`write_package` writes a whole package at once for the roll-up's summary, whose
sheets are tens of MB of XML: large entries are deflated in pieces on threads
(zlib lets go of the GIL while it works), the way pigz does — each piece its
own raw deflate stream, flushed to a byte boundary and not final, so the pieces
joined are one valid stream.  A piece ends at the first chunk boundary past
PIECE bytes, so the bytes depend on the data only, not on the threads.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from .errors import JixiaoError

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PIECE = 4 << 20                 # bytes of XML per deflate piece (at least: whole chunks)
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


def write_package(path, parts: Iterable[tuple[str, bytes | Iterable[bytes]]], level: int, threads: int = 2) -> None:
    """Write `parts` ((name, data) in order; data as bytes or as chunks of bytes) as a zip file
    at `path`.  Each PIECE of data is compressed as soon as it is complete, while the rest is made."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        jobs = [(name, *_submit(pool, data, level)) for name, data in parts]
        with open(path, "wb") as out:
            directory = [_write_entry(out, name, size, crc, [p.result() for p in pieces])
                         for name, size, crc, pieces in jobs]
            _write_end(out, directory)


def _submit(pool: ThreadPoolExecutor, data: bytes | Iterable[bytes], level: int) -> tuple[int, int, list]:
    """(size, CRC-32, deflated pieces to come) of one entry's data: its chunks joined into pieces
    of PIECE bytes or more, each sent to the pool as soon as it is complete, then what is left
    as the last piece, which ends the stream."""
    size, crc, pieces, held, count = 0, 0, [], [], 0
    for chunk in (data,) if isinstance(data, bytes) else data:
        held.append(chunk)
        count += len(chunk)
        if count >= PIECE:
            piece, held, count = b"".join(held), [], 0
            size, crc = size + len(piece), zlib.crc32(piece, crc)
            pieces.append(pool.submit(_deflate, piece, level, False))
    piece = b"".join(held)
    pieces.append(pool.submit(_deflate, piece, level, True))
    return size + len(piece), zlib.crc32(piece, crc), pieces


def _deflate(piece: bytes, level: int, last: bool) -> bytes:
    """Raw deflate of one piece, flushed to a byte boundary; the stream ends with the last."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(piece) + packer.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


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
