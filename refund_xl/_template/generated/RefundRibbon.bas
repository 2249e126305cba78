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

' ---- generated by refund_xl._template.runtime (do not edit) ----
Public Function RefundText(key As String) As String
    Dim s As String
    Select Case key
    Case "title"
        s = ""
        s = s & ChrW(&H552E) & ChrW(&H540E) & ChrW(&H52A9) & ChrW(&H624B)
    Case "no_interpreter"
        s = ""
        s = s & ChrW(&H8FD8) & ChrW(&H6CA1) & ChrW(&H6709) & ChrW(&H8BBE) & ChrW(&H7F6E) & " Python" & ChrW(&H3002) & ChrW(&H8BF7) & ChrW(&H5728) & ChrW(&H547D) & ChrW(&H4EE4) & ChrW(&H63D0) & ChrW(&H793A) & ChrW(&H7B26) & ChrW(&H8FD0) & ChrW(&H884C) & " refund-xl setup" & ChrW(&HFF0C) & ChrW(&H6253) & ChrW(&H5F00) & ChrW(&H5B83) & ChrW(&H751F) & ChrW(&H6210) & ChrW(&H7684) & ChrW(&H5DE5) & ChrW(&H4F5C) & ChrW(&H7C3F) & ChrW(&HFF08) & ChrW(&H6216) & ChrW(&H5728) & " xlwings.conf " & ChrW(&H8868) & ChrW(&H7684) & " B1 " & ChrW(&H586B) & " pythonw.exe " & ChrW(&H7684) & ChrW(&H5B8C) & ChrW(&H6574) & ChrW(&H8DEF)
        s = s & ChrW(&H5F84) & ChrW(&HFF09) & ChrW(&H3002)
    Case "interpreter_missing"
        s = ""
        s = s & "xlwings.conf " & ChrW(&H8868) & " B1 " & ChrW(&H586B) & ChrW(&H7684) & " Python " & ChrW(&H4E0D) & ChrW(&H5B58) & ChrW(&H5728) & ChrW(&HFF0C) & ChrW(&H8BF7) & ChrW(&H8FD0) & ChrW(&H884C) & " refund-xl doctor " & ChrW(&H67E5) & ChrW(&H770B) & ChrW(&HFF1A)
    Case "dll_missing"
        s = ""
        s = s & ChrW(&H8FD9) & ChrW(&H53F0) & ChrW(&H7535) & ChrW(&H8111) & ChrW(&H7684) & " Python " & ChrW(&H6CA1) & ChrW(&H6709) & ChrW(&H88C5) & ChrW(&H672C) & ChrW(&H5DE5) & ChrW(&H4F5C) & ChrW(&H7C3F) & ChrW(&H9700) & ChrW(&H8981) & ChrW(&H7684) & " xlwings " & ChrW(&H7248) & ChrW(&H672C) & ChrW(&HFF0C) & ChrW(&H7F3A) & ChrW(&H5C11)
    Case "dll_fix"
        s = ""
        s = s & ChrW(&H8BF7) & ChrW(&H5728) & ChrW(&H547D) & ChrW(&H4EE4) & ChrW(&H63D0) & ChrW(&H793A) & ChrW(&H7B26) & ChrW(&H8FD0) & ChrW(&H884C) & ChrW(&HFF1A)
    Case "dll_bits"
        s = ""
        s = s & ChrW(&H5982) & ChrW(&H679C) & ChrW(&H5DF2) & ChrW(&H7ECF) & ChrW(&H88C5) & ChrW(&H8FC7) & ChrW(&HFF1A) & "64 " & ChrW(&H4F4D) & " Office " & ChrW(&H9700) & ChrW(&H8981) & " 64 " & ChrW(&H4F4D) & " Python" & ChrW(&HFF08) & "python.org " & ChrW(&H7684) & " Windows installer (64-bit)" & ChrW(&HFF09) & ChrW(&HFF0C) & "32 " & ChrW(&H4F4D) & " Office " & ChrW(&H9700) & ChrW(&H8981) & " 32 " & ChrW(&H4F4D) & " Python" & ChrW(&H3002) & ChrW(&H8FD0) & ChrW(&H884C) & " refund-xl doctor " & ChrW(&H53EF) & ChrW(&H4EE5) & ChrW(&H68C0) & ChrW(&H67E5) & ChrW(&H3002)
    End Select
    RefundText = s
End Function
