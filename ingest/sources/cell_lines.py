"""One cell per line or per paragraph: the table flattened into a stream of cells.

Two ways web pages leave a table as text, read the same way:

* **one cell per line, each ending in ``|``** (``项目名称 |``): a line is one
  cell, its text without the closing pipe; a line that holds only ``|`` is an
  empty cell. A line without the closing pipe is a cell too (its whole text).
  Blank lines are skipped.
* **one cell per paragraph** (Word pages saved as text): paragraphs are
  separated by blank lines; a paragraph is one cell, and a cell may span
  several lines (``项目资金`` / ``(万元)``), kept joined by a line break. A
  paragraph made only of no-break spaces (U+00A0) or other spacing is an
  empty cell: such pages write their empty cells that way. A run of several
  blank lines is one separator, never an empty cell (only what the page wrote
  as a cell is one).

The text is in the first way when most of its lines end in ``|``; otherwise in
the second.

Nothing in such text says where a table row ends: the grid is ``ROWS_NONE``,
with one row per cell (row index = the cell's place in the stream, column 0),
so the template reader sees the cells in the order they were printed. A cell's
``ref`` is ``line N``, or ``lines N-M`` for a paragraph over several lines.
"""

from __future__ import annotations

from ingest.grid import ROWS_NONE, Cell, Grid, Row

NAME = "cell_lines"

_SPACING = " \t\u00a0\u3000"
_MIN_PARAGRAPH_SCORE = 0.3


def _is_blank(line: str) -> bool:
    """A blank line separates paragraphs; a line of no-break spaces does not
    (it is an empty cell)."""
    return not line.strip(" \t")


def _bar_line(line: str) -> bool:
    """A line holding one cell and its closing pipe (``项目名称 |``, ``|``)."""
    s = line.strip()
    return s.endswith("|") and s.count("|") == 1


def _bar_share(content: list[str]) -> float:
    return sum(_bar_line(line) for line in content) / len(content) if content else 0.0


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line indices of each paragraph."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if _is_blank(line):
            if start is not None:
                spans.append((start, i - 1))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(lines) - 1))
    return spans


def detect(lines: list[str]) -> float:
    """0.95 × the share of ``… |`` lines; or, for paragraph text, how much of
    it is short paragraphs of one or two lines without spaces inside (a cell
    each): pdftotext output, whose blank-line separated blocks hold several
    space-separated cells, scores low, and below 0.3 the score is 0."""
    content = [line for line in lines if not _is_blank(line)]
    if not content:
        return 0.0
    bar = _bar_share(content)
    if bar >= 0.5:
        return round(0.95 * bar, 4)
    spans = _paragraphs(lines)
    blank_share = 1 - len(content) / len(lines)
    if blank_share < 0.3:
        return 0.0
    short = sum(1 for a, b in spans if b - a <= 1) / len(spans)
    spaced = sum(1 for a, b in spans if any(" " in lines[i].strip(_SPACING) for i in range(a, b + 1))) / len(spans)
    score = 0.9 * short * (1 - spaced) ** 4
    return round(score, 4) if score >= _MIN_PARAGRAPH_SCORE else 0.0


def read(text: str) -> list[Grid]:
    lines = text.split("\n")
    content = [line for line in lines if not _is_blank(line)]
    cells: list[tuple[str, int, int]] = []  # text, first line, last line (1-based)
    if _bar_share(content) >= 0.5:
        for i, line in enumerate(lines, start=1):
            if _is_blank(line):
                continue
            s = line.strip()
            if s.endswith("|"):
                s = s[:-1]
            cells.append((s.strip(_SPACING), i, i))
    else:
        for a, b in _paragraphs(lines):
            parts = [lines[i].strip(_SPACING) for i in range(a, b + 1)]
            cells.append(("\n".join(p for p in parts if p), a + 1, b + 1))
    rows = [_cell_row(k, t, first, last) for k, (t, first, last) in enumerate(cells)]
    return [Grid(rows=rows, source=NAME, row_breaks=ROWS_NONE)]


def _cell_row(index: int, text: str, first: int, last: int) -> Row:
    ref = f"line {first}" if first == last else f"lines {first}-{last}"
    cell = Cell(text=text, row=index, col=0, ref=ref, line_no=first)
    return Row(index, (cell,), ref=ref, line_no=first)
