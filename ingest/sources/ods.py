"""OpenDocument spreadsheets (.ods): every table one grid, cells as printed.

An ODS file stores, beside each value, the text the cell displays
(``<text:p>98.38%</text:p>`` over ``office:value="0.9838"``), so the grid takes
that text: no number format to apply. ``content.xml`` is streamed with lxml
(one row in memory at a time); repeated rows and columns
(``number-rows-repeated="1048000"``, how an ODS writes a sheet's empty tail)
are counted, never expanded unless they hold text. python-calamine reads ODS
values but neither the displayed text nor merges (README, "Published files").
Merged cells are ``number-rows-spanned`` / ``number-columns-spanned``.

Refs are ``Sheet1!C14`` (cells) and ``Sheet1!14:14`` (rows).
"""

from __future__ import annotations


from lxml import etree

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources import zipped
from ingest.sources.sheets import Merge, sheet_grid

NAME = "ods"
FORMAT = "ods"
KIND = "OpenDocument spreadsheet"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A repeated cell or row that holds text is expanded at most this many times.
MAX_REPEAT_WITH_TEXT = 1000

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def sniff(data: bytes) -> bool:
    if not zipped.is_zip(data):
        return False
    if zipped.zip_prefix(data, "mimetype").startswith(MIMETYPE):
        return True
    names = zipped.member_names(data)
    if "mimetype" not in names or "content.xml" not in names:
        return False
    try:
        zf = zipped.open_package(data, KIND)
        return zf.read("mimetype")[:100].startswith(MIMETYPE)
    except (FormError, *zipped.ZIP_ERRORS):
        return False


def _text(el: etree._Element) -> str:
    """What a text element prints: spaces (``text:s``), tabs and line breaks
    spelled out, annotations left out."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{_X}s":
            parts.append(" " * int(child.get(f"{_X}c", "1") or 1))
        elif tag == f"{_X}tab":
            parts.append("\t")
        elif tag == f"{_X}line-break":
            parts.append("\n")
        elif tag != f"{_O}annotation":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: etree._Element) -> str:
    paragraphs = [_text(p) for p in cell if p.tag in (f"{_X}p", f"{_X}h")]
    if paragraphs:
        return "\n".join(p.strip() for p in paragraphs).strip()
    for attr in ("string-value", "value", "date-value", "time-value", "boolean-value"):
        value = cell.get(f"{_O}{attr}")
        if value is not None:
            return value.strip()
    return ""


def _repeat(el: etree._Element, attr: str) -> int:
    try:
        return max(1, int(el.get(f"{_T}{attr}", "1")))
    except ValueError:
        return 1


def _read_row(row: etree._Element, r: int, values: dict, merges: list[Merge]) -> int:
    """Place one row's cells (at sheet row ``r``); return how many sheet rows it stands for."""
    repeat_rows = _repeat(row, "number-rows-repeated")
    placed: list[tuple[int, str]] = []
    c = 0
    for cell in row:
        if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        text = _cell_text(cell) if cell.tag == f"{_T}table-cell" else ""
        if text:
            for k in range(min(repeat, MAX_REPEAT_WITH_TEXT)):
                placed.append((c + k, text))
        rows_spanned, cols_spanned = _repeat(cell, "number-rows-spanned"), _repeat(cell, "number-columns-spanned")
        if rows_spanned > 1 or cols_spanned > 1:
            merges.append(Merge(r, c, r + rows_spanned - 1, c + cols_spanned - 1))
        c += repeat
    if placed:
        for k in range(min(repeat_rows, MAX_REPEAT_WITH_TEXT)):
            for col, text in placed:
                values[(r + k, col)] = text
    return repeat_rows


def read(data: bytes) -> list[Grid]:
    zf = zipped.open_package(data, KIND)
    if "content.xml" not in zf.namelist():
        raise FormError("corrupt_file", f"the {KIND} has no content.xml: it is damaged")
    grids: list[Grid] = []
    name, r, values, merges = "", 0, {}, []
    try:
        with zf.open("content.xml") as stream:
            for event, el in etree.iterparse(stream, events=("start", "end"), tag=(f"{_T}table", f"{_T}table-row"),
                                             resolve_entities=False, no_network=True):
                if el.tag == f"{_T}table":
                    if event == "start":
                        name, r, values, merges = el.get(f"{_T}name", f"Sheet{len(grids) + 1}"), 0, {}, []
                    else:
                        grid = sheet_grid(name, values, merges, source=NAME, source_format=FORMAT)
                        if grid is not None:
                            grids.append(grid)
                        el.clear(keep_tail=False)
                elif event == "end":
                    r += _read_row(el, r, values, merges)
                    el.clear(keep_tail=False)
    except (etree.XMLSyntaxError, *zipped.ZIP_ERRORS) as err:
        raise FormError("corrupt_file", f"the {KIND}'s content.xml is damaged or truncated ({err})")
    return grids
