"""Page numbers in text extracted from a PDF page by page (``pdftotext`` ends each page with a form feed).

A page's first or last line that is only a page number (``第1 页``, ``- 3 -``, ``3/12``,
``vocabulary.PDF_PAGE_NUMBER``) is the page's furniture, not a cell of the table it
interrupts. A bare number (``3``) is not taken for one: at a page's end it may be a
table's last value. Text without form feeds has no pages to tell, and nothing is dropped.
"""

from __future__ import annotations

import re

from ingest.vocabulary import PDF_PAGE_NUMBER

_PAGE_NUMBER = re.compile(PDF_PAGE_NUMBER)


def _is_page_number(text: str) -> bool:
    text = text.replace("\f", "").strip()
    return bool(_PAGE_NUMBER.match(text)) and not text.isdigit()


def page_number_lines(lines: list[str]) -> set[int]:
    """0-based indices of the lines that are a page's number: the first or last
    non-blank line of a page, in text whose pages end with a form feed."""
    if not any("\f" in line for line in lines):
        return set()
    found: set[int] = set()
    page: list[int] = []  # non-blank lines of the current page

    def close() -> None:
        for i in {page[0], page[-1]} if page else ():
            if _is_page_number(lines[i]):
                found.add(i)

    for i, line in enumerate(lines):
        parts = line.split("\f")
        for k, part in enumerate(parts):
            if k:
                close()
                page = []
            if part.strip():
                page.append(i)
    close()
    return found
