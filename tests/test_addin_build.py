"""addin/build.py: 绩效助手.xlam, read back by independent readers (olevba, LibreOffice)."""
from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from oletools.olevba import VBA_Parser

from addin import build, handlers, install
from generator import cli

RIBBON_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
OUR_MODULES = {"JixiaoRibbon", "xlwings_udfs", "JixiaoFunctions"}
EXCEL_MODULES = {"ThisWorkbook", "Dictionary", "Sheet2", "xlwings"}   # kept from the quickstart
# Ribbon buttons whose handlers are still to be written.
PENDING_HANDLERS: set[str] = set()
# The ribbon module's Chinese texts, written there as UTF-16 hex (FromHex) to keep VBA ASCII.
RIBBON_TEXTS = {
    "TEXT_NO_BOOK": "请先打开一个工作簿",
    "TITLE_ROLLUP": "选择各单位报送文件所在的文件夹",
    "TITLE_GENERATE": "选择生成表单的输出文件夹",
    "TITLE_NEWYEAR": "选择新年度表单的输出文件夹",
    "TEXT_YEAR": "新的预算年度（四位数，如 2024）。留空则为本年度预算年度加 1。",
    "TITLE_YEAR": "新年度",
}
# Buttons that ask for a folder first, and the text they pass on (Python keyword: VBA variable).
CHOOSERS = {"Rollup": {"hex_folder": "folder"}, "Generate": {"hex_folder": "folder"},
            "NewYear": {"hex_folder": "folder", "hex_year": "CStr(answer)"}}
SYSTEM_PYTHON = "/usr/bin/python3"
# What build.py adds to the quickstart's ThisWorkbook, which holds attribute lines only.
WORKBOOK_OPEN = "Private Sub Workbook_Open()\r\n    JixiaoFunctions.RegisterFunctions\r\nEnd Sub\r\n"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build.build_addin(tmp_path_factory.mktemp("dist"))


def vba_of(path: Path) -> dict[str, str]:
    """Module name -> source, as oletools' olevba reads the file."""
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def ribbon_of(path: Path):
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read(build.RIBBON_PART))


def test_name_and_deterministic_bytes(xlam, tmp_path):
    assert xlam.name == "绩效助手.xlam"
    assert build.build_addin(tmp_path).read_bytes() == xlam.read_bytes()


def test_every_macro_module_is_in_the_addin_exactly(xlam):
    modules = vba_of(xlam)
    assert set(modules) == EXCEL_MODULES | OUR_MODULES
    assert {p.stem for p in build.MACROS.glob("*.bas")} == OUR_MODULES
    for name in OUR_MODULES:
        assert modules[name] == (build.MACROS / f"{name}.bas").read_bytes().decode("ascii")


def test_xlwings_module_is_excels_with_our_project_name(xlam):
    original = vba_of(build.QUICKSTART)
    old, new = build.PROJECT_NAME
    assert vba_of(xlam)["xlwings"] == original["xlwings"].replace(old, new)
    assert "RibbonMyAddin" in original


def test_other_modules_untouched(xlam):
    original, built = vba_of(build.QUICKSTART), vba_of(xlam)
    for name in EXCEL_MODULES - {"xlwings", "ThisWorkbook"}:
        assert built[name] == original[name]


def test_this_workbook_gets_only_a_workbook_open(xlam):
    original, built = vba_of(build.QUICKSTART)["ThisWorkbook"], vba_of(xlam)["ThisWorkbook"]
    assert all(line.startswith("Attribute ") for line in original.splitlines())
    assert built == original.rstrip("\r\n") + "\r\n" + WORKBOOK_OPEN
    assert "\r\nPublic Sub RegisterFunctions()\r\n" in vba_of(xlam)["JixiaoFunctions"]
    assert "Sub Auto_Open" not in "".join(vba_of(xlam).values())   # one way in, not two


def test_vba_sources_are_ascii_with_crlf():
    for path in build.MACROS.glob("*.bas"):
        raw = path.read_bytes()
        assert raw.isascii(), path
        assert raw.count(b"\n") == raw.count(b"\r\n"), path
        assert raw.startswith(f'Attribute VB_Name = "{path.stem}"\r\n'.encode()), path


def test_project_code_page_unchanged(xlam):
    from pyopenvba import ExcelFile
    with ExcelFile(build.QUICKSTART) as before, ExcelFile(xlam) as after:
        assert after.vba_project().code_page == before.vba_project().code_page == 1252


def test_udf_wrappers_are_xlwings_own_output():
    assert build.udf_vba().encode("ascii") == build.UDF_VBA.read_bytes()


def test_function_descriptions_are_generated():
    assert build.function_vba().encode("ascii") == build.FUNCTIONS_VBA.read_bytes()
    assert set(build.generated_modules()) == {build.UDF_VBA, build.FUNCTIONS_VBA}


def _udf_texts() -> dict[str, tuple[str, list[str]]]:
    """addin/udfs.py as written: function -> (docstring, @xw.arg docs in parameter order)."""
    udfs = importlib.import_module("addin.udfs")
    tree = ast.parse(Path(udfs.__file__).read_text("utf-8"))
    texts = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        calls = [d for d in node.decorator_list if isinstance(d, ast.Call)]
        if not any(ast.unparse(d.func) == "xw.func" for d in calls):
            continue
        docs = {d.args[0].value: k.value.value for d in calls if ast.unparse(d.func) == "xw.arg"
                for k in d.keywords if k.arg == "doc"}
        texts[node.name] = (ast.get_docstring(node, clean=False),
                            [docs[a.arg] for a in node.args.args])
    return texts


_VBA_TERM = re.compile(r'ChrW\(&H([0-9A-F]{1,4})\)|"((?:[^"]|"")*)"|(jx\w+(?:\(\d+\))?)')


def _vba_value(expression: str, variables: dict) -> str:
    """A VBA string expression of ChrW(&H....), "literals" and variables joined by &."""
    units = []
    for i, term in enumerate(expression.split(" & ")):
        match = _VBA_TERM.fullmatch(term)
        assert match, term
        code, literal, name = match.groups()
        if code:
            units.append(chr(int(code, 16)))
        elif literal is not None:
            assert literal.replace('""', "").count('"') == 0
            units.append(literal.replace('""', '"'))
        else:
            assert i == 0, expression               # only ever "x = x & ..."
            units.append(variables[name])
    return "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _described(source: str) -> dict[str, tuple[str, str, list[str]]]:
    """Run RegisterFunctions' statements: function -> (description, category, arguments)."""
    (body,) = re.findall(r"^Public Sub RegisterFunctions\(\)\r\n(.*?)^End Sub", source, re.M | re.S)
    variables, arguments, described = {}, [], {}
    for line in body.split("\r\n"):
        line = line.strip()
        if assign := re.fullmatch(r"(jx\w+?)(?:\((\d+)\))? = (.+)", line):
            target, index, expression = assign.groups()
            value = _vba_value(expression, variables | {f"jxArguments({i})": a
                                                        for i, a in enumerate(arguments)})
            if index is None:
                variables[target] = value
            else:
                arguments[int(index)] = value
        elif redim := re.fullmatch(r"ReDim jxArguments\(0 To (\d+)\)", line):
            arguments = [None] * (int(redim[1]) + 1)
        elif call := re.fullmatch(r'Describe "(\w+)", jxDescription, jxCategory, jxArguments', line):
            described[call[1]] = (variables["jxDescription"], variables["jxCategory"], arguments)
        else:
            assert line in ("", "On Error Resume Next", "ThisWorkbook.Saved = True") or \
                line.startswith(("'", "Dim ")), line
    return described


def test_function_descriptions_are_the_udfs_texts(xlam):
    source = vba_of(xlam)["JixiaoFunctions"]
    udfs = importlib.import_module("addin.udfs")
    described = _described(source)
    assert set(described) == {"JX_PARSE", "JX_CHECK", "JX_SCORE", "JX_RATE", "JX_RMB", "JX_WAN"}
    assert {name: (description, arguments) for name, (description, _, arguments)
            in described.items()} == _udf_texts()
    assert {category for _, category, _ in described.values()} == {udfs.CATEGORY} == {"绩效助手"}
    for description, _, arguments in described.values():
        assert all(0 < len(text) <= 255 for text in [description, *arguments])
        assert re.search(r"[\u4e00-\u9fff]", description)


def test_function_descriptions_never_stop_excel(xlam):
    source = vba_of(xlam)["JixiaoFunctions"]
    subs = dict(re.findall(r"^(?:Public |Private )?Sub (\w+)\(.*?\)\r\n(.*?)^End Sub", source,
                           re.M | re.S))
    assert set(subs) == {"RegisterFunctions", "Describe"}
    for body in subs.values():
        lines = [line.strip() for line in body.split("\r\n")]
        statements = [line for line in lines if line and not line.startswith(("'", "Dim "))]
        assert statements[0] == "On Error Resume Next"
    describe = re.sub(r" _\r\n\s*", " ", subs["Describe"])
    assert "Set host = Application" in describe and "Dim host As Object" in describe   # late-bound
    assert re.search(r"host\.MacroOptions Macro:=\"'\" & ThisWorkbook\.Name & \"'!\" & functionName, "
                     r"Description:=functionDescription, Category:=functionCategory, "
                     r"ArgumentDescriptions:=argumentTexts\r\n", describe)


def test_function_description_over_excels_limit_is_refused(monkeypatch):
    monkeypatch.setattr(build, "MACRO_OPTIONS_LIMIT", 20)
    with pytest.raises(ValueError, match="超过 20 个字符"):
        build.function_vba()


def test_vba_string_keeps_ascii_and_quotes():
    assert build.vba_string('如 "E5"') == ['ChrW(&H5982) & " ""E5"""']
    assert build.vba_string("\U0001F600") == ["ChrW(&HD83D) & ChrW(&HDE00)"]
    assert build.vba_string("") == ['""']
    assert [line.count("ChrW") for line in build.vba_string("字" * 20)] == [8, 8, 4]


def test_udf_wrappers_cover_every_function():
    udfs = importlib.import_module("addin.udfs")
    exported = {name for name in dir(udfs) if name.startswith("JX_")}
    wrapped = set(re.findall(r"^Function (\w+)\(", build.UDF_VBA.read_text(), re.M))
    assert wrapped == exported == {"JX_PARSE", "JX_CHECK", "JX_SCORE", "JX_RATE", "JX_RMB", "JX_WAN"}


def test_ribbon_tab_and_buttons(xlam):
    root = ribbon_of(xlam)
    assert root.tag == f"{RIBBON_NS}customUI"
    tabs = list(root.iter(f"{RIBBON_NS}tab"))
    assert [t.get("label") for t in tabs] == ["绩效"]
    buttons = list(root.iter(f"{RIBBON_NS}button"))
    assert [b.get("label") for b in buttons] == ["校验", "汇总", "生成", "新年度", "说明"]
    assert all(b.get("imageMso") for b in buttons)
    assert len({b.get("id") for b in buttons}) == len(buttons)


def _subs(source: str) -> dict[str, str]:
    """Ribbon callback Sub name -> its body."""
    pattern = r"^Sub (\w+)\(control As IRibbonControl\)\r?\n(.*?)^End Sub"
    return dict(re.findall(pattern, source, re.M | re.S))


def test_every_on_action_names_a_sub_of_ours(xlam):
    modules = vba_of(xlam)
    for button in ribbon_of(xlam).iter(f"{RIBBON_NS}button"):
        module, _, sub = button.get("onAction").partition(".")
        assert module in OUR_MODULES
        assert sub in _subs(modules[module]), button.get("onAction")


def _run_python(body: str) -> str:
    """The one RunPython command of a callback body, line continuations joined."""
    (command,) = re.findall(r'^\s*RunPython (".*")\s*$', re.sub(r" _\r?\n\s*", " ", body), re.M)
    return command


def test_each_callback_runs_one_handler(xlam):
    callbacks = _subs(vba_of(xlam)["JixiaoRibbon"])
    called = {}
    for sub, body in callbacks.items():
        (handler,) = re.findall(r'^"import addin\.handlers as h; h\.(\w+)\(', _run_python(body))
        called[sub] = handler
    assert len(set(called.values())) == len(called) == 5
    missing = {h for h in called.values() if not callable(getattr(handlers, h, None))}
    assert missing == PENDING_HANDLERS


def test_chosen_text_reaches_python_only_as_hex(xlam):
    """Whatever a dialog returns is put into the command only through HexText."""
    callbacks = _subs(vba_of(xlam)["JixiaoRibbon"])
    for sub, body in callbacks.items():
        command = _run_python(body)
        passed = dict(re.findall(r"(hex_\w+)='\" & HexText\(([^)]*\)?)\) & \"'", command))
        assert passed == CHOOSERS.get(sub, {}), sub
        literal = re.sub(r"'\" & HexText\([^)]*\)?\) & \"'", "''", command)
        assert literal.count('"') == 2 and literal[0] == literal[-1] == '"', sub   # one string literal
        compile(literal[1:-1], sub, "exec")         # the Python it runs, with empty arguments
    for sub in CHOOSERS:
        body = callbacks[sub]
        assert body.index("PickFolder(") < body.index("RunPython")
        assert 'If folder = "" Then Exit Sub' in body                   # Cancel runs nothing
        assert "If Not HasBook() Then Exit Sub" in body


def test_ribbon_texts_are_chinese_written_as_hex(xlam):
    source = vba_of(xlam)["JixiaoRibbon"]
    constants = dict(re.findall(r'^Private Const (\w+) As String = "([0-9A-F]+)"\r?$', source, re.M))
    constants.pop("HEX_DIGITS")
    assert {name: handlers.from_vba(code) for name, code in constants.items()} == RIBBON_TEXTS
    assert all(handlers.to_vba(text) == constants[name] for name, text in RIBBON_TEXTS.items())
    assert "Application.FileDialog(FOLDER_PICKER)" in source and "FOLDER_PICKER As Long = 4" in source


def test_package_differs_from_excels_only_where_expected(xlam):
    with zipfile.ZipFile(build.QUICKSTART) as a, zipfile.ZipFile(xlam) as b:
        before = {i.filename: a.read(i) for i in a.infolist()}
        after = {i.filename: b.read(i) for i in b.infolist()}
        assert [i.filename for i in b.infolist()] == [i.filename for i in a.infolist()]
    assert set(after) - set(before) == set() and set(before) - set(after) == set()
    changed = {name for name in before if before[name] != after[name]}
    # ThisWorkbook's Workbook_Open, like every module, is inside xl/vbaProject.bin.
    assert changed == {build.RIBBON_PART, "xl/vbaProject.bin"}
    assert after[build.RIBBON_PART] == build.RIBBON.read_bytes()


def _libreoffice_ready() -> bool:
    if not shutil.which("soffice") or not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def _body(source: str) -> str:
    """Module text without Attribute lines, LF line ends, as LibreOffice's Basic shows it."""
    lines = source.replace("\r\n", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).rstrip("\n")


@pytest.mark.skipif(not _libreoffice_ready(), reason="LibreOffice (soffice, python3-uno) 未安装")
def test_libreoffice_opens_the_addin(xlam, tmp_path):
    script = Path(__file__).with_name("uno_modules.py")
    run = subprocess.run([SYSTEM_PYTHON, str(script), str(xlam), str(tmp_path / "profile")],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    opened = json.loads(run.stdout)
    assert opened["sheets"] == ["_myaddin.conf"]
    assert set(opened["modules"]) == EXCEL_MODULES | OUR_MODULES
    prefix = "Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n"
    expected = vba_of(xlam)
    for name in OUR_MODULES | {"xlwings"}:
        text = opened["modules"][name]
        assert text.startswith(prefix)
        assert text[len(prefix):].rstrip("\n") == _body(expected[name])
    document = "Rem Attribute VBA_ModuleType=VBADocumentModule\nOption VBASupport 1\n"
    assert opened["modules"]["ThisWorkbook"] == document + _body(WORKBOOK_OPEN) + "\n\n"


def test_build_main(tmp_path, capsys):
    assert cli.main(["addin", "build", "--out", str(tmp_path)]) == 0
    assert (tmp_path / build.ADDIN_NAME).is_file()
    assert "已生成" in capsys.readouterr().out


def test_settings_file_keys():
    text = install.settings_text(Path(r"C:\Python311\pythonw.exe"), Path(r"D:\jixiao"))
    assert text.splitlines() == [r'"INTERPRETER_WIN","C:\Python311\pythonw.exe"',
                                 r'"PYTHONPATH","D:\jixiao"', '"UDF MODULES","addin.udfs"']


def test_install_copies_addin_and_settings(tmp_path):
    target = install.install(tmp_path / "XLSTART", tmp_path / ".jixiao" / "jixiao.conf", "utf-8")
    assert target == tmp_path / "XLSTART" / build.ADDIN_NAME
    assert vba_of(target).keys() == EXCEL_MODULES | OUR_MODULES
    assert '"UDF MODULES","addin.udfs"' in (tmp_path / ".jixiao" / "jixiao.conf").read_text("utf-8")


@pytest.mark.skipif(os.name == "nt", reason="Windows 上会真正安装")
def test_install_without_excel_says_so(capsys):
    assert install.main([]) == 1
    assert "没有 Windows 版 Excel" in capsys.readouterr().out
