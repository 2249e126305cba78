"""The Excel host (private): the open workbook through xlwings, and the PC's setup.

excel_book (ExcelBook: the xlwings Book adapter), excel_setup (`refund-xl setup` /
`doctor`: a workbook for this PC's Python, and what to fix).
"""
