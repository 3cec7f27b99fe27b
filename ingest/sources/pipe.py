"""Pipe-delimited text: markdown tables and the pipe tables web-page converters leave.

What it reads:

* ``| a | b |`` lines, also without the outer pipes (``a | b |``, ``a | b``);
  a cell is the text between two pipes, stripped; an escaped ``\\|`` is a pipe
  inside a cell;
* empty cells are kept where the line shows them (``| a | | b |`` and the
  ``||||`` runs of a converter's empty columns), so positions keep their
  meaning: ``a | b | ||||`` is ``a``, ``b`` and four empty cells (the first
  pipe of a line and its last one are the table's border, never a cell);
* a markdown separator line (``|---|:---:|``, three dashes or more a cell)
  right under a table's first row (its header: the first pipe line after a
  blank or pipe-less line) and as wide as it is dropped, as markdown reads
  it; anywhere else such a line is data (``| ------ | --- |`` in a table is a
  row of two cells, as a placeholder row prints);
* a line that holds only a pipe (``|``) is one empty cell. Converters write
  such a line for an empty cell at the end of a table row (an indicator row
  whose value cells are blank, the empty cells after a title), so it is
  **appended to the row before it** as one more empty cell (``ref`` ``line N``),
  and a run of them makes a run of empty cells; a ``|`` line before any row
  starts a row of its own;
* a line with no pipe at all (page boilerplate, a title above the table) is a
  row of one cell, the whole line (``ref`` ``line N``).

Blank lines are skipped. Every other line is one row; its cells are
``line N, cell K`` (K counted from 1, the outer pipes not counted).

``row_breaks``: a pipe table from a web page has rows broken and merged (a
row's tail on the next line, two rows on one line), so the grid is
``ROWS_BROKEN``, its rows hints only. Only a markdown table proper (a
separator line under its first row, every table line with both outer pipes
and the same number of cells, no ``|``-only lines) is ``ROWS_RELIABLE``.
"""

from __future__ import annotations

import re

from ingest.grid import ROWS_BROKEN, ROWS_RELIABLE, Cell, Grid, Row, text_row

NAME = "pipe"

_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def split_cells(line: str) -> list[str] | None:
    """The cells of one pipe line, or None for a line without a pipe."""
    s = line.strip()
    if not _SPLIT.search(s):
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [part.strip().replace("\\|", "|") for part in _SPLIT.split(s)]


def is_separator(line: str) -> bool:
    return bool(_SEPARATOR.match(line.strip())) and "|" in line


def _lone_pipe(line: str) -> bool:
    return line.strip() == "|"


def detect(lines: list[str]) -> float:
    """Share of the text's lines that are pipe rows of two cells or more
    (a ``|``-only line counts half): 0.95 for a pipe table throughout."""
    content = [line for line in lines if line.strip()]
    if not content:
        return 0.0
    rows = 0.0
    for line in content:
        if _lone_pipe(line):
            rows += 0.5
            continue
        cells = split_cells(line)
        if cells is not None and len(cells) >= 2:
            rows += 1
    share = rows / len(content)
    return round(0.95 * share, 4) if share >= 0.2 else 0.0


def read(text: str) -> list[Grid]:
    rows: list[Row] = []
    widths: set[int] = set()
    outer_pipes = True
    lone_lines = False
    separator_at: int | None = None
    first_table_row: int | None = None
    run = 0  # pipe rows read since the last blank or pipe-less line
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            run = 0
            continue
        if run == 1 and is_separator(line) and len(split_cells(line) or []) == len(rows[-1].cells):
            if separator_at is None:
                separator_at = len(rows)
            run += 1
            continue
        if _lone_pipe(line):
            lone_lines = True
            if rows:
                rows[-1] = _append_empty(rows[-1], line_no)
            else:
                rows.append(_one_cell_row(0, "", line_no))
            continue
        cells = split_cells(line)
        if cells is None:
            rows.append(_one_cell_row(len(rows), line.strip(), line_no))
            run = 0
            continue
        run += 1
        stripped = line.strip()
        outer_pipes &= stripped.startswith("|") and stripped.endswith("|")
        widths.add(len(cells))
        if first_table_row is None:
            first_table_row = len(rows)
        rows.append(text_row(len(rows), cells, line_no))
    markdown_proper = (
        first_table_row is not None and separator_at == first_table_row + 1
    ) and outer_pipes and len(widths) == 1 and not lone_lines
    return [Grid(rows=rows, source=NAME, row_breaks=ROWS_RELIABLE if markdown_proper else ROWS_BROKEN)]


def _one_cell_row(index: int, text: str, line_no: int) -> Row:
    cell = Cell(text=text, row=index, col=0, ref=f"line {line_no}", line_no=line_no)
    return Row(index, (cell,), ref=f"line {line_no}", line_no=line_no)


def _append_empty(row: Row, line_no: int) -> Row:
    """``row`` with one more empty cell, read from the ``|``-only line ``line_no``."""
    cell = Cell(text="", row=row.index, col=len(row.cells), ref=f"line {line_no}", line_no=line_no)
    first = row.line_no if row.line_no is not None else line_no
    return Row(
        row.index,
        row.cells + (cell,),
        ref=f"lines {first}-{line_no}",
        line_no=row.line_no,
        confidence=row.confidence,
        note=row.note,
    )
