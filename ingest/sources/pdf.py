"""PDF with a text layer: cells from the ruling lines, or from word positions.

The file source of PDFs (see ``ingest/sources/__init__.py``): recognised by
``%PDF-`` in the first kilobyte, read by ``ingest/pdfread`` — pages through
PDFium (pypdfium2), cells from pdfplumber's table finder run on their lines,
a table continued over a page break joined, one grid per run of pages that
hold forms. Scans, encrypted, cut-off or damaged PDFs and PDFs without a form
are refused (``scanned_pdf``, ``encrypted_pdf``, ``corrupt_pdf``, ``no_form``);
``ingest/pdfread/document.py`` says when. The readers are imported on the
first PDF, so processes that see none do not pay for loading them.
"""

from __future__ import annotations

from ingest.grid import Grid

NAME = "pdf"
FORMAT = "pdf"


def sniff(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def read(data: bytes) -> list[Grid]:
    from ingest.pdfread.document import read_pdf

    return read_pdf(data, NAME, FORMAT)
