"""One PDF page's characters, lines and images, read with PDFium (pypdfium2).

PDFium reads a page's text with boxes about ten times faster than pdfminer.six
(the figures are in the README); pdfplumber's table finder then runs on the
lines read here (see ``layout``), so no page is laid out twice.
"""

from __future__ import annotations

import ctypes
from functools import partial
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Characters PDFium reports that are not ink: spaces, line ends, soft hyphens.
_BLANK = {0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xFFFE, 0xFFFF, 0x00}
# A segment counts as a ruling line if it is this straight (points of slope over its length)
_STRAIGHT = 0.5
# Form XObjects nested deeper than this are not looked into.
MAX_FORM_DEPTH = 8
_DRAWN = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    cx: float  # the centre, kept rather than computed: it is read for every character many times
    cy: float


def char(text: str, x0: float, top: float, x1: float, bottom: float) -> Char:
    return Char(text, x0, top, x1, bottom, (x0 + x1) / 2, (top + bottom) / 2)


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    edges: list[dict]  # pdfplumber-style edges: x0, x1, top, bottom, width, height, orientation 'h'|'v'
    images: int  # image objects on the page


def page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text in one call (for deciding whether to read the page at all)."""
    return textpage.get_text_range()


def _chars(textpage: pdfium.PdfTextPage, height: float, visible: tuple[float, float, float, float]) -> list[Char]:
    """The page's characters; those whose centre lies outside ``visible`` (the crop box,
    in top-down coordinates) are not printed: text clipped off the page is no cell's."""
    left, top, right, bottom = visible
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    unicode_of, box_of = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox
    chars: list[Char] = []
    for i in range(textpage.count_chars()):
        code = unicode_of(raw, i)
        if code in _BLANK:  # also every character PDFium generates (spaces, line ends)
            continue
        if not box_of(raw, i, box_ref):
            continue
        x0, x1 = (box.left, box.right) if box.left <= box.right else (box.right, box.left)
        y0, y1 = (box.bottom, box.top) if box.bottom <= box.top else (box.top, box.bottom)
        ch = char(chr(code), x0, height - y1, x1, height - y0)
        if left <= ch.cx <= right and top <= ch.cy <= bottom:
            chars.append(ch)
    return chars


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    if abs(top - bottom) <= _STRAIGHT:  # horizontal
        y = (top + bottom) / 2
        x0, x1 = sorted((x0, x1))
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}
    if abs(x0 - x1) <= _STRAIGHT:  # vertical
        x = (x0 + x1) / 2
        top, bottom = sorted((top, bottom))
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v"}
    return None


def _drawn(page: pdfium.PdfPage, form=None, outer: pdfium.PdfMatrix | None = None, depth: int = 0):
    """The page's paths and images (raw handles and types) with the matrix that places
    each on the page, looking inside form XObjects (some writers put a whole page in
    one). Raw PDFium calls: text objects, most of a page's objects, cost nothing here."""
    if form is None:
        count, get = pdfium_c.FPDFPage_CountObjects(page.raw), partial(pdfium_c.FPDFPage_GetObject, page.raw)
    else:
        count, get = pdfium_c.FPDFFormObj_CountObjects(form), partial(pdfium_c.FPDFFormObj_GetObject, form)
    raw_matrix = pdfium_c.FS_MATRIX()
    for i in range(count):
        obj = get(i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in _DRAWN:
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(raw_matrix)):
            continue
        matrix = pdfium.PdfMatrix.from_raw(raw_matrix)
        if outer is not None:
            matrix = matrix.multiply(outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < MAX_FORM_DEPTH:
                yield from _drawn(page, obj, matrix, depth + 1)
        else:
            yield obj, kind, matrix


def _path_edges(raw, matrix: pdfium.PdfMatrix, height: float) -> list[dict]:
    """The straight horizontal and vertical segments of a stroked or filled
    path (a rectangle gives its four sides, as in pdfplumber)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return []
    if not fill.value and not stroke.value:  # a clipping path: draws nothing
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    start = prev = None
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = matrix.on_point(x.value, y.value)
        point = (px, height - py)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif prev is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
            edge = _edge(prev[0], prev[1], point[0], point[1])
            if edge:
                edges.append(edge)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and kind != pdfium_c.FPDF_SEGMENT_MOVETO:
            edge = _edge(point[0], point[1], start[0], start[1])
            if edge:
                edges.append(edge)
            point = start
        prev = point
    return edges


def read_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> PageContent:
    # user space, before the page's /Rotate: the characters' and paths' own coordinates
    left, bottom, right, height = page.get_mediabox()
    width = right - left
    edges: list[dict] = []
    images = 0
    for obj, kind, matrix in _drawn(page):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        else:
            edges.extend(_path_edges(obj, matrix, height))
    c_left, c_bottom, c_right, c_top = page.get_cropbox()
    visible = (c_left, height - c_top, c_right, height - c_bottom)
    return PageContent(number, width, height, _chars(textpage, height, visible), edges, images)
