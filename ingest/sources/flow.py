"""Documents that flow text and tables (Word, web pages) as grids.

A Word document or a web page is a sequence of paragraphs and tables. Each
source turns its file into that sequence (:class:`Paragraph`,
:class:`Table`); this module groups it into grids:

* a table's grid starts with the paragraphs printed above it (since the
  previous table): the title and the ``(2022年度)`` line belong to the form
  below them, and land as one-cell rows;
* a table that follows the previous one with no text between them (only
  empty paragraphs, page or section breaks) — or with only a continuation
  mark such as ``续表`` — continues it: a form split over two tables by a
  page break is one grid. A table after a paragraph with text starts a new
  grid; the template reader splits a grid at titles in any case, so joining
  two forms printed back to back loses nothing;
* paragraphs after the last table end the last grid (notes, signatures).

A document without a table is refused (``no_table``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.grid import ROWS_RELIABLE, Cell, Grid, Row
from ingest.records import FormError
from ingest.text import squash
from ingest.vocabulary import CONTINUATION_MARKS


@dataclass(frozen=True)
class Paragraph:
    text: str
    ref: str  # 'paragraph 4' (Word), 'line 88' (a web page's source line)


@dataclass(frozen=True)
class TableCell:
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class Table:
    number: int  # 1-based, in document order
    rows: tuple[tuple[TableCell, ...], ...]


def _is_continuation(paragraphs: list[Paragraph]) -> bool:
    return all(squash(p.text).strip("()（）:：") in CONTINUATION_MARKS for p in paragraphs)


def _table_rows(table: Table, first_index: int) -> list[Row]:
    rows = []
    for k, cells in enumerate(table.rows):
        index = first_index + k
        where = f"table {table.number}, row {k + 1}"
        rows.append(Row(
            index,
            tuple(Cell(c.text, index, c.col, c.row_span, c.col_span, ref=f"{where}, cell {c.col + 1}",
                       line_no=index + 1) for c in cells),
            ref=where, line_no=index + 1,
        ))
    return rows


def _text_row(p: Paragraph, index: int) -> Row:
    return Row(index, (Cell(p.text, index, 0, ref=p.ref, line_no=index + 1),), ref=p.ref, line_no=index + 1)


def grids(items: list[Paragraph | Table], *, source: str, source_format: str, kind: str) -> list[Grid]:
    """Group a document's paragraphs and tables into grids (see the module doc)."""
    out: list[Grid] = []
    pending: list[Paragraph] = []
    for item in items:
        if isinstance(item, Paragraph):
            if item.text.strip():
                pending.append(item)
            continue
        if not item.rows:
            continue
        if out and (not pending or _is_continuation(pending)):
            grid = out[-1]
            grid.label = f"{grid.label.split('-')[0]}-{item.number}"
        else:
            grid = Grid([], source=source, source_format=source_format, label=f"table {item.number}",
                        row_breaks=ROWS_RELIABLE)
            out.append(grid)
        for p in pending:
            grid.rows.append(_text_row(p, len(grid.rows)))
        pending = []
        grid.rows.extend(_table_rows(item, len(grid.rows)))
    if not out:
        raise FormError("no_table", f"the {kind} has no table: a 自评表 is published as a table")
    for p in pending:
        out[-1].rows.append(_text_row(p, len(out[-1].rows)))
    return out
