"""A run of pages' blocks into one :class:`ingest.grid.Grid`.

* A ruled table that ends a page and one that starts the next page with the
  same columns, nothing but page numbers between them, are one table: its
  rows run on, and a cell the page break cut (open at the bottom of one page,
  open at the top of the next, same columns) is one cell spanning both.
* Lines of text become rows in reading order: a title or a year is a
  one-cell row; a run of lines of several chunks (a table printed without
  rules) gets columns from the gaps its lines share (``word_columns``).
* ``ref`` of a cell is ``p.N [x0 y0 x1 y1]`` in PDF points (origin at the
  page's bottom left, as PDF viewers count); ``line_no`` is the grid row (1-based).
"""

from __future__ import annotations

import re
from collections import Counter
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ingest.grid import ROWS_BROKEN, ROWS_RELIABLE, Cell, Grid, Row
from ingest.template.labels import is_year_line, title_kind
from ingest.pdfread.layout import SAME_X, Block, Chunk, PageTable, TableCell, TextLine, cluster, join_lines, nearest
from ingest.vocabulary import PDF_PAGE_NUMBER

_PAGE_NUMBER = re.compile(PDF_PAGE_NUMBER)
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
MARGIN = 0.1  # page numbers are looked for in the top and bottom tenth of a page
# A column gap of a table without rules may be crossed by this share of its lines
# (a long goal text, a name centred over several columns).
CROSSING_SHARE = 0.2


def ref(page: int, page_height: float, x0: float, top: float, x1: float, bottom: float) -> str:
    return f"p.{page} [{x0:.1f} {page_height - bottom:.1f} {x1:.1f} {page_height - top:.1f}]"


def in_margin(block: Block) -> bool:
    return isinstance(block, TextLine) and (
        block.bottom <= block.page_height * MARGIN or block.top >= block.page_height * (1 - MARGIN)
    )


def is_page_number(block: Block) -> bool:
    return in_margin(block) and bool(_PAGE_NUMBER.match(block.text.strip()))


def _furniture_key(block: TextLine) -> str:
    return _DIGITS.sub("#", "".join(block.text.split()))


def running_lines(pages: list[list[Block]]) -> set[str]:
    """Running heads and feet: lines in a page's margin that recur (numbers aside) on
    two or more pages of the run. A form's own title or year line is never one:
    forms that each begin a page print the same title in the same place, and
    taking it for a running head (kept once) would join their pages into one form."""
    counts: Counter[str] = Counter()
    for blocks in pages:
        counts.update({_furniture_key(b) for b in blocks if in_margin(b) and not _form_line(b.text)})
    return {key for key, n in counts.items() if n >= 2}


def _form_line(text: str) -> bool:
    """A form's title (财政项目支出绩效自评表) or its year line ((2022 年度))."""
    return title_kind(text) is not None or is_year_line(text)


def same_columns(upper: PageTable, lower: PageTable) -> bool:
    """Whether ``lower`` (top of a page) continues ``upper`` (end of the page before):
    the same outer edges and most of its column boundaries where ``upper`` has them."""
    if abs(upper.xs[0] - lower.xs[0]) > SAME_X or abs(upper.xs[-1] - lower.xs[-1]) > SAME_X:
        return False
    matched = sum(1 for x in lower.xs if abs(upper.xs[nearest(upper.xs, x)] - x) <= SAME_X)
    return matched >= 0.66 * len(lower.xs)


@dataclass
class _Table:
    """A ruled table, possibly over several pages."""

    parts: list[PageTable]


def join_pages(pages: list[list[Block]]) -> list[Block | _Table]:
    """Blocks of consecutive pages in reading order, page numbers dropped, running
    heads and feet given once at the start (they may carry the year), and tables
    continued across a page break joined."""
    running = running_lines(pages) if len(pages) > 1 else set()
    heads: dict[str, TextLine] = {}
    out: list[Block | _Table] = []
    for blocks in pages:
        kept = []
        for block in blocks:
            if is_page_number(block):
                continue
            if in_margin(block) and _furniture_key(block) in running:
                heads.setdefault(_furniture_key(block), block)
                continue
            kept.append(block)
        if kept and isinstance(kept[0], PageTable) and out and isinstance(out[-1], _Table):
            last = out[-1].parts[-1]
            if last.page == kept[0].page - 1 and same_columns(last, kept[0]):
                out[-1].parts.append(kept[0])
                kept = kept[1:]
        for block in kept:
            out.append(_Table([block]) if isinstance(block, PageTable) else block)
    return [*heads.values(), *out]


@dataclass
class _Placed:
    """A cell of the grid: where it starts (its box gives the ref), and how far it runs."""

    first: TableCell
    part: PageTable
    row: int
    col: int
    col_span: int
    row_span: int
    text: str
    open_bottom: bool = False


def _is_split_row(first: list[TableCell], ending: dict[tuple[int, int], _Placed], key) -> bool:
    """Whether the first row of a page only finishes the last row of the page
    before (word processors let a row break across pages): it holds text in at
    least one column where that row has text of its own, in at most half as many
    cells, elsewhere only under a merged cell that spans the break with text of
    its own (a category over several rows whose label the break cut: the same
    cell, as the row is the same row), and no number (a new indicator row has its
    weight and score)."""
    if any(c.open_top for c in first):
        return False
    below = {key(c): c.text for c in first if c.text}
    own = {k for k, p in ending.items() if p.text and p.row_span == 1}
    merged = {k for k, p in ending.items() if p.text and p.row_span > 1}
    continued = set(below) & own
    return (
        bool(continued) and set(below) <= own | merged and 2 * len(continued) <= len(own)
        and not any(_NUMBER.match(t) for t in below.values())
    )


def _table_rows(table: _Table, start: int) -> list[Row]:
    xs = cluster([x for part in table.parts for x in part.xs], SAME_X)

    def key(cell: TableCell) -> tuple[int, int]:
        col = nearest(xs, cell.x0)
        return col, max(1, nearest(xs, cell.x1) - col)

    placed: list[_Placed] = []
    boxes: dict[int, tuple[PageTable, float, float]] = {}  # grid row -> its part, top, bottom
    ending: dict[tuple[int, int], _Placed] = {}  # cells reaching the bottom of the part before
    offset = start
    for part in table.parts:
        first = [c for c in part.cells if c.row == 0]
        split = bool(ending) and _is_split_row(first, ending, key)
        if split:
            offset -= 1  # this part's first row is the last row of the part before
        still: dict[tuple[int, int], _Placed] = {}
        for cell in part.cells:
            k = key(cell)
            above = ending.get(k) if cell.row == 0 else None
            goes_on = above is not None and (
                split or (cell.open_top and above.open_bottom)  # cut by the page break (office software)
                or (not cell.text and max(cell.row_span, above.row_span) > 1)  # a merged cell, its label printed once
            )
            if goes_on:
                above.row_span += cell.row_span - (1 if split else 0)
                if cell.text and cell.text != above.text:
                    above.text = join_lines([above.text, cell.text]) if above.text else cell.text
                target = above
            else:
                target = _Placed(cell, part, offset + cell.row, k[0], k[1], cell.row_span, cell.text)
                placed.append(target)
            if cell.row + cell.row_span == len(part.ys) - 1:
                target.open_bottom = cell.open_bottom
                still[k] = target
        for r in range(len(part.ys) - 1):
            boxes.setdefault(offset + r, (part, part.ys[r], part.ys[r + 1]))
        ending = still
        offset += len(part.ys) - 1
    by_row: dict[int, list[_Placed]] = {}
    for p in placed:
        by_row.setdefault(p.row, []).append(p)
    rows: list[Row] = []
    for index in range(start, offset):
        cells = tuple(
            Cell(text=p.text, row=index, col=p.col, row_span=p.row_span, col_span=p.col_span,
                 ref=ref(p.part.page, p.part.page_height, p.first.x0, p.first.top, p.first.x1, p.first.bottom),
                 line_no=index + 1)
            for p in sorted(by_row.get(index, []), key=lambda p: p.col)
        )
        part, top, bottom = boxes[index]
        rows.append(Row(index, cells, ref=ref(part.page, part.page_height, xs[0], top, xs[-1], bottom), line_no=index + 1))
    return rows


def word_columns(lines: list[TextLine]) -> list[tuple[float, float]]:
    """The column gaps of a table printed without rules, left to right: the
    stretches that (nearly) all its lines of several chunks leave free."""
    table_lines = [ln for ln in lines if len(ln.chunks) > 1]
    if not table_lines:
        return []
    left = int(min(c.x0 for ln in table_lines for c in ln.chunks))
    right = int(max(c.x1 for ln in table_lines for c in ln.chunks)) + 1
    cover = [0] * (right - left + 1)
    for line in table_lines:
        for chunk in line.chunks:
            for x in range(int(chunk.x0) - left, int(chunk.x1) - left + 1):
                cover[x] += 1
    limit = int(CROSSING_SHARE * len(table_lines))
    bounds, gap_start = [], None
    for x, count in enumerate(cover):
        if count <= limit and gap_start is None:
            gap_start = x
        elif count > limit and gap_start is not None:
            if gap_start > 0:
                bounds.append((left + gap_start, left + x))
            gap_start = None
    return bounds


def _chunk_cells(line: TextLine, gaps: list[tuple[float, float]], index: int) -> tuple[Cell, ...]:
    """A chunk's column is the one after the last gap that opens left of it (a
    chunk starting inside a gap, as a long text crossing it does, is right of it);
    it spans the columns up to the last gap it crosses."""
    starts, ends = [g[0] for g in gaps], [g[1] for g in gaps]
    cells: list[Cell] = []
    next_free = 0
    for chunk in line.chunks:
        first = bisect_right(starts, chunk.x0)
        col = max(first, next_free)
        span = max(1, bisect_left(ends, chunk.x1) - first + 1)
        cells.append(_text_cell(chunk, line, index, col, span))
        next_free = col + span
    return tuple(cells)


def _text_cell(chunk: Chunk, line: TextLine, index: int, col: int, span: int) -> Cell:
    return Cell(
        text=chunk.text, row=index, col=col, col_span=span,
        ref=ref(line.page, line.page_height, chunk.x0, chunk.top, chunk.x1, chunk.bottom), line_no=index + 1,
    )


def _text_rows(run: list[TextLine], start: int) -> tuple[list[Row], bool]:
    """Rows of a run of text lines, and whether it held a table without rules."""
    multi = [k for k, ln in enumerate(run) if len(ln.chunks) > 1]
    bounds = word_columns(run) if len(multi) >= 2 else []
    rows = []
    for k, line in enumerate(run):
        index = start + k
        if bounds and multi[0] <= k <= multi[-1]:
            cells = _chunk_cells(line, bounds, index)
        else:  # a title, a year, a note: one cell
            merged = Chunk(line.text, min(c.x0 for c in line.chunks), line.top, max(c.x1 for c in line.chunks), line.bottom)
            cells = (_text_cell(merged, line, index, 0, 1),)
        box = ref(line.page, line.page_height, min(c.x0 for c in line.chunks), line.top, max(c.x1 for c in line.chunks), line.bottom)
        rows.append(Row(index, cells, ref=box, line_no=index + 1))
    return rows, bool(bounds)


def to_grid(pages: list[list[Block]], first_page: int, last_page: int, source: str, source_format: str) -> Grid:
    rows: list[Row] = []
    unruled = False
    run: list[TextLine] = []

    def flush() -> None:
        nonlocal unruled
        if run:
            text_rows, had_table = _text_rows(run, len(rows))
            rows.extend(text_rows)
            unruled = unruled or had_table
            run.clear()

    for block in join_pages(pages):
        if isinstance(block, _Table):
            flush()
            rows.extend(_table_rows(block, len(rows)))
        else:
            run.append(block)
    flush()
    label = f"p.{first_page}" if first_page == last_page else f"p.{first_page}-{last_page}"
    return Grid(rows, source=source, source_format=source_format, label=label,
                row_breaks=ROWS_BROKEN if unruled else ROWS_RELIABLE)
