"""Helpers for the tests over workbooks other programs wrote (``tests/data/realworld/``).

The folder holds public test files of other spreadsheet projects, byte for byte
(see its README; some are deliberately broken).  These helpers

* list them (:data:`FILES`, :func:`intact_workbooks`);
* put a tracking table into a copy of one, the way its program would hold it:
  the first worksheet's cells replaced, every other part and the package's
  own naming kept (:func:`with_tracking`);
* read a package as parts and check what the product wrote into it
  (:func:`parts`, :func:`check_package`, :func:`kept_parts`).

Nothing here goes through the product's own zip code.
"""

from __future__ import annotations

import csv
import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from refund_xl._template.layout import col_letter

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "data" / "realworld"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
SAMPLE = ROOT / "refund_xl" / "data" / "sample_tracking.csv"
EXPORT = Path(__file__).resolve().parent / "data" / "exports" / "taobao_export.csv"
NOW = "2025-06-10T12:00"

STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
TRANSITIONAL = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"


def rel_id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def canon(name: str) -> str:
    """A part name as OPC compares them: '/'-separated, case-insensitive."""
    return name.replace("\\", "/").lstrip("/").lower()


def raw_parts(path: Path) -> dict[str, bytes] | None:
    """Every entry of the zip, or None when the zip (or an entry) is damaged."""
    try:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                return None
            return {i.filename: z.read(i) for i in z.infolist()}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        return None


parts = raw_parts


def _find(all_parts: dict[str, bytes], name: str) -> str | None:
    want = canon(name)
    return next((n for n in all_parts if canon(n) == want), None)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(all_parts: dict[str, bytes], owner: str) -> list[tuple[str, str, str, str]]:
    """(Id, Type, target part, TargetMode) of ``owner``'s relationships."""
    entry = _find(all_parts, _rels_of(owner))
    if entry is None:
        return []
    xml = all_parts[entry].decode("utf-8", "replace")
    out = []
    for m in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*)>", xml):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        out.append((attrs.get("Id", ""), attrs.get("Type", ""), _resolve(owner, attrs.get("Target", "")),
                    attrs.get("TargetMode", "")))
    return out


def workbook_part(all_parts: dict[str, bytes]) -> str:
    for _id, type_, target, _mode in relationships(all_parts, ""):
        if type_.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


def sheets(all_parts: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(name, relationship type, part) of every <sheet> of the workbook, in order."""
    wb = workbook_part(all_parts)
    rels = {i: (t, p) for i, t, p, _m in relationships(all_parts, wb)}
    xml = all_parts[_find(all_parts, wb)].decode("utf-8")
    out = []
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*?)/?>", xml):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        type_, part = rels.get(rid, ("", ""))
        out.append((attrs.get("name", ""), type_, part))
    return out


def sample_rows(n: int = 12) -> list[list[str]]:
    """The packaged sample's header and first ``n`` cases, as text (the way a pasted export holds them)."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return [r for r in rows[:n + 1]]


def _cell(ref: str, value: str, p: str) -> str:
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{escape(value)}</{p}t></{p}is></{p}c>'


def with_tracking(src: Path, dest: Path, rows: list[list[str]] | None = None) -> str:
    """A copy of workbook ``src`` whose first worksheet holds a tracking table; returns that sheet's name.

    Only that worksheet's ``<sheetData>`` (and its ``<dimension>``) change, in the
    sheet's own namespace prefix; every other entry is copied as it is, under
    its own name, in its own order.
    """
    rows = rows or sample_rows()
    with zipfile.ZipFile(src) as z:
        infos = z.infolist()
        data = {i.filename: z.read(i) for i in infos}
    name, _type, part = next(s for s in sheets(data) if s[1].endswith("/worksheet"))
    entry = _find(data, part)
    xml = data[entry].decode("utf-8")
    m = re.search(r"<(?:(\w+):)?worksheet\b", xml)
    p = m.group(1) + ":" if m.group(1) else ""
    body = "".join(f'<{p}row r="{r}">' + "".join(_cell(f"{col_letter(c)}{r}", v, p) for c, v in enumerate(row, 1) if v)
                   + f"</{p}row>" for r, row in enumerate(rows, 1))
    new_data = f"<{p}sheetData>{body}</{p}sheetData>"
    xml, n = re.subn(r"<%ssheetData\b[^>]*/>|<%ssheetData\b[^>]*>.*?</%ssheetData>" % (p, p, p),
                     lambda _m: new_data, xml, count=1, flags=re.S)
    assert n == 1, f"no sheetData in {entry}"
    ref = f"A1:{col_letter(max(len(r) for r in rows))}{len(rows)}"
    xml = re.sub(r'(<%sdimension\b[^>]*?\sref=")[^"]*"' % p, lambda mm: mm.group(1) + ref + '"', xml, count=1)
    xml = re.sub(r"<%smergeCells\b.*?</%smergeCells>" % (p, p), "", xml, flags=re.S)
    data[entry] = xml.encode("utf-8")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            out.writestr(zi, data[info.filename])
    return name


def content_type(all_parts: dict[str, bytes], part: str) -> str | None:
    ct = all_parts[_find(all_parts, "[Content_Types].xml")].decode("utf-8")
    for m in re.finditer(r"<(?:\w+:)?Override\b([^>]*)>", ct):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if canon(attrs.get("PartName", "")) == canon(part):
            return attrs.get("ContentType")
    ext = part.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(part) else ""
    for m in re.finditer(r"<(?:\w+:)?Default\b([^>]*)>", ct):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get("Extension", "").lower() == ext:
            return attrs.get("ContentType")
    return None


def check_package(after: dict[str, bytes], before: dict[str, bytes] | None = None) -> None:
    """What the product wrote is a consistent package.

    * no two entries share a name up to case (OPC names are case-insensitive);
    * every part the product added has a content type, and so does every relationships part;
    * every relationship of a part the product added or changed points at an existing part;
    * sheet names are unique and every <sheet> resolves;
    * a Strict package got no transitional namespace in the parts the product wrote.
    """
    before = before or {}
    names = [n for n in after if not n.endswith("/")]
    seen: dict[str, str] = {}
    for n in names:
        assert canon(n) not in seen, f"two parts named alike: {seen[canon(n)]!r} and {n!r}"
        seen[canon(n)] = n
    written = [n for n in names if before.get(n) != after[n]]
    for n in written:
        if n != "[Content_Types].xml":
            assert content_type(after, n), f"{n} has no content type"
    for n in names:
        if n.lower().endswith(".rels") and n not in before:
            assert content_type(after, n) == RELS_CT, f"{n}: content type {content_type(after, n)}"
    for n in written:
        if n.lower().endswith(".rels"):
            owner = n.replace("_rels/", "")[:-len(".rels")] if not n.startswith("_rels/") else ""
            for _i, _t, target, mode in relationships(after, owner):
                if mode != "External" and target:
                    assert _find(after, target), f"{n} points at missing {target}"
    listed = sheets(after)
    assert len({s[0] for s in listed}) == len(listed), f"duplicate sheet names {[s[0] for s in listed]}"
    wb = workbook_part(after)
    strict = STRICT_MAIN.encode() in after[_find(after, wb)]
    if strict:
        for n in written:
            if n.lower().endswith((".xml", ".rels")):
                for ns in TRANSITIONAL:
                    assert ns.encode() not in after[n], f"Strict package: {n} holds transitional {ns}"


def kept_parts(before: dict[str, bytes], after: dict[str, bytes], owned: set[str]) -> list[str]:
    """The parts of ``before`` that are not ``owned`` (names compared as OPC does) and did not come through
    byte for byte under their own name: should be empty."""
    owned_c = {canon(o) for o in owned}
    return [n for n, data in before.items()
            if canon(n) not in owned_c and after.get(n) != data]


def structural(all_parts: dict[str, bytes]) -> set[str]:
    """The parts the product may rewrite in any workbook: content types, workbook, its rels, styles, calcChain."""
    wb = workbook_part(all_parts)
    out = {"[Content_Types].xml", wb, _rels_of(wb)}
    for _i, type_, target, _m in relationships(all_parts, wb):
        if type_.endswith(("/styles", "/calcChain")):
            out.add(target)
    return out
