"""Word documents (.docx): every table, with the paragraphs above it.

Read straight from ``word/document.xml`` with lxml (python-docx builds the
same tree with lxml and exposes merges only as repeated cells; the XML says
them directly): ``w:gridSpan`` is a horizontal merge, ``w:vMerge`` a vertical
one (``restart`` opens it, an empty or ``continue`` value extends it),
``w:gridBefore`` shifts a row right. Content controls (``w:sdt``) are looked
through; deleted text and field codes are not text. The page header's text
(where some forms print only the unit and the year) comes first, as
paragraphs ``header 1`` …. Paragraphs and tables
become grids as :mod:`ingest.sources.flow` says: the title and year above a
table belong to it, and a table continued after a page break joins it.

Refs are ``table 3, row 12`` (rows), ``table 3, row 12, cell 4`` (cells,
numbered by grid column) and ``paragraph 5``.
"""

from __future__ import annotations

from lxml import etree

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources import zipped
from ingest.sources.flow import Paragraph, Table, TableCell, grids

NAME = "docx"
FORMAT = "docx"
KIND = "Word document"
DOCUMENT = "word/document.xml"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # the main part is parsed whole

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELS = "word/_rels/document.xml.rels"
_CONTAINERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag", f"{_W}ins"}


def sniff(data: bytes) -> bool:
    return zipped.holds(data, DOCUMENT, "word/")


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(f"{_W}val", default)


def _count(el: etree._Element | None, default: int) -> int:
    """A count attribute (``w:gridSpan``, ``w:gridBefore``), at least 0, capped."""
    try:
        return min(max(int(_val(el, str(default)) or default), 0), 1000)
    except ValueError:
        return default


def _children(el: etree._Element, tags: set[str]):
    """Children with one of ``tags``, looking through content controls and the like."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tags)


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen", f"{_W}del"):
        if el.tag == f"{_W}t":
            if not any(a.tag == f"{_W}del" for a in el.iterancestors(f"{_W}del")):
                parts.append(el.text or "")
        elif el.tag == f"{_W}tab":
            parts.append("\t")
        elif el.tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif el.tag in (f"{_W}br", f"{_W}cr") and el.get(f"{_W}type") not in ("page", "column"):
            parts.append("\n")
    return "".join(parts).strip()


class _Walker:
    def __init__(self) -> None:
        self.items: list[Paragraph | Table] = []
        self.paragraphs = 0
        self.tables = 0

    def block(self, el: etree._Element) -> None:
        for child in _children(el, {f"{_W}p", f"{_W}tbl"}):
            if child.tag == f"{_W}p":
                self.paragraphs += 1
                self.items.append(Paragraph(paragraph_text(child), f"paragraph {self.paragraphs}"))
            else:
                self.table(child)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        nested: list[etree._Element] = []
        rows: list[list[list]] = []  # [col, text, row_span, col_span]
        open_cells: dict[int, list] = {}  # column -> the cell a vertical merge extends
        for tr in _children(tbl, {f"{_W}tr"}):
            col = _count(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            row: list[list] = []
            for tc in _children(tr, {f"{_W}tc"}):
                pr = tc.find(f"{_W}tcPr")
                span = max(1, _count(pr.find(f"{_W}gridSpan") if pr is not None else None, 1))
                vmerge = pr.find(f"{_W}vMerge") if pr is not None else None
                nested.extend(_children(tc, {f"{_W}tbl"}))
                if vmerge is not None and _val(vmerge, "continue") != "restart" and col in open_cells:
                    open_cells[col][2] += 1
                else:
                    text = "\n".join(t for t in (paragraph_text(p) for p in _children(tc, {f"{_W}p"})) if t)
                    cell = [col, text, 1, span]
                    row.append(cell)
                    for c in range(col, col + span):
                        open_cells.pop(c, None)
                    if vmerge is not None:
                        open_cells[col] = cell
                col += span
            rows.append(row)
        self.items.append(Table(number, tuple(tuple(TableCell(*c) for c in row) for row in rows)))
        for inner in nested:
            self.table(inner)


def _parse(zf, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(zipped.read_member(zf, name, KIND), parser)
    except etree.XMLSyntaxError as err:
        raise FormError("corrupt_file", f"the {KIND}'s {name} is damaged or truncated ({err})")


def _header_paragraphs(zf, body: etree._Element) -> list[Paragraph]:
    """The text of the headers the document's sections use, each line once."""
    ids = [ref.get(f"{_R}id") for ref in body.iter(f"{_W}headerReference")]
    if not ids or _RELS not in zf.namelist():
        return []
    targets = {rel.get("Id"): rel.get("Target", "") for rel in _parse(zf, _RELS).iter(_PKG_REL)}
    seen: list[str] = []
    for rid in ids:
        name = "word/" + targets.get(rid, "").lstrip("/").removeprefix("word/")
        if name == "word/" or name not in zf.namelist():
            continue
        for p in _parse(zf, name).iter(f"{_W}p"):
            text = paragraph_text(p)
            if text and text not in seen:
                seen.append(text)
    return [Paragraph(text, f"header {k}") for k, text in enumerate(seen, start=1)]


def read(data: bytes) -> list[Grid]:
    zf = zipped.open_package(data, KIND)
    info = next((i for i in zf.infolist() if i.filename == DOCUMENT), None)
    if info is None:
        raise FormError("corrupt_file", f"the {KIND} has no {DOCUMENT}: it is damaged")
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise FormError("too_large", f"the {KIND}'s text is {info.file_size:,} bytes "
                                     f"(more than {MAX_DOCUMENT_BYTES // 2**20} MB): not read")
    body = _parse(zf, DOCUMENT).find(f"{_W}body")
    if body is None:
        raise FormError("corrupt_file", f"the {KIND} has no body: it is damaged")
    walker = _Walker()
    walker.items.extend(_header_paragraphs(zf, body))
    walker.block(body)
    return grids(walker.items, source=NAME, source_format=FORMAT, kind=KIND)
