"""Errors a user sees: always a Chinese sentence naming the file (and sheet, cell)."""


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
