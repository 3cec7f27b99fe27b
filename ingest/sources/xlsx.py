"""Excel workbooks (.xlsx, .xlsm): every worksheet one grid, cells as printed.

Read from the package's XML, in two passes over each sheet, both streaming:

1. a byte scan (C-speed regular expressions over 4 MB chunks) finds the
   cells that hold a value (``<v>``, ``<is>``) and the merged ranges: the
   last row holding a value bounds the sheet's used range;
2. lxml parses the cells up to that row, one row at a time (each dropped
   once read), and stops: a million formatted but empty rows after a form
   cost the byte scan only.

Memory is the form's cells; time is linear in the sheet's XML, bounded by
the package checks of :mod:`ingest.sources.zipped`. A sheet whose cells do
not name their position (``r``, optional in the standard) is parsed whole.

python-calamine reads values faster, but it has no number formats (0.9838
stays 0.9838 where the form printed ``98.38%``) and it lays a sheet out as
one dense rectangle: a stray value at ``XFD1048576`` makes it allocate
512 GiB and abort the whole process. openpyxl has the formats but builds an
object per formatted cell: 129 s and 1.5 GB for a million empty rows
(README, "Published files").

Numbers are printed as their format shows them (0.9838 under ``0.00%`` is
``98.38%``, 1219 under ``0.00`` is ``1219.00``), dates as formatted. Refs
are ``Sheet1!C14`` (cells) and ``Sheet1!14:14`` (rows); a row's line number
is the sheet's row number.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from lxml import etree

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources import numfmt, zipped
from ingest.sources.sheets import Merge, sheet_grid

NAME = "xlsx"
FORMAT = "xlsx"
KIND = "Excel workbook"
WORKBOOK = "xl/workbook.xml"

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# The byte scan: a value inside a cell, a merged range, and the sheet's namespace prefix.
_SCAN_CHUNK = 4 << 20
_SCAN_KEEP = 64 << 10  # bytes kept between chunks: a cell's start tag is never this far before its value
_MARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)[\s>/]|<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*>")
_MERGE_REF = re.compile(rb'\sref="([A-Z]{1,3}[0-9]{1,7})(?::([A-Z]{1,3}[0-9]{1,7}))?"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3}[0-9]{1,7})"')
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")


def sniff(data: bytes) -> bool:
    return zipped.holds(data, WORKBOOK, "xl/")


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(zipped.read_member(zf, name, KIND), parser)
    except etree.XMLSyntaxError as err:
        raise FormError("corrupt_file", f"the {KIND}'s part {name} is damaged ({err})")


def _sheet_paths(zf: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Worksheet name -> its XML part, and whether dates count from 1904."""
    book = _xml(zf, WORKBOOK)
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_name in zf.namelist():
        for rel in _xml(zf, rels_name).iter(_PKG_REL):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = path
    paths = {s.get("name", ""): targets.get(s.get(f"{_R}id", ""), "") for s in book.iter(f"{_M}sheet")}
    pr = book.find(f"{_M}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    return paths, date1904


def _style_formats(zf: zipfile.ZipFile) -> list[str]:
    """Number format code of each cell style (index = a cell's ``s``)."""
    if "xl/styles.xml" not in zf.namelist():
        return []
    styles = _xml(zf, "xl/styles.xml")
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "General") for f in styles.iter(f"{_M}numFmt")}
    xfs = styles.find(f"{_M}cellXfs")
    if xfs is None:
        return []
    codes = []
    for xf in xfs.iter(f"{_M}xf"):
        fid = int(xf.get("numFmtId", "0") or 0)
        codes.append(custom.get(fid) or numfmt.BUILTIN.get(fid, "General"))
    return codes


def _split_ref(ref: str) -> tuple[int, int]:
    col = 0
    k = 0
    while k < len(ref) and ref[k].isalpha():
        col = col * 26 + (ord(ref[k].upper()) - 64)
        k += 1
    return int(ref[k:]) - 1, col - 1


def _string(el: etree._Element) -> str:
    """The text of a shared or inline string, without its phonetic runs."""
    return "".join(t.text or "" for t in el.iter(f"{_M}t") if t.getparent().tag != f"{_M}rPh")


def _stream(zf: zipfile.ZipFile, path: str, tags: tuple[str, ...]):
    """End events of ``tags`` in a part, each element dropped after use (the
    caller reads it first), so memory stays one element deep."""
    try:
        with zf.open(path) as stream:
            for _, el in etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False,
                                         no_network=True):
                yield el
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except (etree.XMLSyntaxError, *zipped.ZIP_ERRORS) as err:
        raise FormError("corrupt_file", f"the {KIND}'s part {path} is damaged or truncated ({err})")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    path = "xl/sharedStrings.xml"
    if path not in zf.namelist():
        return []
    return [_string(si) for si in _stream(zf, path, (f"{_M}si",))]


def _cell_text(c: etree._Element, codes: list[str], shared: list[str], date1904: bool) -> str:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = c.find(f"{_M}is")
        return "" if inline is None else _string(inline).strip()
    v = c.find(f"{_M}v")
    if v is None or v.text is None:
        return ""
    raw = v.text
    if kind == "s":
        k = int(raw)
        return shared[k].strip() if 0 <= k < len(shared) else ""
    if kind == "b":
        return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
    if kind in ("str", "e", "d"):
        return raw.strip()
    s = int(c.get("s", "0") or 0)
    code = codes[s] if 0 <= s < len(codes) else None
    number = float(raw)
    if numfmt.is_date_format(code):
        try:
            return numfmt.format_date(numfmt.serial_to_datetime(number, date1904), code)
        except (OverflowError, ValueError):
            pass
    return numfmt.format_number(int(number) if number.is_integer() and abs(number) < 1e15 else number, code)


def _scan(zf: zipfile.ZipFile, path: str) -> tuple[int, list[Merge]] | None:
    """The last row (0-based) holding a value, and the merged ranges, by a
    byte scan of a sheet's XML; None when a cell does not name its position."""
    last_row = -1
    merges: list[Merge] = []
    buf, base, done, prefix = b"", 0, 0, None
    try:
        with zf.open(path) as stream:
            eof = False
            while not eof:
                chunk = stream.read(_SCAN_CHUNK)
                eof = not chunk
                buf += chunk
                if prefix is None:
                    root = _ROOT.search(buf)
                    if root is None and not eof:
                        continue
                    prefix = (root.group(1) or b"") if root else b""
                    cell_open = b"<" + prefix + b"c "
                limit = len(buf) if eof else len(buf) - 512
                for m in _MARK.finditer(buf, max(done - base, 0), max(limit, 0)):
                    tag = m.group()
                    if b"mergeCell" in tag:
                        ref = _MERGE_REF.search(tag)
                        if ref:
                            (top, left) = _split_ref(ref.group(1).decode())
                            (bottom, right) = _split_ref((ref.group(2) or ref.group(1)).decode())
                            merges.append(Merge(top, left, bottom, right))
                        continue
                    start = buf.rfind(cell_open, 0, m.start())
                    end = buf.find(b">", start) if start >= 0 else -1
                    ref = _CELL_REF.search(buf, start, end) if start >= 0 else None
                    if ref is None or buf[end - 1:end] == b"/" or b"</" + prefix + b"c>" in buf[end:m.start()]:
                        return None  # the value's own cell was not found: parse the sheet whole
                    last_row = max(last_row, _split_ref(ref.group(1).decode())[0])
                    done = base + m.end()
                done = max(done, base + limit)
                if len(buf) > _SCAN_KEEP:
                    base += len(buf) - _SCAN_KEEP
                    buf = buf[-_SCAN_KEEP:]
    except zipped.ZIP_ERRORS as err:
        raise FormError("corrupt_file", f"the {KIND}'s part {path} is damaged or truncated ({err})")
    return last_row, merges


def _sheet(zf: zipfile.ZipFile, path: str, codes: list[str], shared: list[str],
           date1904: bool) -> tuple[dict[tuple[int, int], str], list[Merge]]:
    """A sheet's non-empty cells ((row, col) 0-based -> text) and merged ranges."""
    scanned = _scan(zf, path)
    last_row = scanned[0] if scanned else None
    values: dict[tuple[int, int], str] = {}
    merges: list[Merge] = scanned[1] if scanned else []
    if last_row == -1:
        return values, merges
    row, col = 0, -1
    for el in _stream(zf, path, (f"{_M}c", f"{_M}row", f"{_M}mergeCell")):
        tag = el.tag
        if tag == f"{_M}row":
            row, col = (int(el.get("r")) if el.get("r") else row + 1), -1
            if last_row is not None and row - 1 >= last_row:
                break  # the cells of the used range's last row are read; the rest is empty
            continue
        if tag == f"{_M}mergeCell":
            ref = el.get("ref", "")
            if scanned is None and ":" in ref:
                (top, left), (bottom, right) = (_split_ref(p) for p in ref.split(":", 1))
                merges.append(Merge(top, left, bottom, right))
            continue
        ref = el.get("r")
        r, col = _split_ref(ref) if ref else (row - 1, col + 1)
        try:
            text = _cell_text(el, codes, shared, date1904)
        except ValueError as err:
            raise FormError("corrupt_file", f"the {KIND}'s cell {ref} in {path} is damaged ({err})")
        if text:
            values[(r, col)] = text
    return values, merges


def read(data: bytes) -> list[Grid]:
    zf = zipped.open_package(data, KIND)
    paths, date1904 = _sheet_paths(zf)
    codes = _style_formats(zf)
    shared = _shared_strings(zf)
    grids: list[Grid] = []
    for name, path in paths.items():
        if not path.startswith("xl/worksheets/") or path not in zf.namelist():
            continue  # chart and dialog sheets hold no cells
        values, merges = _sheet(zf, path, codes, shared, date1904)
        grid = sheet_grid(name, values, merges, source=NAME, source_format=FORMAT)
        if grid is not None:
            grids.append(grid)
    return grids
