"""Sources: one module per way a file holds the form's table, each making a
:class:`ingest.grid.Grid` of it (see that module for the object model).

Two kinds, both plain modules:

* **file sources** read a binary format, recognised by its content (magic
  bytes), never by the file name alone. A module exposes
  ``NAME`` (recorded as ``raw.forms.layout``), ``FORMAT``
  (``raw.forms.source_format``: ``xlsx``, ``xls``, ``ods``, ``docx``,
  ``html``, ``pdf``), ``sniff(data: bytes) -> bool`` and
  ``read(data: bytes) -> list[Grid]`` (one grid per sheet / table / run of
  pages). A file it recognises but must refuse raises
  :class:`ingest.records.FormError` with a code (``scanned_pdf``,
  ``encrypted``, ``legacy_format`` …) and a reason a user can act on.
* **text sources** read decoded text in one delimiting. A module exposes
  ``NAME``, ``detect(lines: list[str]) -> float`` (how well the text fits,
  0 = not at all; the best fit reads the file) and
  ``read(text: str) -> list[Grid]``. Their ``FORMAT`` is ``text``.

Adding a source is adding a module here and naming it in ``FILE_SOURCES`` or
``TEXT_SOURCES``.
"""

from __future__ import annotations

from types import ModuleType

from ingest.sources import cell_lines, docx, html, legacy, ods, pdf, pipe, reading_order, spaced, tabular, xls, xlsx

# File sources are tried in this order: zip packages by their members, OLE2
# files (Excel 97-2003 workbooks, then the legacy formats refused), PDF, web
# pages last (their sniffing looks at text).
FILE_SOURCES: list[ModuleType] = [xlsx, docx, ods, xls, legacy, pdf, html]
TEXT_SOURCES: list[ModuleType] = [tabular, pipe, cell_lines, reading_order, spaced]


def sniff_file(data: bytes) -> ModuleType | None:
    """The file source whose format these bytes are in, or None (text)."""
    for source in FILE_SOURCES:
        if source.sniff(data):
            return source
    return None


def detect_text(lines: list[str]) -> ModuleType | None:
    """The text source that fits these lines best, or None."""
    best, best_score = None, 0.0
    for source in TEXT_SOURCES:
        score = source.detect(lines)
        if score > best_score:
            best, best_score = source, score
    return best
