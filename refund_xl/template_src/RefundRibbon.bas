Attribute VB_Name = "RefundRibbon"
' Ribbon callbacks of the "shouhou zhushou" (after-sales helper) tab.
' Built from refund_xl/template_src/RefundRibbon.bas by `refund-xl template`;
' edit the source there, not in the VBA editor.
' Each batch button runs a Python function of refund_xl.macros through
' xlwings' RunPython (the xlwings VBA module is embedded in this workbook).
' Keep this file ASCII: the VBA project stores code in code page 1252.
Option Explicit

Sub intercept_register(control As IRibbonControl)
    RunPython "import refund_xl.macros; refund_xl.macros.intercept_register()"
End Sub

Sub reply_scripts(control As IRibbonControl)
    RunPython "import refund_xl.macros; refund_xl.macros.reply_scripts()"
End Sub

Sub daily_batch(control As IRibbonControl)
    RunPython "import refund_xl.macros; refund_xl.macros.daily_batch()"
End Sub

Sub import_functions(control As IRibbonControl)
    ' Regenerates the xlwings_udfs module from refund_xl.udfs (after an upgrade).
    ' Needs "Trust access to the VBA project object model" in the Trust Center.
    ImportPythonUDFs
End Sub

Sub goto_settings(control As IRibbonControl)
    ' The settings sheet is named ChrW(&H8BBE) & ChrW(&H7F6E) ("shezhi").
    ThisWorkbook.Worksheets(ChrW(&H8BBE) & ChrW(&H7F6E)).Activate
    ThisWorkbook.Worksheets(ChrW(&H8BBE) & ChrW(&H7F6E)).Range("C2").Select
End Sub

Sub track_logistics(control As IRibbonControl)
    ' Courier tracking (Kuaidi100). Credentials come from the user's environment
    ' or config file, never from this workbook.
    RunPython "import refund_xl.macros; refund_xl.macros.track_logistics()"
End Sub
