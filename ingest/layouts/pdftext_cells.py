"""Cut a run of wrapped text lines into table cells.

A cell's text wraps at its column's width: every line of a cell but the
last fills the column (see :func:`pdftext_lines.is_full`), and the last
may be shorter. Cells that sat on one baseline share a line, separated by a
space (``党内关怀帮扶 体现组织温暖``). So a run of lines that holds, say, the
三级指标, 年度指标值 and 实际完成值 of one row can be cut where one cell's
short last line ends. Where more than one cut is consistent with the
widths, the cut that makes 年度指标值 and 实际完成值 the same text (the
common ``及时 / 及时`` case) wins, then the one whose cells start at block
boundaries; a cell that starts in the middle of a line is expected to be
one line long, and two words on one line to be two cells (of the two, the
latter weighs a little more, and a choice between them is reported).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from ingest.layouts.pdftext_lines import Line, is_full, width
from ingest.text import unwrap


@dataclass(frozen=True)
class Piece:
    """One space-separated token of a text line."""

    text: str
    line: Line
    first: bool  # the first token of its line


def pieces(lines: list[Line], skip_leading: dict[int, int] | None = None) -> list[Piece]:
    out = []
    for line in lines:
        tokens = line.tokens[(skip_leading or {}).get(line.no, 0) :]
        for k, token in enumerate(tokens):
            out.append(Piece(token, line, k == 0))
    return out


def cell_lines(cell: list[Piece]) -> list[str]:
    """The cell's text line by line (pieces of one line joined by a space)."""
    out: list[list[str]] = []
    last = None
    for p in cell:
        if last is None or p.line is not last:
            out.append([])
            last = p.line
        out[-1].append(p.text)
    return [" ".join(parts) for parts in out]


def cell_text(cell: list[Piece]) -> str:
    """A wrapped cell's text: its lines joined as printed (a wrap adds no space)."""
    return "".join(unwrap(line) for line in cell_lines(cell))


def is_valid_cell(cell: list[Piece]) -> bool:
    texts = cell_lines(cell)
    if len(texts) < 2:
        return True
    col = max(width(t) for t in texts)
    return all(is_full(texts[i], col, texts[i + 1]) for i in range(len(texts) - 1))


_MID_LINE_RUNS_ON = 2.0
# Two words on one line are more often two cells than one (an extractor puts
# a space between cells, rarely inside one): a touch more unusual than a
# cell starting mid-line and running on, the other way to read such a line
# (``党员参与活动满意率 组织开展满意度测评`` / ``并形成报告``: a name and a
# wrapped target). Two readings that differ only in this stay within the
# margin of `cut`'s alternatives, so the cut is reported as uncertain.
_TWO_WORDS_IN_A_CELL = _MID_LINE_RUNS_ON + 0.1


def _cost(cells: list[list[Piece]], same_pair: tuple[int, int] | None) -> float:
    cost = 0.0
    for cell in cells:
        n_lines = len(cell_lines(cell))
        head = cell[0]
        if not head.first and n_lines > 1:
            cost += _MID_LINE_RUNS_ON  # a cell starting mid-line is expected to be one line
        if head.first and not head.line.block_start:
            cost += 0.25
        if any(width(a.text) >= 2 and width(b.text) >= 2 for a, b in zip(cell, cell[1:]) if a.line is b.line):
            cost += _TWO_WORDS_IN_A_CELL
    if same_pair is not None:
        a, b = same_pair
        if cell_text(cells[a]) == cell_text(cells[b]):
            cost -= 3.0
    return cost


@dataclass(frozen=True)
class Cut:
    cells: list[list[Piece]]
    cost: float
    alternatives: int  # other valid cuts within 0.5 of the best cost


def cut(ps: list[Piece], n: int, same_pair: tuple[int, int] | None = None) -> Cut | None:
    """The best cut of ``ps`` into exactly ``n`` cells, or None if none is valid."""
    if n == 0:
        return Cut([], 0.0, 0) if not ps else None
    if len(ps) < n:
        return None
    scored: list[tuple[float, list[list[Piece]]]] = []
    for bounds in combinations(range(1, len(ps)), n - 1):
        edges = (0, *bounds, len(ps))
        cells = [ps[edges[k] : edges[k + 1]] for k in range(n)]
        if all(is_valid_cell(c) for c in cells):
            scored.append((_cost(cells, same_pair), cells))
    if not scored:
        return None
    scored.sort(key=lambda sc: sc[0])
    best_cost, best = scored[0]
    close = sum(1 for c, _ in scored[1:] if c - best_cost < 0.5)
    return Cut(best, best_cost, close)


def cut_tail(ps: list[Piece], n: int, same_pair: tuple[int, int] | None = None) -> tuple[list[Piece], Cut] | None:
    """The last ``n`` cells of ``ps`` (the rest is returned as leftover): the
    tail whose cut is cheapest, preferring cells that start a block."""
    if n == 0:
        return ps, Cut([], 0.0, 0)
    best: tuple[float, list[Piece], Cut] | None = None
    starts = [i for i, p in enumerate(ps) if p.first]
    for start in starts:
        result = cut(ps[start:], n, same_pair)
        if result is None:
            continue
        cost = result.cost + (0.0 if ps[start].line.block_start else 0.5)
        if best is None or cost < best[0]:
            best = (cost, ps[:start], result)
    if best is None:
        return None
    return best[1], best[2]


def take_reason(ps: list[Piece], column_width: float | None) -> tuple[list[Piece], list[Piece]]:
    """The 偏差原因分析 cell at the start of ``ps`` and the pieces after it.

    With the column width known (from the wrapped header), the cell goes on
    while its lines fill the column and fit in it; without it, while each
    line is as wide as the first."""
    if not ps:
        return [], []
    lines: list[Line] = []
    for p in ps:
        if not lines or p.line is not lines[-1]:
            lines.append(p.line)
    col = column_width
    taken = 0
    for k, line in enumerate(lines):
        w = width(line.text)
        if col is not None and w > col + 0.5:
            break
        taken = k + 1
        ref = col if col is not None else width(lines[0].text)
        nxt = lines[k + 1].text if k + 1 < len(lines) else None
        if nxt is None or not is_full(line.text, ref, nxt):
            break
        if col is not None and width(nxt) > col + 0.5:
            break
    keep = {id(line) for line in lines[:taken]}
    reason = [p for p in ps if id(p.line) in keep]
    return reason, ps[len(reason) :]
