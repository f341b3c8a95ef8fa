"""Find the files of a roll-up folder and tell, from their bytes, which can be read.

Every file under the folder is met and listed; only an .xlsx / .xlsm that is a
real ZIP package goes on to the reader.  Nothing here opens a file for more than
its bytes: the hash is of exactly what the unit sent.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A CFB directory stores stream names in UTF-16LE; an encrypted OOXML file has this one.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
READABLE = {".xlsx", ".xlsm"}
LOCK_PREFIXES = ("~$", ".~lock.")

LOCK = "Excel/WPS 打开文件时生成的临时锁定文件，不是报送文件"
ENCRYPTED = "文件设有打开密码（已加密），无法读取：请报送单位取消密码后重新报送"
OLD_FORMAT = "旧版 Excel 97-2003（.xls）格式，未读取：请在 Excel/WPS 中另存为 .xlsx 后重新报送"
EMPTY = "空文件（0 字节）"
CORRUPT = "文件已损坏或不是有效的 .xlsx 工作簿"
OTHER_SUFFIX = {
    ".xls": OLD_FORMAT,
    ".xlsb": "Excel 二进制（.xlsb）格式，未读取：请另存为 .xlsx 后重新报送",
    ".et": "WPS 表格（.et）格式，未读取：请另存为 .xlsx 后重新报送",
    ".ods": "OpenDocument（.ods）格式，未读取：请另存为 .xlsx 后重新报送",
    ".zip": "压缩包，未读取：请解压后放入汇总文件夹",
    ".rar": "压缩包，未读取：请解压后放入汇总文件夹",
    ".7z": "压缩包，未读取：请解压后放入汇总文件夹",
}
NOT_WORKBOOK = "不是 Excel 工作簿，已跳过"
MACRO_NOTE = "启用宏的工作簿（.xlsm）：只读取了单元格数值，宏与外部链接均未加载"


@dataclass(frozen=True)
class SourceFile:
    path: str          # absolute path
    rel: str           # path relative to the roll-up folder, with /
    size: int
    sha256: str
    problem: str = ""  # why it is not read; '' = hand it to the reader
    note: str = ""     # said about a file that is read


def walk(folder: str | Path, exclude: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(absolute path, relative path) of every file under `folder`, sorted by relative path."""
    folder = Path(folder).resolve()
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            path = Path(root, name)
            if str(path.resolve()) not in exclude:
                found.append((str(path), path.relative_to(folder).as_posix()))
    return sorted(found, key=lambda pair: pair[1])


def inspect(path: str, rel: str) -> SourceFile:
    """Hash the file and classify it by its name and its first bytes."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    problem = classify(Path(rel).name, data)
    note = MACRO_NOTE if not problem and rel.lower().endswith(".xlsm") else ""
    return SourceFile(path, rel, len(data), digest, problem, note)


def classify(name: str, data: bytes) -> str:
    """'' when the file should be read; else the reason (Chinese) it is not."""
    suffix = Path(name).suffix.lower()
    if name.startswith(LOCK_PREFIXES):
        return LOCK
    if suffix not in READABLE:
        return OTHER_SUFFIX.get(suffix, NOT_WORKBOOK)
    if not data:
        return EMPTY
    if data.startswith(CFB_MAGIC):      # an .xlsx with a password, or an .xls renamed
        return ENCRYPTED if ENCRYPTED_STREAM in data else OLD_FORMAT
    return "" if data.startswith(ZIP_MAGIC) else CORRUPT
