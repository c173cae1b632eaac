"""Find formula cells in an XLSX without a full parse.

The fast reader returns formulas' cached values, which would silently import a
number HR never typed; we refuse formulas instead, and this finds them.
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


def formula_cells(data: bytes) -> dict[str, list[tuple[int, str]]]:
    """Sheet name -> [(row, column letter)] of every cell holding a formula."""
    found: dict[str, list[tuple[int, str]]] = {}
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        targets = _sheet_targets(archive, names)
        for sheet_name, path in targets.items():
            if path not in names:
                continue
            xml = archive.read(path)
            if b"<f" not in xml:
                continue
            cells = [(int(row), col.decode()) for col, row in _FORMULA_CELL.findall(xml)]
            if cells:
                found[sheet_name] = cells
    return found


def _sheet_targets(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    rels = {rid: target for rid, target in _REL.findall(rels_xml)}
    rels.update({rid: target for target, rid in _REL_REVERSED.findall(rels_xml)})
    result = {}
    for name, rid in _SHEET.findall(archive.read("xl/workbook.xml")):
        target = rels.get(rid, b"").decode()
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        result[_unescape(name.decode())] = path
    return result


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
