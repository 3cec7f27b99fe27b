"""A page's content as blocks in reading order: ruled tables and lines of text.

Pure geometry on what ``extract`` read. Ruled tables come from pdfplumber's
table finder (``pdfplumber.table``: edges → intersections → cells → tables)
run on the page's lines; a table cut by the page's end has no closing line
there, so each table's frame is closed first and the cells it cuts are marked
open (``open_top`` / ``open_bottom``) for ``assemble`` to join them to the
next page. Characters outside tables become lines of text, split into chunks
at wide gaps: the lines of a table printed without rules.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges

from ingest.pdfread.extract import Char, PageContent
from ingest.text import join_lines

SNAP = 3.0  # points: lines this close are one line (pdfplumber's default tolerance)
MIN_EDGE = 3.0  # points: shorter segments are glyph strokes or dots, not rules
SAME_X = 2.0  # points: column boundaries this close are one
CHUNK_GAP = 1.0  # a gap wider than this many character heights splits a line into chunks (cells)
WORD_GAP = 0.25  # a gap wider than this many character heights within a chunk is a space
# A page whose horizontal × vertical lines (after merging) exceed this is a drawing — a
# chart, a map, a hatched area — not a form's table (a national form has about 40 × 40):
# its lines are not searched for cells, a search that grows with that product (≈ 1 s a
# million pairs, so a page costs at most a few seconds); its text is read from word positions.
MAX_LINE_PAIRS = 2_000_000


@dataclass
class TableCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    row: int = 0
    col: int = 0
    row_span: int = 1
    col_span: int = 1
    open_top: bool = False  # the table's frame was closed here: the cell goes on from the page before
    open_bottom: bool = False  # … goes on onto the next page


@dataclass
class PageTable:
    page: int
    page_height: float
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[TableCell]  # in reading order (row, col)

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]


@dataclass
class Chunk:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class TextLine:
    page: int
    page_height: float
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chunks)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chunks)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.chunks)


Block = PageTable | TextLine


# -- clustering helpers -------------------------------------------------------------
def cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted representatives of values, those within ``tolerance`` of each other made one."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def nearest(bounds: list[float], value: float) -> int:
    k = bisect_left(bounds, value)
    if k == len(bounds) or (k > 0 and value - bounds[k - 1] < bounds[k] - value):
        k -= 1
    return k


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def lines_of(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines (by their vertical centre), each left to right."""
    lines: list[list[Char]] = []
    centres: list[float] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        height = ch.bottom - ch.top
        if lines and abs(ch.cy - centres[-1]) <= height * 0.45:
            lines[-1].append(ch)
        else:
            lines.append([ch])
            centres.append(ch.cy)
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def join_chars(line: list[Char]) -> str:
    out: list[str] = []
    prev: Char | None = None
    for ch in line:
        if prev is not None and ch.x0 - prev.x1 > WORD_GAP * (ch.bottom - ch.top):
            out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


# -- ruled tables ----------------------------------------------------------------------
def _length(edge: dict) -> float:
    return edge["width"] if edge["orientation"] == "h" else edge["height"]


def _frames(edges: list[dict]) -> list[dict]:
    """A closing line at the top and the bottom of each group of vertical rules that
    already has rows: a table cut by the page's end (or start) has none there."""
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["top"])
    groups: list[list[dict]] = []
    for v in verticals:
        if groups and v["top"] <= max(e["bottom"] for e in groups[-1]) + SNAP:
            groups[-1].append(v)
        else:
            groups.append([v])
    frames = []
    for group in groups:
        if len(group) < 2:
            continue
        x0, x1 = min(e["x0"] for e in group), max(e["x0"] for e in group)
        top, bottom = min(e["top"] for e in group), max(e["bottom"] for e in group)
        inside = [e for e in edges if e["orientation"] == "h" and top - SNAP <= e["top"] <= bottom + SNAP]
        if len(inside) < 2:
            continue
        for y in (top, bottom):
            frames.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"})
    return frames


def _covered(horizontals: list[dict], y: float, x0: float, x1: float) -> bool:
    """Whether a printed rule runs along y over most of x0..x1."""
    run = sum(
        max(0.0, min(x1, e["x1"]) - max(x0, e["x0"])) for e in horizontals if abs(e["top"] - y) <= SNAP
    )
    return run >= 0.5 * (x1 - x0)


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells`` (the smallest rectangle whose four
    corners are joined by rules, from each intersection), with each point's
    rules as sets of ids: the same cells, about five times faster."""
    v_ids = {p: {id(e) for e in d["v"]} for p, d in intersections.items()}
    h_ids = {p: {id(e) for e in d["h"]} for p, d in intersections.items()}
    points = sorted(intersections)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for pt in points:
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)
    cells = []
    for pt in points:
        below = [q for q in by_x[pt[0]] if q[1] > pt[1] and v_ids[pt] & v_ids[q]]
        right = [q for q in by_y[pt[1]] if q[0] > pt[0] and h_ids[pt] & h_ids[q]]
        found = None
        for b in below:
            for r in right:
                corner = (r[0], b[1])
                if corner in intersections and v_ids[corner] & v_ids[r] and h_ids[corner] & h_ids[b]:
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def ruled_tables(page: PageContent) -> list[PageTable]:
    edges = [e for e in page.edges if _length(e) >= MIN_EDGE]
    if not edges:
        return []
    edges = merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    horizontal = sum(1 for e in edges if e["orientation"] == "h")
    if horizontal * (len(edges) - horizontal) > MAX_LINE_PAIRS:
        return []
    printed_h = [e for e in edges if e["orientation"] == "h"]
    edges = merge_edges(edges + _frames(edges), SNAP, SNAP, SNAP, SNAP)
    boxes = cells_to_tables(_cells(edges_to_intersections(edges, SNAP, SNAP)))
    tables = []
    for group in boxes:
        xs = cluster([v for b in group for v in (b[0], b[2])], SAME_X)
        ys = cluster([v for b in group for v in (b[1], b[3])], SAME_X)
        cells = []
        for x0, top, x1, bottom in group:
            row, col = nearest(ys, top), nearest(xs, x0)
            cell = TableCell(
                x0, top, x1, bottom, row=row, col=col,
                row_span=max(1, nearest(ys, bottom) - row), col_span=max(1, nearest(xs, x1) - col),
            )
            cell.open_top = row == 0 and not _covered(printed_h, top, x0, x1)
            cell.open_bottom = row + cell.row_span == len(ys) - 1 and not _covered(printed_h, bottom, x0, x1)
            cells.append(cell)
        cells.sort(key=lambda c: (c.row, c.col))
        tables.append(PageTable(page.number, page.height, xs, ys, cells))
    return tables


def _fill(table: PageTable, chars: list[Char]) -> list[Char]:
    """Put each character into the cell under its centre; the characters outside come back."""
    slots: dict[tuple[int, int], TableCell] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                slots[(r, c)] = cell
    held: dict[int, list[Char]] = {}
    outside: list[Char] = []
    xs, ys = table.xs, table.ys
    for ch in chars:
        c, r = bisect_right(xs, ch.cx) - 1, bisect_right(ys, ch.cy) - 1
        cell = slots.get((r, c)) if 0 <= c < len(xs) - 1 and 0 <= r < len(ys) - 1 else None
        if cell is None:
            outside.append(ch)
        else:
            held.setdefault(id(cell), []).append(ch)
    for cell in table.cells:
        if id(cell) in held:
            cell.text = join_lines([join_chars(line) for line in lines_of(held[id(cell)])])
    return outside


# -- text outside tables --------------------------------------------------------------------
def text_lines(page: PageContent, chars: list[Char]) -> list[TextLine]:
    out = []
    for line in lines_of(chars):
        text_line = TextLine(page.number, page.height)
        run: list[Char] = []
        for ch in line:
            if run and ch.x0 - run[-1].x1 > CHUNK_GAP * (ch.bottom - ch.top):
                text_line.chunks.append(_chunk(run))
                run = []
            run.append(ch)
        text_line.chunks.append(_chunk(run))
        out.append(text_line)
    return out


def _chunk(chars: list[Char]) -> Chunk:
    return Chunk(
        join_chars(chars), min(c.x0 for c in chars), min(c.top for c in chars),
        max(c.x1 for c in chars), max(c.bottom for c in chars),
    )


def _open_cell(table: PageTable, chunk: Chunk, below: bool) -> TableCell | None:
    centre = (chunk.x0 + chunk.x1) / 2
    for cell in table.cells:
        if (cell.open_bottom if below else cell.open_top) and cell.x0 <= centre <= cell.x1:
            return cell
    return None


def _take_overflow(table: PageTable, lines: list[TextLine], below: bool) -> list[TextLine]:
    """Text printed beyond a table's cut edge, under a cell the cut leaves open,
    is that cell's text (a merged cell across the page break: office software
    prints its text centred in the whole cell and clips it to the page). The
    lines nearest the edge are taken while every chunk of a line fits one."""
    if not any(c.open_bottom if below else c.open_top for c in table.cells):
        return lines
    beyond = sorted(
        (ln for ln in lines if (ln.top >= table.bottom - SNAP if below else ln.bottom <= table.top + SNAP)),
        key=lambda ln: ln.top if below else -ln.bottom,
    )
    taken: dict[int, list[str]] = {}
    cells: dict[int, TableCell] = {}
    used: set[int] = set()
    for line in beyond:
        homes = [_open_cell(table, chunk, below) for chunk in line.chunks]
        if any(h is None for h in homes):
            break
        for chunk, home in zip(line.chunks, homes):
            taken.setdefault(id(home), []).append(chunk.text)
            cells[id(home)] = home
        used.add(id(line))
    for key, texts in taken.items():
        cell = cells[key]
        parts = texts if below else texts[::-1]
        cell.text = join_lines([t for t in ([cell.text] if below else []) + parts + ([] if below else [cell.text]) if t])
    return [ln for ln in lines if id(ln) not in used]


def page_blocks(page: PageContent) -> list[Block]:
    """The page's ruled tables and its other lines of text, top to bottom."""
    tables = ruled_tables(page)
    chars = page.chars
    for table in tables:
        chars = _fill(table, chars)
    lines = text_lines(page, chars)
    for table in tables:
        lines = _take_overflow(table, lines, below=True)
        lines = _take_overflow(table, lines, below=False)
    blocks: list[Block] = [*tables, *lines]
    blocks.sort(key=lambda b: b.top)
    return blocks
