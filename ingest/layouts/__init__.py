"""Layout parsers. Each module is one layout of extracted text and exposes

* ``NAME``: the layout's name, recorded with every file it parsed;
* ``detect(lines) -> bool``: whether a document's lines are in this layout;
* ``parse(text) -> ParsedFile``: the forms (and rejected forms) in the text.

Adding a layout is adding a module here and naming it in ``LAYOUTS``; the
first layout whose ``detect`` accepts a document parses it.
"""

from __future__ import annotations

from types import ModuleType

from ingest.layouts import pdftext, tabular

LAYOUTS: list[ModuleType] = [tabular, pdftext]


def detect_layout(lines: list[str]) -> ModuleType | None:
    for layout in LAYOUTS:
        if layout.detect(lines):
            return layout
    return None
