"""What the fast reader cannot tell about an XLSX, read from its XML without a full parse.

The fast reader returns formulas' cached values, which would silently import a number
HR never typed; we refuse formulas instead, and `formula_cells` finds them. It also
returns every number as a float, which cannot hold an 18-digit NIP; `number_texts`
gives the literal text the file stores for numeric cells.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from posixpath import join, normpath

_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<f\b')
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


_ANY_FORMULA = re.compile(rb"<f\b")


def formula_cells(data: bytes) -> dict[str, list[tuple[int | None, str | None]]]:
    """Sheet name -> [(row, column letter)] of every cell holding a formula; (None, None)
    for formulas in cells that do not say where they are (no `r` attribute)."""
    found: dict[str, list[tuple[int | None, str | None]]] = {}
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        targets = _sheet_targets(archive, names)
        for sheet_name, path in targets.items():
            if path not in names:
                continue
            xml = archive.read(path)
            if b"<f" not in xml:
                continue
            cells: list[tuple[int | None, str | None]] = [
                (int(row), col.decode()) for col, row in _FORMULA_CELL.findall(xml)
            ]
            if len(_ANY_FORMULA.findall(xml)) > len(cells):
                cells.append((None, None))
            if cells:
                found[sheet_name] = cells
    return found


_CELL_VALUE = re.compile(rb"<c\b([^>]*)>\s*<v>([^<]*)</v>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="([^"]*)"')


def number_texts(data: bytes, sheet_name: str) -> dict[tuple[int, str], str]:
    """(row, column letters) -> the text of each numeric cell's value in one sheet."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        path = _sheet_targets(archive, names).get(sheet_name)
        if path is None or path not in names:
            return {}
        xml = archive.read(path)
    found: dict[tuple[int, str], str] = {}
    for attributes, value in _CELL_VALUE.findall(xml):
        ref = _REF.search(attributes)
        kind = _TYPE.search(attributes)
        if ref is None or (kind is not None and kind.group(1) != b"n"):
            continue
        found[(int(ref.group(2)), ref.group(1).decode())] = value.decode().strip()
    return found


def _sheet_targets(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    rels = dict(_REL.findall(rels_xml))
    rels.update({rid: target for target, rid in _REL_REVERSED.findall(rels_xml)})
    result = {}
    for name, rid in _SHEET.findall(archive.read("xl/workbook.xml")):
        target = rels.get(rid, b"").decode()
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        result[_unescape(name.decode())] = path
    return result


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )
