"""Wrapped cells of aligned-column text: their lines folded into the row they belong to.

``pdftotext -layout`` prints a table row on the line of its one-line cells
(its *anchor*: a line that holds a number, such as an indicator's 分值 and
得分 or a fund row's amounts) and a cell whose text wraps on the lines
around it: top-aligned cells (web pages) start on the anchor and go on
below it; vertically centred cells (office software) print half their lines
above the anchor and half below, and a cell of an even number of lines has
none on the anchor itself::

                                                        部分管网因征地未完成施工
        数量指标   新建供水管网长度   ≥40公里   36公里   25   22.5
    产出指标                                                  ，次年续建

Read line by line, such a row comes apart: the reason's first half reads as a
row of its own. This module gives each wrapped cell's lines back to its
anchor, from structure alone, in text that shows centred cells (a group,
below, with a blank line above it that can only belong to the anchor under
it, or a whole category label on a line of its own). Top-aligned text is left
as printed: pdftotext places a line's characters on character cells, a wide
character taking one, so a wrapped line may start a column or three away
from the line above it, and a guess between neighbouring columns is never
taken (its rows are read as before):

* a *continuation* chunk is a chunk of a line that holds no number (a
  value column's cell would be one) and no text over a number of the
  anchors around it (a header row's 分值 stands over the weights): text
  only, in the columns that wrap;
* a *group* is a run of continuation chunks on consecutive lines (no blank
  line between: a cell's lines are evenly spaced), each overlapping the one
  before it in x, one such chunk a line;
* a group directly above or below an anchor belongs to it when the anchor
  has a text chunk in the same columns (the group's x overlaps it and no
  number of the anchor), or when the anchor has nothing there and another
  group on its other side overlaps this one (the two halves of a cell of an
  even number of lines);
* a group between two anchors that both fit is cut between them so that
  each cell is as balanced around its anchor as the other lines of the
  same column show (the same number of lines above as below), a tie going
  to the anchor above;
* an anchor's chunk that starts like a value (``=43(次)``, ``43.00(次)``)
  takes no continuation: targets and actuals are read from their own line;
* labels that a merged cell prints between rows (a 一级 / 二级 category,
  绩效指标, 年度总体目标 …) are never folded: the template reader places
  them by name. A part of such a label is folded only as one of the two
  halves of a label printed around an anchor that has nothing there (a
  category of one row, centred on it); nowhere else.

Vertically centred cells also put a merged cell's label at the middle of the
rows it spans, so the row a category is printed beside is not the row its
span starts on. :func:`fold` says whether the text shows such centring (a
cell's upper half above its anchor, or a whole category label on a line of
its own): the template reader then reads no category span it would have to
guess (:attr:`ingest.grid.Grid.labels_centred`).

The anchor's cell becomes the group's lines and its own text in reading
order (above, on the anchor, below), joined as the PDF source joins a
cell's lines (:func:`ingest.text.join_lines`), at the
leftmost x of its parts. A chunk with no place (a lone line between rows,
two candidates on one line) stays where it is printed: nothing is folded on
a guess.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ingest import vocabulary as V
from ingest.categories import CATEGORY_NAMES
from ingest.template import labels as L
from ingest.text import is_none_mark, is_number, join_lines, squash

if TYPE_CHECKING:
    from ingest.sources.spaced import _Chunk

_PERCENT = re.compile(r"\s*[%％]$")
VALUE_START = re.compile(r"[<>=≥≤≦≧≠＜＞＝\d]")  # a target or an actual value (``=43(次)``, ``43.00(次)``)
_LABELS = frozenset((*CATEGORY_NAMES, *V.PLAIN_LABELS))
_LABEL_PARTS = frozenset(
    name[a:b] for name in _LABELS for a in range(len(name)) for b in range(a + 1, len(name) + 1) if a == 0 or b == len(name)
)


def is_value(text: str) -> bool:
    """A value column's cell: a number, a percentage or a none mark (``—``)."""
    return is_number(_PERCENT.sub("", text)) or is_none_mark(text)


def is_label(text: str) -> bool:
    """A whole label of the form (a category, 绩效指标, 总分, 评分等级, 项目名称, a column header …)."""
    return squash(text) in _LABELS or bool(
        L.head_role(text) or L.is_budget_block(text) or L.budget_column(text) or L.goal_label(text)
        or L.indicator_column(text) or L.total_label(text)[0] or L.is_grade_label(text) or L.title_kind(text)
    )


def _label_part(text: str) -> bool:
    return squash(text) in _LABEL_PARTS


# pdftotext places a line's characters by their x, rounded to character cells: a wide character takes
# one cell, so the lines of one wrapped cell may start up to two cells apart
DRIFT = 2


def _overlaps(a: _Chunk, b: _Chunk, drift: int = 0) -> bool:
    return a.start < b.end + drift and b.start < a.end + drift


@dataclasses.dataclass
class _Group:
    line: int  # index of its first line
    chunks: list[tuple[int, int]]  # (line index, chunk index), top to bottom

    @property
    def last(self) -> int:
        return self.chunks[-1][0]


def fold(chunked: list[list[_Chunk]], line_nos: list[int], pages: list[int]) -> tuple[list[list[_Chunk]], bool]:
    """The lines' chunks with every wrapped cell's continuation chunks moved
    into its anchor's line (a line left with no chunk is an empty list), and
    whether the text shows vertically centred cells."""
    n = len(chunked)
    anchor = [any(is_value(c.text) for c in chunks) for chunks in chunked]
    if not any(anchor):
        return chunked, False
    centred = any(not anchor[i] and any(squash(c.text) in CATEGORY_NAMES for c in chunks) for i, chunks in enumerate(chunked))

    def adjacent(i: int, j: int) -> bool:  # line j directly follows line i
        return 0 <= i < n and 0 <= j < n and line_nos[j] == line_nos[i] + 1 and pages[i] == pages[j]

    # a line with text over a value of the anchors around it (a header row: 分值 over the weights) is no
    # wrapped cell's line: continuation lines hold text only in the columns that wrap
    # (the nearest anchor above and below it in its run of lines: no blank line between)
    values_near: list[list[_Chunk]] = [[] for _ in range(n)]
    for step in (1, -1):
        last: int | None = None
        for i in range(n)[::step]:
            if last is not None and not (adjacent(i - step, i) if step == 1 else adjacent(i, i - step)):
                last = None
            if anchor[i]:
                last = i
            elif last is not None:
                values_near[i].extend(c for c in chunked[last] if is_value(c.text))
    over_values = [any(_overlaps(c, v) for c in chunked[i] for v in values_near[i]) for i in range(n)]

    def candidate(i: int, k: int) -> bool:
        c = chunked[i][k]
        return not anchor[i] and not over_values[i] and not is_value(c.text) and not is_label(c.text)

    groups = _groups(chunked, candidate, adjacent)
    above: dict[int, list[_Group]] = {}  # anchor line -> groups ending right above it
    below: dict[int, list[_Group]] = {}
    for g in groups:
        if adjacent(g.line - 1, g.line) and anchor[g.line - 1]:
            below.setdefault(g.line - 1, []).append(g)
        if adjacent(g.last, g.last + 1) and anchor[g.last + 1]:
            above.setdefault(g.last + 1, []).append(g)

    def span(g: _Group) -> tuple[int, int]:
        chunks = [chunked[i][k] for i, k in g.chunks]
        return min(c.start for c in chunks), max(c.end for c in chunks)

    def label_part(g: _Group) -> bool:
        return any(_label_part(chunked[i][k].text) for i, k in g.chunks)

    def fits(a: int, g: _Group, other_side: list[_Group]) -> bool:
        """Whether group ``g`` (next to anchor line ``a``) can be a part of a cell of ``a``."""
        lo, hi = span(g)
        hits = [c for c in chunked[a] if c.start < hi and lo < c.end]
        if hits:
            own = hits[0].text
            return (len(hits) == 1 and not is_value(own) and not VALUE_START.match(own)
                    and label_part(g) == (_label_part(own) and not is_label(own)))
        return any(_ranges_overlap(span(o), (lo, hi)) and label_part(o) == label_part(g) for o in other_side)

    def partner(a: int, g: _Group, side: list[_Group]) -> _Group | None:
        found = [o for o in side if _ranges_overlap(span(o), span(g)) and fits(a, o, [g])]
        return found[0] if len(found) == 1 else None

    fitting = []
    for g in groups:
        up = g.line - 1 if g.line - 1 in below and g in below[g.line - 1] else None
        down = g.last + 1 if g.last + 1 in above and g in above[g.last + 1] else None
        fit_up = up is not None and fits(up, g, above.get(up, []))
        fit_down = down is not None and fits(down, g, below.get(down, []))
        fitting.append((g, up, down, fit_up, fit_down))
    # a cell's upper half (a group that can only belong to the anchor below it) shows centred cells;
    # without one, cells are top-aligned and every group continues the cell above it
    # (a group with a blank line above it on its page: a top-aligned cell's last line, a column over from where
    # the line above printed its first, would fit down only by that drift, but it is never the first after a
    # blank; nor is a row broken across a page, whose rest starts the next page)
    def after_blank(g: _Group) -> bool:
        i = g.line
        return i > 0 and pages[i - 1] == pages[i] and line_nos[i] > line_nos[i - 1] + 1

    centred = centred or any(fit_down and not fit_up and after_blank(g) for g, _, _, fit_up, fit_down in fitting)

    # each group's lines split between the anchor above it and the one below it
    take_up: dict[int, int] = {}  # id(group) -> how many of its lines go to the anchor above
    for g, up, down, fit_up, fit_down in fitting:
        size = len(g.chunks)
        if not centred:
            continue  # top-aligned cells: left as printed (their rows are read as before)
        if fit_up and fit_down and up is not None and down is not None:  # each fits only where it is
            over = partner(up, g, above.get(up, []))
            under = partner(down, g, below.get(down, []))
            u_up = len(over.chunks) if over else 0
            d_down = len(under.chunks) if under else 0
            take_up[id(g)] = min(range(size + 1), key=lambda k: (abs(u_up - k) + abs(size - k - d_down), -k))
        elif fit_up:
            take_up[id(g)] = size
        elif fit_down:
            take_up[id(g)] = 0

    # the parts each anchor gathers: (x start of the column, lines above, lines below)
    gathered: dict[int, list[list[tuple[int, int]]]] = {}
    moved: set[tuple[int, int]] = set()
    for g in groups:
        k = take_up.get(id(g))
        if k is None:
            continue
        if k:
            gathered.setdefault(g.line - 1, []).append(g.chunks[:k])
        if k < len(g.chunks):
            gathered.setdefault(g.last + 1, []).append(g.chunks[k:])
    out = [list(chunks) for chunks in chunked]
    for a, parts in sorted(gathered.items()):
        cells = _cells_of(a, parts, chunked)
        if cells is None:
            continue
        line = list(chunked[a])
        for own, ups, downs in cells:
            pieces = [chunked[i][k] for i, k in ups] + ([line[own]] if own is not None else []) + [
                chunked[i][k] for i, k in downs
            ]
            merged = dataclasses.replace(
                pieces[0] if own is None else line[own],
                start=min(p.start for p in pieces),
                end=max(p.end for p in pieces),
                text=join_lines([p.text for p in pieces]),
                folded=True,
            )
            if own is None:
                line.append(merged)
            else:
                line[own] = merged
            moved.update(ups + downs)
        line.sort(key=lambda c: c.start)
        out[a] = line
    if not moved:
        return chunked, centred
    return [[c for k, c in enumerate(out[i]) if (i, k) not in moved] if not anchor[i] else out[i] for i in range(n)], centred


def _cells_of(a: int, parts: list[list[tuple[int, int]]], chunked: list[list[_Chunk]]):
    """The anchor's wrapped cells: (index of its own chunk or None, the part above, the part below);
    None when the parts cannot be told apart (two parts over one chunk of the anchor on one side, or
    a half of a cell with nothing on the anchor that pairs with no other half, or with several)."""
    def x_range(part: list[tuple[int, int]]) -> tuple[int, int]:
        return min(chunked[i][k].start for i, k in part), max(chunked[i][k].end for i, k in part)

    own: dict[int, tuple[list, list]] = {}  # the anchor's chunk -> parts above, parts below
    free_up: list[list[tuple[int, int]]] = []
    free_down: list[list[tuple[int, int]]] = []  # halves of cells with nothing on the anchor
    for part in parts:
        lo, hi = x_range(part)
        hits = [j for j, c in enumerate(chunked[a]) if c.start < hi and lo < c.end]
        is_up = part[0][0] < a
        if hits:
            ups, downs = own.setdefault(hits[0], ([], []))
            (ups if is_up else downs).append(part)
        else:
            (free_up if is_up else free_down).append(part)
    out: list[tuple[int | None, list, list]] = []
    for key, (ups, downs) in own.items():
        if len(ups) > 1 or len(downs) > 1:
            return None
        out.append((key, ups[0] if ups else [], downs[0] if downs else []))
    for up in free_up:
        pairs = [d for d in free_down if _ranges_overlap(x_range(up), x_range(d))]
        if len(pairs) != 1:
            return None
        out.append((None, up, pairs[0]))
    if len(free_down) != len(free_up):
        return None
    return out


def _ranges_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _groups(chunked, candidate, adjacent) -> list[_Group]:
    """Runs of continuation chunks on consecutive lines, each overlapping the one above it,
    one a line (a chunk overlapping two of the next line's, or two of the line before's, ends its run)."""
    groups: list[_Group] = []
    open_: dict[tuple[int, int], _Group] = {}  # (line, chunk) ending an open group -> the group
    for i, chunks in enumerate(chunked):
        for k, c in enumerate(chunks):
            if not candidate(i, k):
                continue
            prev = i - 1
            ups = (
                [j for j, p in enumerate(chunked[prev]) if _overlaps(p, c, DRIFT)] if adjacent(prev, i) else []
            )
            group = None
            if len(ups) == 1 and (prev, ups[0]) in open_:
                downs = [j for j, d in enumerate(chunks) if _overlaps(chunked[prev][ups[0]], d, DRIFT)]
                if downs == [k]:
                    group = open_.pop((prev, ups[0]))
                    group.chunks.append((i, k))
            if group is None:
                group = _Group(i, [(i, k)])
                groups.append(group)
            open_[(i, k)] = group
    return groups
