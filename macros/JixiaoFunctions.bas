Attribute VB_Name = "JixiaoFunctions"
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
    jxCategory = ChrW(&H7EE9) & ChrW(&H6548) & ChrW(&H52A9) & ChrW(&H624B)

    ' JX_CHECK(table, region, year)
    jxDescription = ChrW(&H6821) & ChrW(&H9A8C) & ChrW(&H6574) & ChrW(&H5F20) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H8868) & ChrW(&HFF1A)
    jxDescription = jxDescription & ChrW(&H6BCF) & ChrW(&H884C) & ChrW(&H8FD4) & ChrW(&H56DE) & ChrW(&H53D1) & ChrW(&H73B0) & ChrW(&H7684) & ChrW(&H95EE)
    jxDescription = jxDescription & ChrW(&H9898) & ChrW(&HFF0C) & ChrW(&H6CA1) & ChrW(&H6709) & ChrW(&H95EE) & ChrW(&H9898) & ChrW(&H7684) & ChrW(&H884C)
    jxDescription = jxDescription & ChrW(&H8FD4) & ChrW(&H56DE) & ChrW(&H7A7A) & ChrW(&H767D) & ChrW(&H3002)
    ReDim jxArguments(0 To 2)
    jxArguments(0) = ChrW(&H6307) & ChrW(&H6807) & ChrW(&H8868) & ChrW(&HFF1A) & ChrW(&H4E00) & ChrW(&H7EA7) & ChrW(&H3001) & ChrW(&H4E8C)
    jxArguments(0) = jxArguments(0) & ChrW(&H7EA7) & ChrW(&H3001) & ChrW(&H4E09) & ChrW(&H7EA7) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H3001) & ChrW(&H6307)
    jxArguments(0) = jxArguments(0) & ChrW(&H6807) & ChrW(&H503C) & ChrW(&H56DB) & ChrW(&H5217) & ChrW(&HFF08) & ChrW(&H53EF) & ChrW(&H542B) & ChrW(&H8868)
    jxArguments(0) = jxArguments(0) & ChrW(&H5934) & ChrW(&H884C) & ChrW(&HFF09)
    jxArguments(1) = ChrW(&H5730) & ChrW(&H533A) & ChrW(&HFF1A) & ChrW(&H4E0A) & ChrW(&H6D77) & ChrW(&H6216) & ChrW(&H82CF) & ChrW(&H5DDE)
    jxArguments(1) = jxArguments(1) & ChrW(&HFF0C) & ChrW(&H7701) & ChrW(&H7565) & ChrW(&H4E3A) & ChrW(&H4E0A) & ChrW(&H6D77)
    jxArguments(2) = ChrW(&H9884) & ChrW(&H7B97) & ChrW(&H5E74) & ChrW(&H5EA6) & ChrW(&HFF0C) & ChrW(&H5982) & " 2023" & ChrW(&HFF0C)
    jxArguments(2) = jxArguments(2) & ChrW(&H53EF) & ChrW(&H7701) & ChrW(&H7565)
    Describe "JX_CHECK", jxDescription, jxCategory, jxArguments

    ' JX_PARSE(targets)
    jxDescription = ChrW(&H89E3) & ChrW(&H6790) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H503C) & ChrW(&HFF1A) & ChrW(&H6BCF) & ChrW(&H4E2A)
    jxDescription = jxDescription & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H503C) & ChrW(&H8FD4) & ChrW(&H56DE) & ChrW(&H4E00) & ChrW(&H884C) & ChrW(&H3010)
    jxDescription = jxDescription & ChrW(&H6BD4) & ChrW(&H8F83) & ChrW(&H7B26) & ChrW(&H3001) & ChrW(&H6570) & ChrW(&H503C) & ChrW(&H3001) & ChrW(&H5355)
    jxDescription = jxDescription & ChrW(&H4F4D) & ChrW(&H3001) & ChrW(&H65B9) & ChrW(&H5411) & ChrW(&H3011) & ChrW(&HFF1B) & ChrW(&H5B9A) & ChrW(&H6027)
    jxDescription = jxDescription & ChrW(&H3001) & ChrW(&H65F6) & ChrW(&H9650) & ChrW(&H7B49) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H7684) & ChrW(&H65B9)
    jxDescription = jxDescription & ChrW(&H5411) & ChrW(&H680F) & ChrW(&H5199) & ChrW(&H7C7B) & ChrW(&H522B) & ChrW(&H3002)
    ReDim jxArguments(0 To 0)
    jxArguments(0) = ChrW(&H6307) & ChrW(&H6807) & ChrW(&H503C) & ChrW(&H6240) & ChrW(&H5728) & ChrW(&H7684) & ChrW(&H5355) & ChrW(&H5143)
    jxArguments(0) = jxArguments(0) & ChrW(&H683C) & ChrW(&H6216) & ChrW(&H6574) & ChrW(&H5217) & ChrW(&HFF0C) & ChrW(&H5982) & " E5:E40"
    Describe "JX_PARSE", jxDescription, jxCategory, jxArguments

    ' JX_RATE(executed, planned)
    jxDescription = ChrW(&H9884) & ChrW(&H7B97) & ChrW(&H6267) & ChrW(&H884C) & ChrW(&H7387) & " = " & ChrW(&H6267) & ChrW(&H884C)
    jxDescription = jxDescription & ChrW(&H6570) & " " & ChrW(&HF7) & " " & ChrW(&H9884) & ChrW(&H7B97) & ChrW(&H6570) & ChrW(&HFF0C)
    jxDescription = jxDescription & ChrW(&H4FDD) & ChrW(&H7559) & ChrW(&H5230) & " 0.01%" & ChrW(&HFF08) & ChrW(&H8BF7) & ChrW(&H8BBE) & ChrW(&H4E3A)
    jxDescription = jxDescription & ChrW(&H767E) & ChrW(&H5206) & ChrW(&H6BD4) & ChrW(&H683C) & ChrW(&H5F0F) & ChrW(&HFF09) & ChrW(&H3002) & ChrW(&H9884)
    jxDescription = jxDescription & ChrW(&H7B97) & ChrW(&H6570) & ChrW(&H4E3A) & ChrW(&H7A7A) & ChrW(&H6216) & " 0 " & ChrW(&H65F6) & ChrW(&H8FD4)
    jxDescription = jxDescription & ChrW(&H56DE) & ChrW(&H7A7A) & ChrW(&H767D) & ChrW(&H3002)
    ReDim jxArguments(0 To 1)
    jxArguments(0) = ChrW(&H5168) & ChrW(&H5E74) & ChrW(&H6267) & ChrW(&H884C) & ChrW(&H6570) & ChrW(&HFF08) & ChrW(&H6574) & ChrW(&H5217)
    jxArguments(0) = jxArguments(0) & ChrW(&HFF09)
    jxArguments(1) = ChrW(&H5168) & ChrW(&H5E74) & ChrW(&H9884) & ChrW(&H7B97) & ChrW(&H6570) & ChrW(&HFF08) & ChrW(&H6574) & ChrW(&H5217)
    jxArguments(1) = jxArguments(1) & ChrW(&HFF09)
    Describe "JX_RATE", jxDescription, jxCategory, jxArguments

    ' JX_RMB(amounts)
    jxDescription = ChrW(&H4EBA) & ChrW(&H6C11) & ChrW(&H5E01) & ChrW(&H5927) & ChrW(&H5199) & ChrW(&H91D1) & ChrW(&H989D) & ChrW(&HFF0C)
    jxDescription = jxDescription & ChrW(&H5982) & " 6000000 " & ChrW(&H2192) & " " & ChrW(&H9646) & ChrW(&H4F70) & ChrW(&H4E07) & ChrW(&H5143)
    jxDescription = jxDescription & ChrW(&H6574) & ChrW(&H3002)
    ReDim jxArguments(0 To 0)
    jxArguments(0) = ChrW(&H91D1) & ChrW(&H989D) & ChrW(&HFF08) & ChrW(&H5143) & ChrW(&HFF09) & ChrW(&HFF0C) & ChrW(&H5355) & ChrW(&H5143)
    jxArguments(0) = jxArguments(0) & ChrW(&H683C) & ChrW(&H6216) & ChrW(&H6574) & ChrW(&H5217)
    Describe "JX_RMB", jxDescription, jxCategory, jxArguments

    ' JX_SCORE(targets, actuals, weights)
    jxDescription = ChrW(&H5B9A) & ChrW(&H91CF) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H5F97) & ChrW(&H5206) & ChrW(&HFF1A) & ChrW(&H6B63)
    jxDescription = jxDescription & ChrW(&H5411) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H8FBE) & ChrW(&H5230) & ChrW(&H76EE) & ChrW(&H6807) & ChrW(&H5F97)
    jxDescription = jxDescription & ChrW(&H6EE1) & ChrW(&H5206) & ChrW(&HFF0C) & ChrW(&H5426) & ChrW(&H5219) & ChrW(&H6309) & ChrW(&H5B8C) & ChrW(&H6210)
    jxDescription = jxDescription & ChrW(&H6BD4) & ChrW(&H4F8B) & ChrW(&HFF1B) & ChrW(&H53CD) & ChrW(&H5411) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H8D85)
    jxDescription = jxDescription & ChrW(&H51FA) & ChrW(&H76EE) & ChrW(&H6807) & ChrW(&H6309) & ChrW(&H6BD4) & ChrW(&H4F8B) & ChrW(&H6263) & ChrW(&H5206)
    jxDescription = jxDescription & ChrW(&HFF0C) & ChrW(&H8D85) & ChrW(&H51FA) & ChrW(&H4E00) & ChrW(&H500D) & ChrW(&H5F97) & " 0 " & ChrW(&H5206)
    jxDescription = jxDescription & ChrW(&H3002) & ChrW(&H4FDD) & ChrW(&H7559) & ChrW(&H4E24) & ChrW(&H4F4D) & ChrW(&H5C0F) & ChrW(&H6570) & ChrW(&H3002)
    ReDim jxArguments(0 To 2)
    jxArguments(0) = ChrW(&H5E74) & ChrW(&H5EA6) & ChrW(&H6307) & ChrW(&H6807) & ChrW(&H503C) & ChrW(&HFF08) & ChrW(&H6574) & ChrW(&H5217)
    jxArguments(0) = jxArguments(0) & ChrW(&HFF09)
    jxArguments(1) = ChrW(&H5B9E) & ChrW(&H9645) & ChrW(&H5B8C) & ChrW(&H6210) & ChrW(&H503C) & ChrW(&HFF08) & ChrW(&H6574) & ChrW(&H5217)
    jxArguments(1) = jxArguments(1) & ChrW(&HFF09)
    jxArguments(2) = ChrW(&H5206) & ChrW(&H503C) & ChrW(&HFF08) & ChrW(&H6574) & ChrW(&H5217) & ChrW(&HFF0C) & ChrW(&H6216) & ChrW(&H4E00)
    jxArguments(2) = jxArguments(2) & ChrW(&H4E2A) & ChrW(&H5355) & ChrW(&H5143) & ChrW(&H683C) & ChrW(&H7528) & ChrW(&H4E8E) & ChrW(&H6240) & ChrW(&H6709)
    jxArguments(2) = jxArguments(2) & ChrW(&H884C) & ChrW(&HFF09)
    Describe "JX_SCORE", jxDescription, jxCategory, jxArguments

    ' JX_WAN(amounts)
    jxDescription = ChrW(&H5143) & ChrW(&H6362) & ChrW(&H7B97) & ChrW(&H4E3A) & ChrW(&H4E07) & ChrW(&H5143) & ChrW(&HFF08) & ChrW(&H4E0D)
    jxDescription = jxDescription & ChrW(&H820D) & ChrW(&H5165) & ChrW(&HFF0C) & ChrW(&H8BF7) & ChrW(&H7528) & ChrW(&H6570) & ChrW(&H5B57) & ChrW(&H683C)
    jxDescription = jxDescription & ChrW(&H5F0F) & ChrW(&H663E) & ChrW(&H793A) & ChrW(&H5C0F) & ChrW(&H6570) & ChrW(&H4F4D) & ChrW(&HFF09) & ChrW(&H3002)
    ReDim jxArguments(0 To 0)
    jxArguments(0) = ChrW(&H91D1) & ChrW(&H989D) & ChrW(&HFF08) & ChrW(&H5143) & ChrW(&HFF09) & ChrW(&HFF0C) & ChrW(&H5355) & ChrW(&H5143)
    jxArguments(0) = jxArguments(0) & ChrW(&H683C) & ChrW(&H6216) & ChrW(&H6574) & ChrW(&H5217)
    Describe "JX_WAN", jxDescription, jxCategory, jxArguments

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
