"""The application layer (private): one book, one batch, one way to present.

book (the Book interface, the one tracking-sheet finder, run_batch for both hosts),
batch/ (the daily batch: columns, merge, sheets, layout), table (REFUND_TABLE's block)
and outputs (evaluate's person columns), fill (the plan of `fill`), intake (platform
exports → the tracking sheet), track (courier answers → logistics words), reference
(the generated reference page).  Imports only the core; no host library.
"""
