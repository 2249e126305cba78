"""The zip-level pass over the saved workbook: what openpyxl cannot write, and a fixed layout.

openpyxl writes the formula as a legacy array formula with no cached values;
this pass makes it a spilling dynamic array (the ``cm="1"`` cell attribute and
the ``xl/metadata.xml`` part Excel 365 writes), stores the result block's
cached values, fixes the document properties, and writes the package in a
fixed order with fixed timestamps, so two builds give the same bytes.  Parts
are looked up by parsing the XML; the edits (a cell, a row, one relationship
appended) are made in the text openpyxl has just written, in its known shape,
so that nothing else in a part changes.  Pure module: imports no host library.
"""

from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from refund_xl._template.layout import FORMULA_CELL, RESULT_COLUMNS, SRC, formula_col

__all__ = ["read_parts", "sheet_part", "add_relationship", "patch_result_block", "add_dynamic_array_metadata",
           "fix_properties", "write_parts", "METADATA_REL_TYPE", "ZIP_TIME", "CORE_XML"]

METADATA_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"
METADATA_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"
ZIP_TIME = (2025, 6, 10, 12, 0, 0)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>售后助手 workbook_template</dc:title><dc:creator>refund_xl</dc:creator>"
    "<cp:lastModifiedBy>refund_xl</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-06-10T12:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-06-10T12:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)


def read_parts(path: str | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    """The part name (``xl/worksheets/sheetN.xml``) of the sheet called ``sheet_name``."""
    book = ET.fromstring(parts["xl/workbook.xml"])
    rid = next((s.get(f"{{{_REL_NS}}}id") for s in book.iter(f"{{{_MAIN_NS}}}sheet") if s.get("name") == sheet_name),
               None)
    if rid is None:
        raise KeyError(f"no sheet named {sheet_name!r} in xl/workbook.xml")
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship") if r.get("Id") == rid)
    if target is None:
        raise KeyError(f"sheet {sheet_name!r} has no Target in xl/_rels/workbook.xml.rels")
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def add_relationship(rels: str, rel_type: str, target: str) -> str:
    """A relationships part with one of ``rel_type`` to ``target`` (unchanged if it has one of that type)."""
    if f'Type="{rel_type}"' in rels:
        return rels
    ids = [int(x) for x in re.findall(r'Id="rId(\d+)"', rels)]
    rid = f"rId{max(ids, default=0) + 1}"
    return rels.replace("</Relationships>",
                        f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>', 1)


def _cell_xml(ref: str, value: object, formula: str | None = None, spill: str | None = None,
              style: str | None = None) -> str:
    attrs = f'r="{ref}"' + (f' s="{style}"' if style else "")
    if formula is not None:
        attrs += ' cm="1"'
    f = f'<f t="array" ref="{spill}">{escape(formula)}</f>' if formula else ""
    if isinstance(value, bool):
        return f'<c {attrs} t="b">{f}<v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c {attrs}>{f}<v>{value!r}</v></c>"
    text = "" if value is None else str(value)
    return f'<c {attrs} t="str">{f}<v>{escape(text)}</v></c>'


_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}


def patch_result_block(xml: str, cached: list[list[object]]) -> str:
    """Make the one formula a spilling dynamic array and store its cached block (row 1 = headers)."""
    letters = [formula_col(i) for i in range(len(RESULT_COLUMNS))]
    last_row = len(cached)
    spill = f"{FORMULA_CELL}:{letters[-1]}{last_row}"
    pat = re.compile(rf'<c r="{FORMULA_CELL}"[^>]*>\s*<f t="array" ref="[^"]*">(.*?)</f>\s*(?:<v\s*/>|<v>.*?</v>)?\s*</c>',
                     re.S)
    m = pat.search(xml)
    if m is None:
        raise RuntimeError(f"formula cell {FORMULA_CELL} not found in the sheet XML")
    formula = re.sub(r"&lt;|&gt;|&amp;|&quot;|&apos;", lambda x: _ENTITIES[x.group()], m.group(1))
    style = re.search(r' s="(\d+)"', m.group(0)[: m.group(0).index(">")])
    first = _cell_xml(FORMULA_CELL, cached[0][0], formula, spill, style.group(1) if style else None)
    xml = xml[: m.start()] + first + xml[m.end():]
    # Row 1's other result headers: openpyxl wrote them as empty styled cells.
    for i, letter in enumerate(letters[1:], start=1):
        cell = re.search(rf'<c r="{letter}1"(?: s="(\d+)")?[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        new = _cell_xml(f"{letter}1", cached[0][i], style=cell.group(1) if cell else None)
        xml = xml[: cell.start()] + new + xml[cell.end():] if cell else xml.replace(first, first + new, 1)

    def members(r: int) -> str:
        row = cached[r - 1]
        return "".join(_cell_xml(f"{letter}{r}", row[i]) for i, letter in enumerate(letters))
    present: set[int] = set()

    def extend_row(m: re.Match) -> str:
        r = int(m.group(2))
        present.add(r)
        if r < 2 or r > last_row:
            return m.group(0)
        if m.group(0).endswith("/>"):
            return f"{m.group(1)}>{members(r)}</row>"
        return m.group(1) + ">" + m.group(3) + members(r) + "</row>"

    xml = re.sub(r'(<row r="(\d+)"[^>]*?)(?:/>|>(.*?)</row>)', extend_row, xml, flags=re.S)
    missing = [r for r in range(2, last_row + 1) if r not in present]
    if missing:
        raise RuntimeError(f"rows {missing[:3]} of the result block have no row in the sheet XML")
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{letters[-1]}{last_row}"/>', xml, count=1)
    return xml


def add_dynamic_array_metadata(parts: dict[str, bytes]) -> None:
    """The ``xl/metadata.xml`` part Excel 365 writes for a spilling formula, related and typed."""
    parts["xl/metadata.xml"] = (SRC / "metadata.xml").read_bytes()
    parts["xl/_rels/workbook.xml.rels"] = add_relationship(
        parts["xl/_rels/workbook.xml.rels"].decode("utf-8"), METADATA_REL_TYPE, "metadata.xml").encode("utf-8")
    ct = parts["[Content_Types].xml"].decode("utf-8")
    if "/xl/metadata.xml" not in ct:
        ct = ct.replace("</Types>", f'<Override PartName="/xl/metadata.xml" ContentType="{METADATA_CT}"/></Types>', 1)
    parts["[Content_Types].xml"] = ct.encode("utf-8")


def fix_properties(parts: dict[str, bytes]) -> None:
    """Document properties with fixed times (openpyxl writes the save time as modified)."""
    parts["docProps/core.xml"] = CORE_XML.encode("utf-8")


def write_parts(parts: dict[str, bytes], out: Path) -> None:
    """Write the package: content types and package relationships first, the rest sorted, fixed timestamps."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    order = first + sorted(n for n in parts if n not in first)
    # a name of our own (never the user's "X.xlsm.tmp"), removed whatever happens; the file is
    # complete on disk before it replaces ``out``
    fd, name = tempfile.mkstemp(prefix=f".~refund-xl.{os.getpid()}.{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as z:
                for name in order:
                    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.create_system = 0
                    info.external_attr = 0
                    z.writestr(info, parts[name], compresslevel=9)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
