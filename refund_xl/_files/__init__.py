"""The file host (private): workbooks and CSV files on disk, for the command line.

files (reading, the safe-write primitives), filebook (the file Book: lock, fingerprint,
backup, atomic replace; ``filebook.open_book`` is the one way to change a file), notes (lines to stderr), bounded (reading within bounds), xlsxpatch (zip-level writer),
workbook (the batch and demo on a file), intake_files, track_file (``track`` on a file; the
Kuaidi100 client itself is ``refund_xl._courier``), zh_argparse (Chinese argparse).
"""
