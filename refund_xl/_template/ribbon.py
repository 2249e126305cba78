"""The 售后助手 ribbon: its customUI part and the VBA module behind its buttons.

``src/customUI14.xml`` is the tab; Office finds it through a package
relationship in ``_rels/.rels``, which openpyxl does not keep, so the zip pass
(:mod:`.package`) adds both last.  ``src/RefundRibbon.bas`` holds the
callbacks; :func:`ribbon_vba` appends the generated ``RefundText``, the ribbon's
Chinese messages as ``ChrW`` codes (the VBA project stores code in code page
1252).  刷新判定 is Python's (``refund_xl.macros.refresh_results``: the formula it
re-enters is :func:`~refund_xl._template.layout.formula_text`).  Pure module:
imports no host library.
"""

from __future__ import annotations

from refund_xl._template.runtime import vba_text_function
from refund_xl._template.layout import SRC
from refund_xl._template.package import add_relationship

__all__ = ["VBA_RIBBON_MODULE", "RIBBON_PART", "RIBBON_REL_TYPE", "ribbon_vba", "ribbon_xml", "add_ribbon"]

VBA_RIBBON_MODULE = "RefundRibbon"
RIBBON_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"


def ribbon_vba() -> str:
    """The ribbon module: src/RefundRibbon.bas + the generated RefundText (ASCII only)."""
    source = (SRC / f"{VBA_RIBBON_MODULE}.bas").read_text(encoding="ascii").rstrip("\n")
    return source + "\n" + vba_text_function()


def ribbon_xml() -> bytes:
    """The customUI part (Office 2010+ schema)."""
    return (SRC / "customUI14.xml").read_bytes()


def add_ribbon(parts: dict[str, bytes]) -> None:
    """Put the ribbon into a package's parts: the customUI part and its relationship from the package."""
    parts[RIBBON_PART] = ribbon_xml()
    parts["_rels/.rels"] = add_relationship(parts["_rels/.rels"].decode("utf-8"), RIBBON_REL_TYPE,
                                            RIBBON_PART).encode("utf-8")
