Attribute VB_Name = "RefundRibbon"
' Ribbon callbacks of the "shouhou zhushou" (after-sales helper) tab.
' Built from refund_xl/_template/src/RefundRibbon.bas by `refund-xl template`;
' edit the source there, not in the VBA editor.
' Each batch button runs a Python function of refund_xl.macros through
' xlwings' RunPython (the xlwings VBA module is embedded in this workbook).
' Before calling Python, RuntimeReady checks that the interpreter named in the
' xlwings.conf sheet has the xlwings DLL of THIS runtime's version next to it
' (xlwings64-<XLWINGS_VERSION>.dll), and says in Chinese what to run if not.
' The Chinese texts come from RefundText, generated at build time (ChrW codes).
' Keep this file ASCII: the VBA project stores code in code page 1252.
Option Explicit

Private Function DllName() As String
    #If Win64 Then
        DllName = "xlwings64-" & XLWINGS_VERSION & ".dll"
    #Else
        DllName = "xlwings32-" & XLWINGS_VERSION & ".dll"
    #End If
End Function

Private Function FileThere(ByVal path As String) As Boolean
    ' FileSystemObject handles any Unicode path (a user folder named in Chinese); Dir is the fallback.
    On Error Resume Next
    FileThere = CreateObject("Scripting.FileSystemObject").FileExists(path)
    If Err.Number <> 0 Then
        Err.Clear
        FileThere = (Len(Dir(path)) > 0)
    End If
End Function

Public Function RuntimeReady() As Boolean
    ' True when Python can be called; otherwise a message box saying what to fix.
    #If Mac Then
        RuntimeReady = True
    #Else
        Dim interp As String, folder As String, pos As Long
        interp = GetConfig("INTERPRETER_WIN", "")
        If interp = "" Then interp = GetConfig("INTERPRETER", "")
        If interp = "" Or LCase(interp) = "python" Or LCase(interp) = "pythonw" Then
            MsgBox RefundText("no_interpreter"), vbExclamation, RefundText("title")
            Exit Function
        End If
        If Not FileThere(interp) Then
            MsgBox RefundText("interpreter_missing") & vbCrLf & interp, vbExclamation, RefundText("title")
            Exit Function
        End If
        pos = InStrRev(interp, "\")
        If pos = 0 Then
            RuntimeReady = True   ' not a full path: leave it to xlwings
            Exit Function
        End If
        folder = Left(interp, pos - 1)
        If Not (FileThere(folder & "\" & DllName()) Or FileThere(folder & "\..\" & DllName())) Then
            MsgBox RefundText("dll_missing") & " " & DllName() & vbCrLf & folder & vbCrLf & vbCrLf & _
                RefundText("dll_fix") & vbCrLf & "    """ & folder & "\python.exe"" -m pip install xlwings==" & _
                XLWINGS_VERSION & vbCrLf & vbCrLf & RefundText("dll_bits"), vbExclamation, RefundText("title")
            Exit Function
        End If
        RuntimeReady = True
    #End If
End Function

Sub intercept_register(control As IRibbonControl)
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.intercept_register()"
End Sub

Sub reply_scripts(control As IRibbonControl)
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.reply_scripts()"
End Sub

Sub daily_batch(control As IRibbonControl)
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.daily_batch()"
End Sub

Sub check_headers(control As IRibbonControl)
    ' Shows how the tracking sheet is read and writes the reading report sheet.
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.check_headers()"
End Sub

Sub refresh_results(control As IRibbonControl)
    ' Recalculates the result block (its time columns go stale overnight).
    ' Python decides by the setting live_rows (refund_xl.macros.refresh_results):
    ' up to it the block stays one live REFUND_TABLE formula (re-entered where
    ' values had replaced it; on Excel 2016/2019 re-entered over the current
    ' height) and the book recalculates; above it the results are written as
    ' values. The status bar (and, for values, a message box) says which.
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.refresh_results()"
End Sub

Sub import_functions(control As IRibbonControl)
    ' Regenerates the xlwings_udfs module from refund_xl.udfs (after an upgrade).
    ' Needs "Trust access to the VBA project object model" in the Trust Center.
    If Not RuntimeReady() Then Exit Sub
    ImportPythonUDFs
End Sub

Sub goto_settings(control As IRibbonControl)
    ' The settings sheet is named ChrW(&H8BBE) & ChrW(&H7F6E) ("shezhi").
    ThisWorkbook.Worksheets(ChrW(&H8BBE) & ChrW(&H7F6E)).Activate
    ThisWorkbook.Worksheets(ChrW(&H8BBE) & ChrW(&H7F6E)).Range("C2").Select
End Sub

Sub import_exports(control As IRibbonControl)
    ' Asks for today's platform exports and merges them into the tracking sheet.
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.import_exports()"
End Sub

Sub track_logistics(control As IRibbonControl)
    ' Courier tracking (Kuaidi100). Credentials come from the user's environment
    ' or config file, never from this workbook.
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.track_logistics()"
End Sub

Sub archive_cases(control As IRibbonControl)
    ' Moves closed, quiet cases into <book>_guidang_<year>.xlsx beside this workbook
    ' (the archive file first, then the rows are deleted here; save the workbook after).
    If Not RuntimeReady() Then Exit Sub
    RunPython "import refund_xl.macros; refund_xl.macros.archive_cases()"
End Sub
