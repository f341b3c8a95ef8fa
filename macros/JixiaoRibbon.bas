Attribute VB_Name = "JixiaoRibbon"
Option Explicit
' Ribbon callbacks of the jixiao add-in: one Sub per button of customUI.xml.
' Each runs one handler of addin/handlers.py through xlwings' RunPython.

Sub Validate(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.validate()"
End Sub

Sub Rollup(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.rollup()"
End Sub

Sub Generate(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.generate()"
End Sub

Sub NewYear(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.newyear()"
End Sub

Sub About(control As IRibbonControl)
    RunPython "import addin.handlers as h; h.about()"
End Sub
