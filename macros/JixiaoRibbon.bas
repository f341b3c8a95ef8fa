Attribute VB_Name = "JixiaoRibbon"
Option Explicit
' Ribbon callbacks of the jixiao add-in: one Sub per button of customUI.xml.
' Each runs one handler of addin/handlers.py through xlwings' RunPython.
'
' Folders (and the new year) are chosen here, before Python starts, and reach
' Python as hex_<name>='...': the text's UTF-16 code units, four hex digits
' each (HexText).  The command passes through cmd.exe and a Python string
' literal; a path may hold quotes, backslashes, %, & or Chinese, hex survives.
' This module stays ASCII: Chinese dialog texts are UTF-16 hex too (FromHex),
' checked against their Chinese wording by tests/test_addin_build.py.

Private Const FOLDER_PICKER As Long = 4   ' msoFileDialogFolderPicker
Private Const HEX_DIGITS As String = "0123456789ABCDEF"

Private Const TEXT_NO_BOOK As String = "8BF7514862535F004E004E2A5DE54F5C7C3F"
Private Const TITLE_ROLLUP As String = "900962E9540453554F4D62A5900165874EF662405728768465874EF65939"
Private Const TITLE_GENERATE As String = "900962E9751F62108868535576848F9351FA65874EF65939"
Private Const TITLE_NEWYEAR As String = "900962E965B05E745EA68868535576848F9351FA65874EF65939"
Private Const TEXT_YEAR As String = "65B0768498847B975E745EA6FF0856DB4F4D6570FF0C598200200032003000320034FF09300275597A7A52194E3A672C5E745EA698847B975E745EA652A0002000313002"
Private Const TITLE_YEAR As String = "65B05E745EA6"

Sub Validate(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.validate()"
End Sub

Sub Rollup(control As IRibbonControl)
    Dim folder As String
    If Not HasBook() Then Exit Sub
    folder = PickFolder(FromHex(TITLE_ROLLUP))
    If folder = "" Then Exit Sub
    RunPython "import addin.handlers as h; h.rollup(hex_folder='" & HexText(folder) & "')"
End Sub

Sub Generate(control As IRibbonControl)
    Dim folder As String
    If Not HasBook() Then Exit Sub
    folder = PickFolder(FromHex(TITLE_GENERATE))
    If folder = "" Then Exit Sub
    RunPython "import addin.handlers as h; h.generate(hex_folder='" & HexText(folder) & "')"
End Sub

Sub NewYear(control As IRibbonControl)
    Dim answer As Variant, folder As String
    If Not HasBook() Then Exit Sub
    ' Blank means: the budget year of the active workbook plus one (decided in Python).
    answer = Application.InputBox(FromHex(TEXT_YEAR), FromHex(TITLE_YEAR), "", Type:=2)
    If VarType(answer) = vbBoolean Then Exit Sub   ' Cancel gives False
    folder = PickFolder(FromHex(TITLE_NEWYEAR))
    If folder = "" Then Exit Sub
    RunPython "import addin.handlers as h; h.newyear(hex_folder='" & HexText(folder) & _
              "', hex_year='" & HexText(CStr(answer)) & "')"
End Sub

Sub About(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.about()"
End Sub

Private Function HasBook() As Boolean
    ' The handlers work on the active workbook: there must be one.
    HasBook = Not ActiveWorkbook Is Nothing
    If Not HasBook Then MsgBox FromHex(TEXT_NO_BOOK), vbExclamation
End Function

Private Function PickFolder(Title As String) As String
    ' Excel's folder picker, starting in the active workbook's folder; "" on Cancel.
    Dim start As String
    PickFolder = ""
    start = ActiveWorkbook.Path
    With Application.FileDialog(FOLDER_PICKER)
        .Title = Title
        .AllowMultiSelect = False
        If start <> "" And InStr(start, "://") = 0 Then .InitialFileName = start & Application.PathSeparator
        If .Show = -1 Then PickFolder = .SelectedItems(1)
    End With
End Function

Private Function HexText(Text As String) As String
    ' Each UTF-16 code unit as four hex digits (AscW is signed: mask to 0..65535).
    Dim i As Long, result As String
    result = ""
    For i = 1 To Len(Text)
        result = result & Right$("000" & Hex$(AscW(Mid$(Text, i, 1)) And &HFFFF&), 4)
    Next i
    HexText = result
End Function

Private Function FromHex(Codes As String) As String
    ' The inverse of HexText: four hex digits per UTF-16 code unit.
    Dim i As Long, j As Long, code As Long, result As String
    result = ""
    For i = 1 To Len(Codes) Step 4
        code = 0
        For j = i To i + 3
            code = code * 16 + InStr(HEX_DIGITS, UCase$(Mid$(Codes, j, 1))) - 1
        Next j
        result = result & ChrW(code)
    Next i
    FromHex = result
End Function
