"""Build 绩效助手.xlam from xlwings' Excel-made ribbon add-in and macros/.

    jixiao addin build [--out dist]      build the add-in
    jixiao addin build --udfs            regenerate macros/xlwings_udfs.bas

The package (workbook, styles, content types, the xlwings VBA module) is the
one Excel wrote for xlwings' quickstart_addin_ribbon.xlam.  pyOpenVBA swaps
the VBA modules: the quickstart's RibbonMyAddin goes, every macros/*.bas comes
in, and the xlwings module's PROJECT_NAME becomes "jixiao" (so its settings
file is %USERPROFILE%\\.jixiao\\jixiao.conf).  customUI/customUI.xml is
replaced by macros/customUI.xml.  The zip is re-packed with fixed timestamps,
so the same sources give the same bytes.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import shutil
import sys
import tempfile
import types
import zipfile
from pathlib import Path
from unittest import mock

import xlwings

ADDIN_NAME = "绩效助手.xlam"
ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
RIBBON = MACROS / "customUI.xml"
RIBBON_PART = "customUI/customUI.xml"
QUICKSTART = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
REPLACED_MODULE = "RibbonMyAddin"
UDF_MODULE = "addin.udfs"
UDF_VBA = MACROS / "xlwings_udfs.bas"
PROJECT_NAME = ('Public Const PROJECT_NAME As String = "myaddin"',
                'Public Const PROJECT_NAME As String = "jixiao"')
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def vba_sources() -> dict[str, str]:
    """macros/*.bas by module name, exactly as stored (CRLF line ends)."""
    return {path.stem: path.read_bytes().decode("ascii") for path in sorted(MACROS.glob("*.bas"))}


def xlwings_module(source: str) -> str:
    """The quickstart's xlwings module with our PROJECT_NAME."""
    old, new = PROJECT_NAME
    if source.count(old) != 1:
        raise RuntimeError(f"xlwings 模块中找不到 PROJECT_NAME 常量：{QUICKSTART}")
    return source.replace(old, new)


def build_addin(out_dir: str | Path) -> Path:
    """Write out_dir/绩效助手.xlam and return its path."""
    from pyopenvba import ExcelFile

    out = Path(out_dir) / ADDIN_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged, built = Path(tmp) / "quickstart.xlam", Path(tmp) / "built.xlam"
        shutil.copyfile(QUICKSTART, staged)
        with ExcelFile(staged) as book:
            project = book.vba_project()
            project.delete_module(REPLACED_MODULE)
            for name, source in vba_sources().items():
                project.add_module(name, source)
            book.set_module("xlwings", xlwings_module(book.get_module("xlwings")))
            book.save(built)
        repack(built, out, {RIBBON_PART: RIBBON.read_bytes()})
    return out


def repack(source: Path, dest: Path, replace: dict[str, bytes]) -> None:
    """Copy a zip part by part in the same order, replacing parts, with fixed metadata."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            out = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            zout.writestr(out, replace.get(info.filename, zin.read(info.filename)))


class _FakeWorkbook:
    """Just enough of Excel's Workbook COM object for xlwings.udfs.import_udfs."""

    def __init__(self, name: str):
        self.Name = name
        self.imported = ""
        self.macro_options: list[dict] = []
        self.VBProject = types.SimpleNamespace(VBComponents=self._Components(self))
        self.Application = types.SimpleNamespace(
            Version="16.0", MacroOptions=lambda *a, **kw: self.macro_options.append(kw))

    class _Components:
        def __init__(self, book):
            self.book = book

        def __call__(self, name):
            return name

        def Remove(self, component):
            pass

        def Import(self, path):
            self.book.imported = Path(path).read_text()


def _windows_stubs() -> dict[str, types.ModuleType]:
    """pywin32's modules, as far as importing xlwings.udfs needs them."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda obj: obj
    win32com = types.ModuleType("win32com")
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
            "win32com.client": client}


def _fresh_module(name: str) -> types.ModuleType:
    """Execute a module's file anew, without touching sys.modules."""
    spec = importlib.util.find_spec(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def udf_vba() -> str:
    """The UDF wrapper module as xlwings' own import_udfs writes it for the add-in.

    xlwings.udfs needs pywin32, so on Linux it is imported against stubs of
    pywin32's modules, and addin.udfs is executed afresh with the decorators
    it provides patched in as xw.func, xw.arg, xw.ret, as on Windows.  Neither
    stays in sys.modules afterwards.
    """
    importlib.import_module(UDF_MODULE)   # its imports load once, outside the stubs
    with mock.patch.dict(sys.modules, _windows_stubs()):
        udfs = importlib.import_module("xlwings.udfs")
        with mock.patch.multiple(xlwings, func=udfs.xlfunc, arg=udfs.xlarg, ret=udfs.xlret):
            module = _fresh_module(UDF_MODULE)
        udfs.udf_modules[UDF_MODULE] = {"filename": module.__file__, "filetime": None,
                                        "module": module}
        book = _FakeWorkbook(ADDIN_NAME)
        with contextlib.redirect_stdout(io.StringIO()):
            udfs.import_udfs(UDF_MODULE, book)
    return book.imported.replace("\r\n", "\n").replace("\n", "\r\n")
