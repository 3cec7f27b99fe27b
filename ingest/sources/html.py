"""Web pages (.html, .htm) saved from government sites: every table.

Parsed with lxml's HTML parser (forgiving, as browsers are). Each
``<table>`` is placed cell by cell with ``rowspan`` / ``colspan`` as a
browser lays it out (a merged cell once, at its top-left); a table that
holds other tables is a page-layout table, read as flowing text around its
inner tables. The text around tables — titles, ``2022年度`` lines, a table's
``<caption>`` — becomes paragraphs, grouped with the tables as
:mod:`ingest.sources.flow` says.

Decoding: a byte-order mark, else the charset the page declares (``<meta
charset>`` / ``http-equiv``; GB2312 and GBK read as GB18030, their superset),
else UTF-8 if the bytes are valid UTF-8, else GB18030, else what
charset-normalizer detects. A declared charset the bytes contradict is
ignored (pages saved as GBK still declaring UTF-8 are common).

Refs are ``table 3, row 12`` / ``table 3, row 12, cell 4`` and, for text,
``line 88`` (the line of the page's source).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import lxml.html
from lxml import etree

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources.flow import Paragraph, Table, TableCell, grids

NAME = "html"
FORMAT = "html"
KIND = "web page"
SNIFF_BYTES = 8192
_MARKERS = (b"<html", b"<table", b"<!doctype html", b"<body")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "hz-gb-2312": "gb18030"}
_SKIP = {"head", "script", "style", "noscript", "template", "select", "option", "button", "iframe", "object", "svg"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "center", "section", "article",
           "header", "footer", "blockquote", "pre", "form", "hr", "dl", "dt", "dd", "address", "main", "nav",
           "aside", "figure", "figcaption", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "body", "table"}
_MAX_SPAN = 1000
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")


def sniff(data: bytes) -> bool:
    head = data[:SNIFF_BYTES].lower()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[:SNIFF_BYTES].decode("utf-16", errors="ignore").lower().encode()
    return any(marker in head for marker in _MARKERS)


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name.replace("-sig", "")
    declared = _CHARSET.search(data[:SNIFF_BYTES])
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", errors="ignore").lower()
        candidates.append(_ALIASES.get(name, name))
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _cell_text(cell) -> str:
    """A cell's text, its ``<br>`` and block children as line breaks."""
    lines: list[str] = [""]

    def walk(el) -> None:
        for child in el:
            tag = _tag(child)
            if tag and tag not in _SKIP:
                if tag == "br" or tag in _BLOCKS:
                    lines.append("")
                lines[-1] += child.text or ""
                walk(child)
                if tag in _BLOCKS:
                    lines.append("")
            lines[-1] += child.tail or ""

    lines[-1] += cell.text or ""
    walk(cell)
    return "\n".join(t for t in (_clean(line) for line in lines) if t)


def _span(cell, name: str) -> int:
    try:
        value = int(re.match(r"\s*(\d+)", cell.get(name, "1") or "1").group(1))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return 1
    return min(max(value, 1), _MAX_SPAN)


def _rows_of(table) -> list:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _place(table, number: int) -> Table:
    """The browser's table layout: a cell goes to the first column its row
    has free, and occupies its spans."""
    trs = _rows_of(table)
    taken: set[tuple[int, int]] = set()
    rows = []
    for r, tr in enumerate(trs):
        col = 0
        cells = []
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, col) in taken:
                col += 1
            rs = min(_span(td, "rowspan"), len(trs) - r)
            cs = _span(td, "colspan")
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, col + dc))
            cells.append(TableCell(col, _cell_text(td), rs, cs))
            col += cs
        rows.append(tuple(cells))
    return Table(number, tuple(rows))


class _Walker:
    def __init__(self) -> None:
        self.items: list[Paragraph | Table] = []
        self.buffer: list[str] = []
        self.line: int | None = None
        self.tables = 0

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        if text:
            self.items.append(Paragraph(text, f"line {self.line}" if self.line else "text"))
        self.buffer, self.line = [], None

    def text(self, text: str | None, el) -> None:
        if text and text.strip():
            if self.line is None:
                self.line = el.sourceline
            self.buffer.append(text)
        elif text:
            self.buffer.append(" ")

    def walk(self, el) -> None:
        for child in el:
            tag = _tag(child)
            if tag and tag not in _SKIP:
                if tag == "table":
                    self.flush()
                    self.table(child)
                else:
                    block = tag in _BLOCKS or tag == "br"
                    if block:
                        self.flush()
                    self.text(child.text, child)
                    self.walk(child)
                    if block:
                        self.flush()
            self.text(child.tail, child)

    def table(self, table) -> None:
        self.tables += 1
        if table.find(".//table") is not None:  # a layout table: flowing text around inner tables
            self.walk(table)
            self.flush()
            return
        for caption in (c for c in table if _tag(c) == "caption"):
            self.items.append(Paragraph(_clean(caption.text_content()), f"line {caption.sourceline}"))
        self.items.append(_place(table, self.tables))


def read(data: bytes) -> list[Grid]:
    text, _ = decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        raise FormError("corrupt_file", f"the {KIND} cannot be parsed: {err}")
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return grids(walker.items, source=NAME, source_format=FORMAT, kind=KIND)
