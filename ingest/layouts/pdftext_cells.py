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
from functools import lru_cache

from ingest.layouts.pdftext_lines import Line, full_slack, is_full, width
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


_MID_LINE_RUNS_ON = 2.0
# Two words on one line are more often two cells than one (an extractor puts
# a space between cells, rarely inside one): a touch more unusual than a
# cell starting mid-line and running on, the other way to read such a line
# (``党员参与活动满意率 组织开展满意度测评`` / ``并形成报告``: a name and a
# wrapped target). Two readings that differ only in this stay within the
# margin of `cut`'s alternatives, so the cut is reported as uncertain.
_TWO_WORDS_IN_A_CELL = _MID_LINE_RUNS_ON + 0.1
_OFF_BLOCK_START = 0.25  # a cell that starts a line but not a text block
_SAME_TEXT = 3.0  # 年度指标值 and 实际完成值 the same text (``及时 / 及时``)

# How much work one run of text may take to cut (steps: a line or a token
# looked at while finding how far a cell may run, a cut position weighed).
# Text that wraps at one column (every line as wide as the next) lets a cell
# run over any number of lines, so the ways to cut it grow with the square
# of its lines; real rows (a name, a target, an actual, a reason of a few
# hundred characters) take a few hundred steps. Past this the text is not a
# row of the template, and the form is refused as too complex.
MAX_CUT_STEPS = 500_000


class CutTooComplex(Exception):
    """The text allows more ways to cut it than :data:`MAX_CUT_STEPS` lets us weigh."""

    def __init__(self, pieces: int, steps: int):
        super().__init__(f"{pieces} tokens, more than {steps} steps to weigh the ways to cut them")
        self.pieces = pieces
        self.steps = steps


@dataclass(frozen=True)
class Cut:
    cells: list[list[Piece]]
    cost: float
    alternatives: int  # other valid cuts within 0.5 of the best cost


def cut(ps: list[Piece], n: int, same_pair: tuple[int, int] | None = None) -> Cut | None:
    """The best cut of ``ps`` into exactly ``n`` cells (at most three), or None if none is valid.

    A cut is valid when every cell is (its lines but the last fill the
    cell's column, see :func:`pdftext_lines.is_full`). Its cost adds, cell by
    cell: a cell that starts mid-line and runs on (``_MID_LINE_RUNS_ON``), a
    cell that starts a line but not a block (``_OFF_BLOCK_START``), two words
    of one line in one cell (``_TWO_WORDS_IN_A_CELL``); less ``_SAME_TEXT``
    when the two cells of ``same_pair`` (the last two) hold the same text.
    The cheapest cut wins (the first in order of its cut positions among
    equals); ``alternatives`` counts the other valid cuts within 0.5 of it.
    The cuts are counted, not listed: see :class:`_Cutter`."""
    if n == 0:
        return Cut([], 0.0, 0) if not ps else None
    if len(ps) < n:
        return None
    return _Cutter(ps).cut_from(0, n, same_pair)


def cut_tail(ps: list[Piece], n: int, same_pair: tuple[int, int] | None = None) -> tuple[list[Piece], Cut] | None:
    """The last ``n`` cells of ``ps`` (the rest is returned as leftover): the
    tail whose cut is cheapest, preferring cells that start a block."""
    if n == 0:
        return ps, Cut([], 0.0, 0)
    best: tuple[float, list[Piece], Cut] | None = None
    cutter = _Cutter(ps)
    for start, p in enumerate(ps):
        if not p.first:
            continue
        result = cutter.cut_from(start, n, same_pair)
        if result is None:
            continue
        cost = result.cost + (0.0 if p.line.block_start else 0.5)
        if best is None or cost < best[0]:
            best = (cost, ps[:start], result)
    if best is None:
        return None
    return best[1], best[2]


@lru_cache(maxsize=1 << 10)
def _total(kinds: tuple[tuple[float, ...], ...], same: bool) -> float:
    """A cut's cost from its cells' kinds, added in cell order (as floats add)."""
    cost = 0.0
    for kind in kinds:
        for part in kind:
            cost += part
    if same:
        cost -= _SAME_TEXT
    return cost


class _Cutter:
    """Cuts of one run of pieces (and of its tails), weighed without listing them.

    Rows are the runs of pieces printed on one line. Three facts make the
    search linear in the pieces (plus the lines a cell may span):

    * a cell ``ps[i:j]`` stays valid as ``j`` shrinks: its column (the widest
      line) only narrows and fewer lines must fill it, so the valid cells
      starting at ``i`` are those ending up to ``reach(i)``;
    * a cell's kind (the parts of its cost) changes at most twice as its end
      moves: when it runs past its first line, and when it takes a second
      word of a line; so for each first cut position, the second cut
      positions fall into at most three spans, and within a span the cut's
      cost depends only on the last cell's kind, counted by prefix sums;
    * two cells hold the same text only if they hold as many non-space
      characters: for each first cut at most one second cut can.

    Work is counted; past :data:`MAX_CUT_STEPS` it stops with :class:`CutTooComplex`."""

    def __init__(self, ps: list[Piece]):
        self.ps = ps
        m = self.m = len(ps)
        self.steps = m
        widths = [width(p.text) for p in ps]
        self.pre = pre = [0.0]
        for w in widths:
            pre.append(pre[-1] + w)  # halves of an em: exact
        # rows: runs of pieces of one line (a cell's lines, see cell_lines)
        starts: list[int] = []
        self.row_of = row_of = [0] * m
        for k, p in enumerate(ps):
            if k == 0 or p.line is not ps[k - 1].line:
                starts.append(k)
            row_of[k] = len(starts) - 1
        self.row_start = starts
        self.row_end = ends = starts[1:] + [m]
        rows = self.rows = len(starts)
        self.row_width = [pre[ends[r]] - pre[starts[r]] for r in range(rows)]
        # how far short of the column a row (or its tail) may end and still fill it
        self.slack = [
            full_slack(ps[ends[r] - 1].text, ps[starts[r + 1]].text) if r + 1 < rows else 0.0 for r in range(rows)
        ]
        # suffix aggregates: a cell running to the end of the text
        inf = float("inf")
        self.suf_max = suf_max = [0.0] * (rows + 1)
        self.suf_thr = suf_thr = [inf] * (rows + 1)
        for r in range(rows - 1, -1, -1):
            suf_max[r] = max(self.row_width[r], suf_max[r + 1])
            suf_thr[r] = suf_thr[r + 1] if r == rows - 1 else min(self.row_width[r] + self.slack[r], suf_thr[r + 1])
        # the first k >= i where pieces k and k+1 are two words of one line
        self.next_pair = next_pair = [m] * (m + 1)
        for k in range(m - 2, -1, -1):
            two = ps[k].line is ps[k + 1].line and widths[k] >= 2 and widths[k + 1] >= 2
            next_pair[k] = k if two else next_pair[k + 1]
        self._reach: dict[int, int] = {}
        self._to_end: list[bool] | None = None
        self._end_kind: list[tuple[float, ...]] | None = None
        self._counts: tuple | None = None
        self._chars: tuple[list[int], dict[int, int], str] | None = None

    # -- steps ---------------------------------------------------------------

    def _spend(self, k: int) -> None:
        self.steps += k
        if self.steps > MAX_CUT_STEPS:
            raise CutTooComplex(self.m, MAX_CUT_STEPS)

    # -- cells -----------------------------------------------------------------

    def reach(self, i: int) -> int:
        """The largest ``j`` for which ``ps[i:j]`` is a valid cell."""
        found = self._reach.get(i)
        if found is not None:
            return found
        pre, r = self.pre, self.row_of[i]
        end = self.row_end[r]
        first = pre[end] - pre[i]
        col, floor = first, first + self.slack[r]  # the widest line; the narrowest a non-last line allows
        j = end
        t = r + 1
        while t < self.rows:
            self._spend(1)
            if col > floor:
                break
            start, stop = self.row_start[t], self.row_end[t]
            k = start
            while k < stop and pre[k + 1] - pre[start] <= floor:
                k += 1
            self._spend(k - start)
            j = k
            if k < stop:
                break
            col = max(col, self.row_width[t])
            floor = min(floor, self.row_width[t] + self.slack[t])
            t += 1
        self._reach[i] = j
        return j

    def to_end(self) -> list[bool]:
        """Whether ``ps[b:]`` is a valid cell, for every ``b``."""
        if self._to_end is None:
            pre, out = self.pre, []
            for b in range(self.m):
                r = self.row_of[b]
                if r == self.rows - 1:
                    out.append(True)
                    continue
                first = pre[self.row_end[r]] - pre[b]
                col = max(first, self.suf_max[r + 1])
                out.append(col <= min(first + self.slack[r], self.suf_thr[r + 1]))
            self._to_end = out
        return self._to_end

    def kind(self, i: int, j: int) -> tuple[float, ...]:
        """The parts of the cost of cell ``ps[i:j]``, in the order they add."""
        head = self.ps[i]
        if not head.first:
            parts: tuple[float, ...] = (_MID_LINE_RUNS_ON,) if j > self.row_end[self.row_of[i]] else ()
        else:
            parts = () if head.line.block_start else (_OFF_BLOCK_START,)
        if self.next_pair[i] <= j - 2:
            parts += (_TWO_WORDS_IN_A_CELL,)
        return parts

    def _breaks(self, i: int) -> tuple[int, int]:
        """The ends past which cell ``ps[i:j]`` changes kind."""
        return self.row_end[self.row_of[i]] + 1, self.next_pair[i] + 2

    def end_kinds(self) -> list[tuple[float, ...]]:
        if self._end_kind is None:
            self._end_kind = [self.kind(b, self.m) for b in range(self.m)]
        return self._end_kind

    def counts(self):
        """Per kind of last cell: prefix counts of the valid last cells ``ps[b:]``
        and the next such ``b`` at or after each position."""
        if self._counts is None:
            m, ok, kinds = self.m, self.to_end(), self.end_kinds()
            present = sorted(set(kinds))
            self._spend(m * len(present))
            prefix, nxt = {}, {}
            for kind in present:
                c = [0] * (m + 1)
                for b in range(m):
                    c[b + 1] = c[b] + (ok[b] and kinds[b] == kind)
                n = [m] * (m + 1)
                for b in range(m - 1, -1, -1):
                    n[b] = b if ok[b] and kinds[b] == kind else n[b + 1]
                prefix[kind], nxt[kind] = c, n
            self._counts = (present, prefix, nxt)
        return self._counts

    def same_split(self, a: int, stop: int) -> int | None:
        """The ``b`` for which ``ps[a:b]`` and ``ps[b:stop]`` hold the same text, if any."""
        if self._chars is None:
            counts, text = [0], []
            for p in self.ps:
                chars = "".join(p.text.split())
                text.append(chars)
                counts.append(counts[-1] + len(chars))
            self._chars = (counts, {c: k for k, c in enumerate(counts)}, "".join(text))
        counts, at, chars = self._chars
        half = counts[a] + counts[stop]
        if half % 2:
            return None
        b = at.get(half // 2)
        if b is None or not a < b < stop:
            return None
        if chars[counts[a] : counts[b]] != chars[counts[b] : counts[stop]]:
            return None
        self._spend(stop - a)
        return b if cell_text(self.ps[a:b]) == cell_text(self.ps[b:stop]) else None

    # -- cuts ------------------------------------------------------------------

    def cut_from(self, s: int, n: int, same_pair: tuple[int, int] | None) -> Cut | None:
        """:func:`cut` of ``ps[s:]``."""
        m = self.m
        if n == 0:
            return Cut([], 0.0, 0) if s == m else None
        if m - s < n:
            return None
        if n > 3 or (same_pair is not None and (n < 2 or tuple(same_pair) != (n - 2, n - 1))):
            raise ValueError("a cut holds at most three cells, and only its last two may be compared")
        same = same_pair is not None
        # groups of cuts: (cost, how many, the first cut's positions)
        groups: list[tuple[float, int, tuple[int, ...]]] = []
        ok = self.to_end()
        if n == 1:
            if ok[s]:
                groups.append((_total((self.kind(s, m),), False), 1, ()))
        elif n == 2:
            last = min(self.reach(s), m - 1)
            self._spend(max(last - s, 0))
            twin = self.same_split(s, m) if same else None
            for a in range(s + 1, last + 1):
                if ok[a]:
                    groups.append((_total((self.kind(s, a), self.kind(a, m)), a == twin), 1, (a,)))
        else:
            self._cut3(s, same, groups)
        if not groups:
            return None
        best_cost = min(g[0] for g in groups)
        bounds = min(g[2] for g in groups if g[0] == best_cost)
        close = sum(g[1] for g in groups if g[0] - best_cost < 0.5) - 1
        edges = (s, *bounds, m)
        return Cut([self.ps[edges[k] : edges[k + 1]] for k in range(n)], best_cost, close)

    def _cut3(self, s: int, same: bool, groups: list) -> None:
        m = self.m
        present, prefix, nxt = self.counts()
        ends = self.end_kinds()
        last_a = min(self.reach(s), m - 2)
        for a in range(s + 1, last_a + 1):
            lo, hi = a + 1, min(self.reach(a), m - 1)
            if lo > hi:
                continue
            self._spend(len(present) * 3)
            first_kind = self.kind(s, a)
            twin = self.same_split(a, m) if same else None
            if twin is not None and not (lo <= twin <= hi and self.to_end()[twin]):
                twin = None
            cuts = sorted({lo, hi + 1, *(x for x in self._breaks(a) if lo < x <= hi)})
            for span_lo, span_end in zip(cuts, cuts[1:]):
                mid_kind = self.kind(a, span_lo)
                for kind in present:
                    count = prefix[kind][span_end] - prefix[kind][span_lo]
                    if not count:
                        continue
                    b = nxt[kind][span_lo]
                    if twin is not None and span_lo <= twin < span_end and ends[twin] == kind:
                        count -= 1
                        if b == twin:
                            b = nxt[kind][twin + 1]
                        if not count:
                            continue
                    groups.append((_total((first_kind, mid_kind, kind), False), count, (a, b)))
            if twin is not None:
                groups.append((_total((first_kind, self.kind(a, twin), ends[twin]), True), 1, (a, twin)))


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
