"""The cell grid: what every source makes of a file, and all the template reader reads.

Reading a form is two steps. A **source** (``ingest/sources/``) turns a file —
text in some delimiting, a spreadsheet, a Word or PDF document, a web page —
into one or more :class:`Grid` objects: rows of :class:`Cell` objects, each
with its text, its position (row, column, spans) and where it came from. The
**template reader** (``ingest/template/``) turns any grid into forms by their
labels; it never sees the file.

Like pdfplumber's page objects, one object model serves every extraction:

* a cell's ``text`` is what was printed, stripped (no decoding left to do);
  an empty cell is ``""`` and is kept where the source knows of it (a tab
  between two tabs, an empty ``<td>``, a blank spreadsheet cell inside the
  used range), so that positions keep their meaning;
* ``row``/``col`` are 0-based positions in the grid; a merged cell stands
  once, at its top-left position, with ``row_span``/``col_span`` > 1 (sources
  that cannot know spans, such as tab-separated text, leave them 1);
* ``ref`` says where the cell was read, as a person would cite it:
  ``line 88`` / ``line 88, cell 3`` (text), ``Sheet1!C14`` (spreadsheets),
  ``table 3, row 12`` (Word, web pages), ``p.2 [x0 y0 x1 y1]`` (PDF);
* ``line_no`` is the 1-based line of a text file the cell was read from (the
  ``line_no``/``line_start``/``line_end`` columns); other sources give the
  row number of the grid instead, so every landed row still has one.

A row may carry a ``confidence`` below 1 with a ``note`` saying why (a
reconstruction of scrambled text that is a best fit, not a reading); the
template reader passes it on to the rows it lands as ``uncertain_reason``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.records import Issue


@dataclass(slots=True, unsafe_hash=True)
class Cell:
    """One cell; never changed once made (not ``frozen`` only because a frozen
    dataclass's ``__init__`` costs a third of reading a tab-separated file:
    sources make one per cell, empty ones included). Hashed and compared by value."""

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    ref: str = ""
    line_no: int | None = None

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True, unsafe_hash=True)
class Row:
    """One row of a grid: its cells left to right (never changed once made;
    not ``frozen`` for the same reason as :class:`Cell`)."""

    index: int
    cells: tuple[Cell, ...]
    ref: str = ""
    line_no: int | None = None
    confidence: float = 1.0
    note: str | None = None  # why confidence < 1

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]

    def __len__(self) -> int:
        return len(self.cells)


@dataclass
class Grid:
    """One table-like unit of a file: a text file, a sheet, a Word or HTML
    table, a PDF's run of pages. ``source`` names the source module that made
    it (recorded as ``raw.forms.layout``), ``source_format`` the file's format
    (``raw.forms.source_format``), ``label`` the unit within the file
    (``Sheet1``, ``table 3``, ``p.1-2``; empty for a text file). ``row_breaks``
    says whether its rows are the table's rows (see the constants below): the
    template reader leans on row boundaries only as far as they deserve."""

    rows: list[Row]
    source: str
    source_format: str = "text"
    label: str = ""
    issues: list[Issue] = field(default_factory=list)  # what the source noticed (warnings)
    row_breaks: str = "reliable"  # ROWS_RELIABLE | ROWS_BROKEN | ROWS_NONE (below)
    # the text lines a reconstruction drew this grid from, when it holds one form whose lines
    # spread beyond its cells (pdftext: the form's line_start / line_end)
    lines: tuple[int, int] | None = None
    # rows are printed lines of a table whose cells were centred vertically (``pdftotext -layout`` of
    # office software's PDFs): a merged category's label stands at the middle of the rows it spans, so
    # the row it is printed beside need not be the first of them (the reader fills no category down)
    labels_centred: bool = False
    # rows the source could not read exactly, by row index: (code, reason); the template reader refuses
    # the form holding such a row with that reason (``pdftotext -layout``: a wrapped cell's line whose
    # column is not the only one it can be, :mod:`ingest.sources.top_aligned`)
    unreadable_rows: dict[int, tuple[str, str]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def cells(self) -> Iterator[Cell]:
        for row in self.rows:
            yield from row.cells


def text_row(index: int, texts: list[str], line_no: int, *, confidence: float = 1.0, note: str | None = None) -> Row:
    """A row read from one line of a text file: cell k of line n is
    ``line n, cell k+1`` (the row itself is ``line n``)."""
    ref = f"line {line_no}"
    at = f"{ref}, cell "
    # positional arguments: keywords make every call build a dict (a third of the cost)
    cells = tuple([Cell(t, index, k, 1, 1, at + _NUMBERS[k] if k < _KNOWN else f"{at}{k + 1}", line_no)
                   for k, t in enumerate(texts)])
    return Row(index, cells, ref, line_no, confidence, note)


# "1", "2", …: the cell numbers of a text row's refs, formatted once
_KNOWN = 256
_NUMBERS = tuple(str(k + 1) for k in range(_KNOWN))


# How far a grid's rows can be trusted to be the table's rows (``Grid.row_breaks``):
#: rows are the table's rows (tab-separated text, spreadsheets, Word, HTML, PDF tables)
ROWS_RELIABLE = "reliable"
#: rows are lines that a converter may have broken or merged (pipe tables from web pages,
#: space-separated text): a row may hold parts of two table rows, or part of one
ROWS_BROKEN = "broken"
#: no row structure at all (one cell per line or paragraph, a table flattened onto one line)
ROWS_NONE = "none"
