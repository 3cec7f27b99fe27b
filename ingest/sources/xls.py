"""Excel 97-2003 workbooks (.xls, BIFF in an OLE2 file): every sheet one grid.

xlrd with ``formatting_info=True`` gives, in one pass, the values, each
cell's number format (so 0.9838 under ``0.00%`` prints ``98.38%``) and the
merged ranges; python-calamine reads .xls values and merges faster but not
the formats (README, "Published files"). Rows are kept ragged (each as long
as its last cell): xlrd's default squares the sheet off, so one stray cell
at IV65536 would cost 16.7 million cells (over 2 GB, measured on damaged
files). A .xls holds at most 65,536 rows by 256 columns.

An OLE2 file that is not a workbook (a .doc, .wps, an encrypted .xlsx) is
left to :mod:`ingest.sources.legacy`, which refuses it with what to do.
"""

from __future__ import annotations

import io
import struct

import xlrd
from xlrd.compdoc import CompDoc, CompDocError

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources import numfmt
from ingest.sources.sheets import Merge, sheet_grid

NAME = "xls"
FORMAT = "xls"
KIND = "Excel 97-2003 workbook"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_STREAMS = {"Workbook", "Book"}


def ole_streams(data: bytes) -> set[str]:
    """The stream and storage names of an OLE2 compound file (empty if it is not one)."""
    if not data.startswith(OLE_MAGIC):
        return set()
    try:
        return {node.name for node in CompDoc(data, logfile=io.StringIO()).dirlist}
    except (CompDocError, IndexError, ValueError, AssertionError, EOFError, MemoryError, struct.error):
        return set()


def sniff(data: bytes) -> bool:
    return bool(ole_streams(data) & WORKBOOK_STREAMS)


def _text(book: xlrd.Book, sheet, r: int, c: int) -> str:
    kind = sheet.cell_type(r, c)
    value = sheet.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_TEXT:
        return value.strip()
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    xf = book.xf_list[sheet.cell_xf_index(r, c)]
    fmt = book.format_map.get(xf.format_key)
    code = fmt.format_str if fmt is not None else None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return numfmt.format_date(xlrd.xldate.xldate_as_datetime(value, book.datemode), code)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return numfmt.general(value)
    return numfmt.format_number(value, code)


def read(data: bytes) -> list[Grid]:
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, logfile=io.StringIO())
    except Exception as err:  # xlrd raises XLRDError, CompDocError, struct and index errors on damage
        raise FormError("corrupt_file", f"the {KIND} is damaged or truncated: {err}")
    grids: list[Grid] = []
    for sheet in book.sheets():
        values: dict[tuple[int, int], str] = {}
        for r in range(sheet.nrows):
            for c, kind in enumerate(sheet.row_types(r)):
                if kind not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) and (text := _text(book, sheet, r, c)):
                    values[(r, c)] = text
        merges = [Merge(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        grid = sheet_grid(sheet.name, values, merges, source=NAME, source_format=FORMAT)
        if grid is not None:
            grids.append(grid)
    return grids
