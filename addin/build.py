"""Build 绩效助手.xlam from xlwings' Excel-made ribbon add-in and macros/.

    jixiao addin build [--out dist]      build the add-in
    jixiao addin build --udfs            regenerate macros/xlwings_udfs.bas and JixiaoFunctions.bas

The package (workbook, styles, content types, the xlwings VBA module) is the
one Excel wrote for xlwings' quickstart_addin_ribbon.xlam.  pyOpenVBA swaps
the VBA modules: the quickstart's RibbonMyAddin goes, every macros/*.bas comes
in, the xlwings module's PROJECT_NAME becomes "jixiao" (so its settings
file is %USERPROFILE%\\.jixiao\\jixiao.conf), and ThisWorkbook, empty in the
quickstart, gets a Workbook_Open that gives the JX_ functions their Chinese
descriptions (macros/JixiaoFunctions.bas, written by function_vba from
addin/udfs.py, as xlwings_udfs.bas is by udf_vba).  customUI/customUI.xml
is replaced by macros/customUI.xml.  The zip is re-packed with fixed timestamps,
so the same sources give the same bytes.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import re
import shutil
import struct
import sys
import tempfile
import types
import zipfile
from pathlib import Path
from unittest import mock

import xlwings

from generator.fixedzip import entry

ADDIN_NAME = "绩效助手.xlam"
ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
RIBBON = MACROS / "customUI.xml"
RIBBON_PART = "customUI/customUI.xml"
QUICKSTART = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
REPLACED_MODULE = "RibbonMyAddin"
UDF_MODULE = "addin.udfs"
UDF_VBA = MACROS / "xlwings_udfs.bas"
FUNCTIONS_MODULE = "JixiaoFunctions"
FUNCTIONS_VBA = MACROS / f"{FUNCTIONS_MODULE}.bas"
OPEN_MODULE = "ThisWorkbook"
WORKBOOK_OPEN = ("Private Sub Workbook_Open()\r\n"
                 f"    {FUNCTIONS_MODULE}.RegisterFunctions\r\n"
                 "End Sub\r\n")
MACRO_OPTIONS_LIMIT = 255       # Excel's longest Description / ArgumentDescriptions item
PROJECT_NAME = ('Public Const PROJECT_NAME As String = "myaddin"',
                'Public Const PROJECT_NAME As String = "jixiao"')


def vba_sources() -> dict[str, str]:
    """macros/*.bas by module name, exactly as stored (CRLF line ends)."""
    return {path.stem: path.read_bytes().decode("ascii") for path in sorted(MACROS.glob("*.bas"))}


def xlwings_module(source: str) -> str:
    """The quickstart's xlwings module with our PROJECT_NAME."""
    old, new = PROJECT_NAME
    if source.count(old) != 1:
        raise RuntimeError(f"xlwings 模块中找不到 PROJECT_NAME 常量：{QUICKSTART}")
    return source.replace(old, new)


def workbook_module(source: str) -> str:
    """The quickstart's ThisWorkbook (attribute lines only) with our Workbook_Open."""
    if any(line and not line.startswith("Attribute ") for line in source.splitlines()):
        raise RuntimeError(f"{QUICKSTART} 的 ThisWorkbook 模块已有代码，请检查 Workbook_Open")
    return source.rstrip("\r\n") + "\r\n" + WORKBOOK_OPEN


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
            book.set_module(OPEN_MODULE, workbook_module(book.get_module(OPEN_MODULE)))
            book.save(built)
        repack(built, out, {RIBBON_PART: RIBBON.read_bytes()})
    return out


def repack(source: Path, dest: Path, replace: dict[str, bytes]) -> None:
    """Copy a zip part by part in the same order, replacing parts, with fixed metadata."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            zout.writestr(entry(info.filename, info.external_attr),
                          replace.get(info.filename, zin.read(info.filename)))


class _FakeWorkbook:
    """Just enough of Excel's Workbook COM object for xlwings.udfs.import_udfs."""

    def __init__(self, name: str):
        self.Name = name
        self.imported = ""
        self.macro_options: list[dict] = []
        self.VBProject = types.SimpleNamespace(VBComponents=self._Components(self))
        self.Application = types.SimpleNamespace(
            Version="16.0",
            MacroOptions=lambda macro, **kw: self.macro_options.append({"Macro": macro, **kw}))

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


def _xlwings_import() -> tuple[_FakeWorkbook, types.ModuleType]:
    """xlwings' import_udfs run on addin.udfs against a stand-in workbook.

    xlwings.udfs needs pywin32, so on Linux it is imported against stubs of
    pywin32's modules, and addin.udfs is executed afresh with the decorators
    it provides patched in as xw.func, xw.arg, xw.ret, as on Windows.  Neither
    stays in sys.modules afterwards.  Returns the workbook (the VBA module
    imported, the MacroOptions calls made) and the decorated module.
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
    return book, module


def udf_vba() -> str:
    """The UDF wrapper module as xlwings' own import_udfs writes it for the add-in."""
    book, _ = _xlwings_import()
    return book.imported.replace("\r\n", "\n").replace("\n", "\r\n")


FUNCTIONS_HEADER = f"""\
Attribute VB_Name = "{FUNCTIONS_MODULE}"
Option Explicit
' GENERATED from addin/udfs.py by addin/build.py (function_vba); do not edit,
' regenerate it (tests/test_addin_build.py fails while it is stale).
'
' Category, description and argument descriptions of the JX_ functions for
' Excel's Insert Function dialog (Shift+F3) and Function Arguments box.
' xlwings makes these Application.MacroOptions calls when it imports UDFs at
' run time; this add-in ships its wrappers (xlwings_udfs) ready-made, so it
' makes the same calls itself, with the @xw.func docstrings and the
' @xw.arg(doc=...) texts of addin/udfs.py, each at most 255 characters
' (Excel's limit).  The built file holds no such settings (Excel never saved
' it), so they are made each time Excel opens the add-in.
'
' Run by ThisWorkbook's Workbook_Open, not by an Auto_Open here: the Open
' event fires however the add-in is opened - from XLSTART as Excel starts,
' from the Add-ins dialog, by double-click, or by Workbooks.Open in code -
' whereas Auto_Open, kept by Excel for backward compatibility only, is not
' run for a workbook opened from code (Workbook.RunAutoMacros is for that).
' Both are skipped when macros are disabled or Shift is held on opening.
'
' Nothing here may stop Excel starting: every call is under On Error Resume
' Next, and MacroOptions is called late-bound (through an Object), so Excel
' 2007, which has no ArgumentDescriptions, meets a run-time error that is
' skipped rather than a compile error.  The functions work without their
' descriptions.  Saved is set back to True: the settings are not a change.
'
' The module stays ASCII (VBA source is stored in code page 1252): Chinese is
' written as ChrW(&H....) of its UTF-16 code units; &H8000 to &HFFFF read as
' negative Integers, which ChrW takes as the same code units.

Public Sub RegisterFunctions()
    Dim jxCategory As String, jxDescription As String
    Dim jxArguments() As Variant
    On Error Resume Next
"""

FUNCTIONS_FOOTER = """\
    ThisWorkbook.Saved = True
End Sub

Private Sub Describe(ByVal functionName As String, ByVal functionDescription As String, _
                     ByVal functionCategory As String, argumentTexts As Variant)
    Dim host As Object
    On Error Resume Next
    Set host = Application
    host.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!" & functionName, _
        Description:=functionDescription, Category:=functionCategory, _
        ArgumentDescriptions:=argumentTexts
End Sub
"""

_VBA_TERMS_PER_LINE = 8


def vba_string(text: str) -> list[str]:
    """VBA expressions for text, at most _VBA_TERMS_PER_LINE terms each, to be joined by &:
    printable ASCII as "literals", everything else as ChrW(&H....)."""
    terms = []
    for run in re.findall(r'[ -~]+|[^ -~]', text):
        if run.isascii() and run.isprintable():
            terms.append('"' + run.replace('"', '""') + '"')
        else:
            terms.extend(f"ChrW(&H{unit:X})" for unit in
                         struct.unpack(f">{len(run.encode('utf-16-be')) // 2}H",
                                       run.encode("utf-16-be")))
    if not terms:
        terms = ['""']
    n = _VBA_TERMS_PER_LINE
    return [" & ".join(terms[i:i + n]) for i in range(0, len(terms), n)]


def _assign(target: str, text: str) -> list[str]:
    """Statements building text into the VBA variable target, one line each."""
    lines = vba_string(text)
    return [f"    {target} = {lines[0]}"] + [f"    {target} = {target} & {line}" for line in lines[1:]]


def function_vba() -> str:
    """macros/JixiaoFunctions.bas: the MacroOptions calls xlwings' import_udfs makes,
    with the texts of addin/udfs.py as they are, never cut at 255 characters."""
    book, module = _xlwings_import()
    categories = set()
    body: list[str] = []
    for options in book.macro_options:
        name = options["Macro"].rpartition("!")[2]
        xlfunc = getattr(module, name).__xlfunc__
        description = xlfunc["ret"]["doc"]
        arguments = [arg["doc"] for arg in xlfunc["args"] if not arg["vba"]]
        for text in [description, *arguments]:
            if len(text) > MACRO_OPTIONS_LIMIT:
                raise ValueError(f"{name} 的说明超过 {MACRO_OPTIONS_LIMIT} 个字符：{text}")
        if [description[:MACRO_OPTIONS_LIMIT], arguments or None] != [
                options["Description"], options["ArgumentDescriptions"]]:
            raise RuntimeError(f"{name}: xlwings 的 MacroOptions 与 addin/udfs.py 不一致")
        categories.add(options["Category"])
        params = ", ".join(arg["name"] for arg in xlfunc["args"] if not arg["vba"])
        body += ["", f"    ' {name}({params})", *_assign("jxDescription", description)]
        if arguments:
            body.append(f"    ReDim jxArguments(0 To {len(arguments) - 1})")
            for i, text in enumerate(arguments):
                body += _assign(f"jxArguments({i})", text)
        else:
            body.append("    jxArguments = Array()")
        body.append(f'    Describe "{name}", jxDescription, jxCategory, jxArguments')
    if len(categories) != 1:
        raise RuntimeError(f"addin/udfs.py 的函数须在同一类别中：{sorted(categories)}")
    lines = [FUNCTIONS_HEADER.rstrip("\n"), *_assign("jxCategory", categories.pop()), *body, "", ""]
    text = "\n".join(lines) + FUNCTIONS_FOOTER
    return text.replace("\n", "\r\n")


def generated_modules() -> dict[Path, str]:
    """The macros/ modules generated from addin/udfs.py, by path."""
    return {UDF_VBA: udf_vba(), FUNCTIONS_VBA: function_vba()}
