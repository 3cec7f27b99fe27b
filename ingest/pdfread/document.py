"""A whole PDF into grids: which pages to read, and what to refuse.

A page is read cell by cell only if its text holds a form's title or labels
(``PDF_PAGE_MARKERS``), or it continues a table from the page before; every
other page is only scanned, one at a time, so a long report with a few forms
in an appendix, or none, costs little time and memory. At most ``MAX_PAGES``
pages are scanned.

Refused, with a reason a user can act on: a PDF without a text layer
(``scanned_pdf``: it needs OCR), one that needs a password (``encrypted_pdf``;
a PDF that only restricts printing or copying opens and is read), a corrupt or
cut-off file (``corrupt_pdf``), and one whose pages hold no form (``no_form``).
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.grid import Grid
from ingest.pdfread.assemble import in_margin, to_grid
from ingest.pdfread.extract import page_text, read_page
from ingest.pdfread.layout import Block, PageTable, page_blocks
from ingest.records import FormError, Issue, Severity
from ingest.text import squash
from ingest.vocabulary import PDF_PAGE_MARKERS

# Pages scanned at most: about 2 ms a page of text, so a file costs seconds at worst.
MAX_PAGES = 2000
# A page is a scan if an image covers this share of it and it holds at most this many characters.
SCAN_IMAGE_SHARE = 0.5
SCAN_TEXT_CHARS = 40
# A PDF's last "%%EOF" must lie within this many bytes of its end (some writers add a little after it).
EOF_WINDOW = 2048


def _open(data: bytes) -> pdfium.PdfDocument:
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise FormError("corrupt_pdf", "the PDF is cut off (it does not end in %%EOF): download or copy it again")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise FormError(
                "encrypted_pdf",
                "the PDF is encrypted and needs a password to open: save an unprotected copy and ingest that",
            ) from None
        raise FormError("corrupt_pdf", f"the PDF cannot be read ({err}): it is damaged") from None
    if len(doc) == 0:
        doc.close()
        raise FormError("corrupt_pdf", "the PDF has no pages: it is damaged")
    return doc


def _load(doc: pdfium.PdfDocument, index: int) -> tuple[pdfium.PdfPage, pdfium.PdfTextPage]:
    try:
        page = doc[index]
    except pdfium.PdfiumError as err:
        raise FormError("corrupt_pdf", f"page {index + 1} of the PDF cannot be read ({err}): it is damaged") from None
    try:
        return page, page.get_textpage()
    except pdfium.PdfiumError as err:
        page.close()
        raise FormError("corrupt_pdf", f"page {index + 1} of the PDF cannot be read ({err}): it is damaged") from None


def _marked(text: str) -> bool:
    flat = squash(text)
    return any(marker in flat for marker in PDF_PAGE_MARKERS)


def _scanned(page: pdfium.PdfPage, text: str) -> bool:
    """A page that is a picture: an image covers most of it and it has (almost) no
    text — scanner apps stamp a line of text (a watermark, a page number) on their scans."""
    if len(squash(text)) > SCAN_TEXT_CHARS:
        return False
    width, height = page.get_size()
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) >= SCAN_IMAGE_SHARE * width * height:
            return True
    return False


def _ends_in_table(blocks: list[Block]) -> bool:
    """Whether a page ends in a table (its margins aside): the next page may continue it."""
    content = [b for b in blocks if not in_margin(b)]
    return bool(content) and isinstance(content[-1], PageTable)


def _starts_with_table(blocks: list[Block]) -> bool:
    """Whether a page begins with a table (its margins aside): it may continue the page before."""
    content = [b for b in blocks if not in_margin(b)]
    return bool(content) and isinstance(content[0], PageTable)


def _pages_text(numbers: list[int]) -> str:
    """``1-3, 7`` for [1, 2, 3, 7]."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def read_pdf(data: bytes, source: str, source_format: str) -> list[Grid]:
    doc = _open(data)
    grids: list[Grid] = []
    scans: list[int] = []
    run: list[list[Block]] = []
    first = 0
    try:
        total = len(doc)
        for index in range(min(total, MAX_PAGES)):
            number = index + 1
            page, textpage = _load(doc, index)
            try:
                text = page_text(textpage)
                if run and not text.strip() and not _scanned(page, text):
                    continue  # a blank page (a word processor's stray page break) does not end a run
                continues = bool(run) and _ends_in_table(run[-1])
                if _marked(text) or continues:
                    blocks = page_blocks(read_page(page, textpage, number))
                    if _marked(text) or _starts_with_table(blocks):
                        if not run:
                            first = number
                        run.append(blocks)
                        continue
                elif _scanned(page, text):
                    scans.append(number)
            finally:
                textpage.close()
                page.close()
            if run:
                grids.append(to_grid(run, first, first + len(run) - 1, source, source_format))
                run = []
        if run:
            grids.append(to_grid(run, first, first + len(run) - 1, source, source_format))
    finally:
        doc.close()
    if not grids:
        if scans:
            raise FormError(
                "scanned_pdf",
                f"the PDF has no text layer on pages {_pages_text(scans)} of {total}: "
                "it is a scan and needs OCR",
            )
        raise FormError(
            "no_form",
            f"none of the PDF's {total} pages holds a 自评表 title or label"
            + (f" (the first {MAX_PAGES} pages were read)" if total > MAX_PAGES else ""),
        )
    notes = []
    if scans:
        notes.append(Issue("scanned_pages", f"pages {_pages_text(scans)} have no text layer (scans): not read; they need OCR",
                           severity=Severity.WARNING))
    if total > MAX_PAGES:
        notes.append(Issue("pdf_pages_capped", f"only the first {MAX_PAGES} of {total} pages were read",
                           severity=Severity.WARNING))
    grids[0].issues.extend(notes)
    return grids
