"""The template builder: ``workbook_template.xlsm`` from the sources in this repository.

``refund-xl template`` (and ``refund-xl setup``, for one PC) call :func:`build`;
``python -m refund_xl._template`` does the same.  No Excel is needed.  One
module per concern, in build order:

* :mod:`.layout` – sheet names, ranges, the result block and its one formula
  (what the hosts and tests also use: ``DATA_LAST_COL``, ``col_number`` …);
* :mod:`.base` – the skeleton: xlwings' standalone quickstart workbook (it
  carries the xlwings VBA runtime), turned into our sheets by openpyxl;
* :mod:`.sheets` – 售后登记, 设置, 话术模板, 列名映射, 值映射: content,
  drop-downs, notes, defined names; :mod:`.conf` – the xlwings.conf sheet;
* :mod:`.sample` – the sample rows and the results stored for them;
* :mod:`.vba` – the formula wrappers (``xlwings_udfs``) and putting modules
  into the VBA project (pyopenvba); :mod:`.ribbon` – the ribbon's customUI
  part and its callbacks module (``src/RefundRibbon.bas`` + generated parts);
* :mod:`.package` – the last, zip-level pass: dynamic-array formula, cached
  results, fixed properties and zip layout, so two builds are byte-identical;
* :mod:`.build` – the steps in order.

``src/`` holds the hand-written parts; ``generated/`` the generated VBA modules
as committed copies (tests check them, and the template, equal to a fresh
build: ``python -m refund_xl._template --vba`` rewrites them).
Importing the package loads no host library (openpyxl, pyopenvba, xlwings are
imported by the steps that use them).
"""

from __future__ import annotations

from refund_xl._template.build import build
from refund_xl._template.layout import *  # noqa: F403  (the layout is the package's shared vocabulary)
from refund_xl._template.layout import __all__ as _layout_all

__all__ = ["build", *_layout_all]  # noqa: PLE0604  (strings: layout.__all__ is a list of names)
