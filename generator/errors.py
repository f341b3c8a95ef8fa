"""Errors a user sees: always a Chinese sentence naming the file (and sheet, cell)."""
import errno


class JixiaoError(Exception):
    """Base of every error the command line reports without a traceback."""


class InputError(JixiaoError):
    """An input file that can't be read or used."""

    def __init__(self, message: str, file: str = "", sheet: str = "", cell: str = ""):
        self.file, self.sheet, self.cell = file, sheet, cell
        where = "，".join(p for p in (
            f"文件 {file}" if file else "",
            f"工作表 {sheet}" if sheet else "",
            f"单元格 {cell}" if cell else "") if p)
        super().__init__(f"{where}：{message}" if where else message)


_REASONS = (
    ("BadZipFile", "文件已损坏，或不是 .xlsx 格式"),
    ("ZipError", "文件已损坏，或不是 .xlsx 格式"),
    ("PasswordError", "文件设有打开密码，无法读取"),
    ("CalamineError", "文件已损坏，或不是 Excel 工作簿"),
    ("PermissionError", "没有读取权限，或文件正被其他程序占用"),
    ("FileNotFoundError", "文件或所在文件夹不存在"),
    ("IsADirectoryError", "这是一个文件夹，不是文件"),
    ("UnicodeDecodeError", "文字编码不是 UTF-8"),
    ("YAMLError", "YAML 格式错误"),
    ("MemoryError", "文件过大，内存不足"),
)


_ERRNO_REASONS = {getattr(errno, name, None): text for name, text in (   # not every code exists on Windows
    ("ENOSPC", "磁盘空间不足"),
    ("EXDEV", "不能跨磁盘移动文件"),
    ("ENAMETOOLONG", "文件名过长"),
    ("EROFS", "磁盘只读，无法写入"),
    ("EDQUOT", "超出磁盘配额"),
)}


def reason(exc: BaseException) -> str:
    """Why a file could not be read or written, in words a clerk understands."""
    if isinstance(exc, OSError) and exc.errno is not None and exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    names = {cls.__name__ for cls in type(exc).__mro__}
    for name, text in _REASONS:
        if name in names:
            return text
    return "文件内容无法识别"
