"""Top-aligned wrapped cells of aligned-column text: their continuation lines folded into their row.

Word and LibreOffice Writer print a table's cells **top-aligned**: a cell that
wraps starts on its row's first line and goes on below it, each line starting
at the cell's left edge, and ``pdftotext -layout`` prints those lines under
their column (one character cell a character, a Chinese one included)::

    项目资金（万元）          年初预算数    全年预算数      全年执行 分值   执行率  得分
                                                     数
    指标   产出指标   时效指标   领导干部个人有关事项报告   100%   达成指标   50   50.00
                     监督完成及时率
         满意度指   服务对象   参赛选手满意度   =99(%)   99.00(%)   1   1.00
         标      满意度指
                标

Read line by line, every such line reads as a row of its own. This module
gives each continuation line back to its row, from structure and the form's
labels alone (:mod:`ingest.sources.wrapped` does the same for vertically
centred cells; this one runs where the text shows none). A *row line* starts
a table row; the lines that follow it on its page, with no blank line
between, continue it until the next row line:

* a line holding a whole label of the form (a category, 总分, a fund row's
  label, 年度总体目标 …; the labels are the vocabulary's) starts a row;
* under a row holding values (a chunk of numbers, percentages or ``—``), a
  line starts a row when it has a value under the row's last two values
  (an indicator's 分值 / 得分, a fund row's 执行率 / 得分: cells that never
  wrap), or text and two chunks of values; any other line continues it (a
  continuation carries no 分值 / 得分 of its own: ``0   0   10.00`` under
  ``43510000.0   43510000.0   396376 10.00 91.10% 9.11`` is three wrapped
  amounts);
* under a row of labels only (a header), a line continues it only where
  each of its pieces completes the label above it (``全年执行`` / ``数``);
* under a row of text (the goals' first line), a line continues it where
  each piece stands under one of its cells; else it starts a row.

Each piece of a continuation line goes to the cell it stands under: the
row's word starting nearest where the piece starts (± 2 character cells; two
words as near: not placed), or, standing in the gap right of a cell's whole
text, the next cell (pdftotext shifts a line left when its left cells are
empty). A cell starts at that word: the words left of it in the same chunk
are another cell. The words right of it in its chunk stay in the cell
where a continuation reaches under them (``100% (2023`` / ``年 12 月)``) or a
bracket is open across them (``≥340.00 (人`` / ``次)``, never a cell boundary
inside brackets), and are another cell where they are a value or start like
one (``396376 10.00`` / ``10.00``: the amount is ``39637610.00``; ``抵达现 <=1
小时`` / ``场时间``), where both sides are whole labels (``全年执行数``, ``分值``),
or where a column starts (the column evidence of :mod:`ingest.sources.spaced`,
or the table's header row on the page). Anything else is not decided.

A merged category cell spans several rows, and its wrapped label goes on
beside the rows below (``满意度指`` / ``标``, ``绩效`` / ``指标``): a piece
standing where an unfinished label of a row above stands, in the same run
of lines, finishes that label when the two make a label or the start of one.
The label is then the first row's, and the rows below fill it down, as the
template reader does for every top-aligned table.

A cell's lines join without a space (Chinese text wraps anywhere, a number
is broken where the cell ends), but with one between two Latin or ASCII
characters that do not continue a number, where Word wraps at spaces only
(``≥487.00`` / ``(次)`` is ``≥487.00 (次)``). Latin letters or digits beside
Chinese join without one: pdftotext prints a space wherever LibreOffice sets
them apart (``57 人`` for 57人) and where the document has one alike, so that
space is not in the text either way (the text sources keep it as printed).

Nothing is guessed; the row holding what cannot be read exactly is returned
with a code and a reason, and the template reader refuses its form with them
(:attr:`ingest.grid.Grid.unreadable_rows`):

* ``wrapped_cell_unplaced``: a piece standing under no cell of its row, or
  under two, or a word whose cell is not decided (``培训方 适合适当`` / ``法``);
* ``wrap_space_unknown``: a wrap between ASCII punctuation and Chinese text
  (``…等,`` / ``进一步…``): Word wraps there at a space or at none;
* ``row_across_pages``: a row that goes on at the top of the next page,
  where pdftotext lays the columns out anew. (A merged category's label
  left unfinished at a page end is finished by the next page's first
  pieces of labels, left to right, where each pair makes a label or its
  start; else this too.)
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest import vocabulary as V
from ingest.categories import CATEGORY_NAMES
from ingest.sources import wrapped
from ingest.sources.wrapped import DRIFT as _DRIFT, VALUE_START as _VALUE_START, is_value as _is_value
from ingest.template import labels as L

if TYPE_CHECKING:
    from ingest.sources.spaced import _Chunk

_WORD = re.compile(r"\S+")
# the labels a wrap may cut: categories, column headers, the blocks' labels (as data in the vocabulary)
LABEL_NAMES = frozenset((
    *CATEGORY_NAMES, *V.PLAIN_LABELS, *V.BUDGET_BLOCK_LABELS, *V.GOAL_BLOCK_LABELS, *V.GOAL_PLANNED_LABELS,
    *V.GOAL_ACTUAL_LABELS, *V.INDICATOR_BLOCK_LABELS, *V.TOTAL_LABELS, *V.GRADE_LABELS,
    *(label for labels in (*V.HEAD_LABELS.values(), *V.BUDGET_COLUMN_LABELS.values(), *V.FUND_ROW_LABELS.values(),
                           *V.INDICATOR_COLUMN_LABELS.values()) for label in labels),
))
_PREFIXES = frozenset(name[:k] for name in LABEL_NAMES for k in range(1, len(name) + 1))
_PARTS = frozenset(name[a:b] for name in LABEL_NAMES for a in range(len(name)) for b in range(a + 1, len(name) + 1))
_NUMERIC = frozenset("0123456789.")

_OPENING, _CLOSING = "([（【〔", ")]）】〕"


def open_bracket(text: str) -> bool:
    """Whether a bracket opened in the text is still open: a cell never ends inside brackets
    (``(2023 运维)``, ``（2020 年度）``), so no cell boundary is drawn there."""
    return sum(text.count(ch) for ch in _OPENING) > sum(text.count(ch) for ch in _CLOSING)


@lru_cache(maxsize=1 << 14)
def is_value(text: str) -> bool:
    """A value column's cell (a number, a percentage, ``—``); cached: a text's words recur."""
    return _is_value(text)


@lru_cache(maxsize=1 << 14)
def is_label(text: str) -> bool:
    """A whole label of the form: a category, a column header, a block's or a fund row's label."""
    return wrapped.is_label(text) or L.fund_row(text) is not None or text.replace(" ", "") in LABEL_NAMES


#: codes of the problems this fold reports (the template reader refuses the form with them)
UNPLACED = "wrapped_cell_unplaced"
WRAP_SPACE = "wrap_space_unknown"
ACROSS_PAGES = "row_across_pages"


@dataclasses.dataclass
class _Word:
    start: int
    end: int
    text: str


@dataclasses.dataclass
class _Cell:
    """A cell of a row line: its words on the row line, and the texts of its continuation lines."""

    words: list[_Word]
    gap_before: bool
    chunk: int  # index of the chunk it came from
    lines: list[str] = dataclasses.field(default_factory=list)
    ends: list[int] = dataclasses.field(default_factory=list)  # where each continuation piece ends

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return max([self.words[-1].end, *self.ends])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _words(c: _Chunk) -> list[_Word]:
    return [*_chunk_words(c.start, c.text)]


@lru_cache(maxsize=1 << 12)
def _chunk_words(start: int, text: str) -> tuple[_Word, ...]:  # (_Word is never changed once made)
    return tuple(_Word(start + m.start(), start + m.end(), m.group()) for m in _WORD.finditer(text))


def join(texts: list[str]) -> tuple[str, str | None]:
    """A wrapped cell's lines as one text, and the problem of a wrap the text cannot join exactly."""
    out = texts[0]
    for text in texts[1:]:
        left, right = out[-1], text[0]
        if not left.isascii() and not right.isascii():
            out += text
        elif left in _NUMERIC and right in _NUMERIC:
            out += text  # a number broken where the cell ends
        elif left.isascii() and right.isascii():
            out += " " + text  # Latin text, numbers and units wrap at a space only
        elif (left.isascii() and left.isalnum()) or (right.isascii() and right.isalnum()):
            out += text  # Latin or digits beside Chinese: spaced apart or not, pdftotext prints them alike
        else:
            return out + text, (f"{WRAP_SPACE}: a cell wraps between {out[-12:]!r} and {text[:12]!r}: Word wraps "
                                "there at a space or at none, and the text does not show which")
    return out, None


def _completes(head: str, piece: str) -> bool:
    """Whether ``piece`` continues the unfinished label ``head`` (the two make a label, or its start)."""
    return head.replace(" ", "") + piece in _PREFIXES


def fold(chunked: list[list[_Chunk]], line_nos: list[int], pages: list[int], columns: list[list[tuple[int, int]]]
         ) -> tuple[list[list[_Chunk]], dict[int, tuple[str, str]]]:
    """The lines' chunks with every continuation line's pieces moved into its row line (a line left with
    no chunk is an empty list), and the problems found, (code, message) by the index of the line they
    concern."""
    n = len(chunked)
    out = [list(chunks) for chunks in chunked]
    problems: dict[int, str] = {}
    if not any(_all_values(_words(c)) for chunks in chunked for c in chunks):
        return out, problems

    def adjacent(i: int, j: int) -> bool:
        return line_nos[j] == line_nos[i] + 1 and pages[i] == pages[j]

    row: int | None = None  # the current row line
    cells: list[_Cell] = []
    kind = "text"  # the current row's (:func:`_kind`)
    # unfinished labels of the rows above in this run of lines: (start x, line, cell)
    open_labels: list[tuple[int, int, _Cell]] = []
    rows: dict[int, list[_Cell]] = {}
    # the columns of the last header row on each page (a row of three labels or more): a table's columns
    header: dict[int, list[tuple[int, int]]] = {}
    headers: dict[int, list[tuple[int, int]]] = {}

    def label_for(piece: _Chunk) -> int | None:
        """The unfinished label standing where a piece starts, if exactly one does and the piece goes on
        with it."""
        hits = [k for k, (x, _, _) in enumerate(open_labels) if abs(x - piece.start) <= _DRIFT]
        if len(hits) != 1:
            return None
        cell = open_labels[hits[0]][2]
        return hits[0] if _completes(cell.text + "".join(cell.lines), piece.text.replace(" ", "")) else None

    def finish_label(piece: _Chunk, hit: int | None) -> bool:
        """Join a piece of a label to the unfinished label ``hit`` (:func:`label_for`)."""
        if hit is None:
            return False
        cell = open_labels[hit][2]
        cell.lines.append(piece.text.replace(" ", ""))
        cell.ends.append(piece.end)
        if cell.text.replace(" ", "") + "".join(cell.lines) in LABEL_NAMES:
            del open_labels[hit]
        return True

    def start_row(i: int) -> None:
        nonlocal row, cells, open_labels, kind
        carried: set[int] = set()  # chunks of this line that finish a label of the page before
        if row is None or not adjacent(i - 1, i):
            if row is not None and pages[i] != pages[i - 1] and open_labels:
                open_labels, carried = _across_page(open_labels, chunked[i], i)
                if open_labels is None:
                    open_labels = []
                    problems.setdefault(row, f"{ACROSS_PAGES}: a category's label is unfinished at the page end and "
                                        "goes on on the next page, where pdftotext lays the columns out anew, and the "
                                        "next page's first labels do not finish it")
            else:
                open_labels = []
        row = i
        cells = []
        for k, c in enumerate(chunked[i]):
            if k in carried or finish_label(c, label_for(c)):
                continue
            cells.append(_Cell(_words(c), c.gap_before, k))
        rows[i] = cells
        kind = _kind(cells)
        if kind == "labels" and len(cells) > 2:
            header[pages[i]] = [(w.start, w.start) for cell in cells for w in cell.words]
        headers[i] = header.get(pages[i], [])
        open_labels = [o for o in open_labels
                       if not any(abs(o[0] - cell.start) <= _DRIFT for cell in cells)]
        for cell in cells:  # the row's leading labels (its categories): a 三级指标 or a target is no label
            if is_label(cell.text):
                continue
            if cell.text.replace(" ", "") not in _PREFIXES:
                break
            open_labels.append((cell.start, i, cell))

    for i in range(n):
        chunks = chunked[i]
        if not chunks:
            continue
        if row is None or not adjacent(i - 1, i) or any(is_label(c.text) for c in chunks):
            if (row is not None and pages[i] != pages[i - 1] and kind == "values"
                    and not any(is_label(c.text) or _all_values(_words(c)) for c in chunks)):
                problems.setdefault(row, f"{ACROSS_PAGES}: the row ends on the next page "
                                    f"({' '.join(c.text for c in chunks)[:30]!r}), where pdftotext lays the columns "
                                    "out anew, so which cell each of its lines continues is not in the text")
            start_row(i)
            continue
        if kind == "values":
            closing = [w for cell in cells if _all_values(cell.words) for w in cell.words][-2:]
            lo, hi = closing[0].start - 2 * _DRIFT, closing[-1].end + _DRIFT
            values = [c for c in chunks if _all_values(_words(c))]
            if (any(lo <= w.start <= hi for c in values for w in _words(c))
                    or len(values) >= 2 and len(values) < len(chunks)):  # text and values: a row of its own
                start_row(i)
                continue
        placed = _place(chunks, cells, label_for)
        if placed is None or (kind == "labels" and not all(
                hit is not None or _completes(word.text, c.text.replace(" ", "")) for c, hit, word in placed)):
            if kind == "values":
                problems.setdefault(row, f"{UNPLACED}: a wrapped cell's line {' '.join(c.text for c in chunks)[:40]!r} "
                                    "stands under no one cell of its row")
            start_row(i)
            continue
        # (labels last, the later ones first: finishing a label may drop it from the list)
        for c, hit, word in sorted(placed, key=lambda p: (p[1] is not None, -(p[1] or 0))):
            if word is None:
                finish_label(c, hit)
                continue
            cell = _split_at(cells, word)
            cell.lines.append(c.text)
            cell.ends.append(c.end)
        kind = _kind(cells)
        out[i] = []

    for i, row_cells in rows.items():
        text_row = _kind(row_cells) == "text"
        evidence = columns[i] + [(a - _DRIFT + 1, b + _DRIFT - 1) for a, b in headers[i]]
        built, problem = _build(chunked[i], row_cells, evidence, text_row)
        if problem and i not in problems:
            problems[i] = problem
        # a row of text (the goals, the head) holds its cells set apart by gaps: a single space in them is
        # a space of the text (``做好第 7 届…``), whatever columns the rows around it show
        out[i] = [dataclasses.replace(c, folded=True) for c in built] if text_row else built
    return out, {i: _coded(p) for i, p in problems.items()}


def _across_page(open_labels: list[tuple[int, int, _Cell]], line: list[_Chunk], i: int
                 ) -> tuple[list[tuple[int, int, _Cell]] | None, set[int]]:
    """Labels left unfinished at a page end, finished by the next page's first row line: its leading
    pieces of labels, left to right, go on with the unfinished labels left to right (``社会效益`` / page
    break / ``指标``; ``满意度指``, ``服务对象`` / page break / ``标``, ``满意度指``), each pair making a label or
    its start (the columns' x is the page's own, so they pair by order). The labels still unfinished, at
    their pieces' x on the new page, and the chunks used; None when the pieces do not finish them all."""
    leading: list[int] = []
    for k, c in enumerate(line):
        if not (is_label(c.text) or c.text.replace(" ", "") in _PARTS):
            break
        leading.append(k)
    carried = sorted(open_labels, key=lambda o: o[0])
    if len(leading) < len(carried):
        return None, set()
    still: list[tuple[int, int, _Cell]] = []
    for (_, _, cell), k in zip(carried, leading):
        piece = line[k].text.replace(" ", "")
        if not _completes(cell.text + "".join(cell.lines), piece):
            return None, set()
        cell.lines.append(piece)
        cell.ends.append(line[k].end)
        if cell.text.replace(" ", "") + "".join(cell.lines) not in LABEL_NAMES:
            still.append((line[k].start, i, cell))
    return still, set(leading[:len(carried)])


def _coded(problem: str) -> tuple[str, str]:
    code, _, message = problem.partition(": ")
    return code, message


def _all_values(words: list[_Word]) -> bool:
    """A chunk of values only (a value column's cell, or several set apart by single spaces)."""
    return bool(words) and _values_only(" ".join(w.text for w in words))


@lru_cache(maxsize=1 << 14)
def _values_only(text: str) -> bool:
    return all(is_value(word) for word in text.split(" "))


def _kind(cells: list[_Cell]) -> str:
    if any(_all_values(cell.words) for cell in cells):
        return "values"
    if cells and all(is_label(cell.text) or cell.text.replace(" ", "") in _PREFIXES
                     or all(is_label(w.text) for w in cell.words) for cell in cells):
        return "labels"
    return "text"


def _place(chunks: list[_Chunk], cells: list[_Cell], label_for
           ) -> list[tuple[_Chunk, int | None, _Word | None]] | None:
    """Each piece with the unfinished label it goes on with (an index of :func:`label_for`) or the
    row's word it starts under, or None when a piece stands under no one cell (nothing is changed)."""
    placed: list[tuple[_Chunk, int | None, _Word | None]] = []
    for c in chunks:
        hit = label_for(c)
        if hit is not None:
            placed.append((c, hit, None))
            continue
        owner = _owner(c, cells)
        if owner is None:
            return None
        k, w = owner
        placed.append((c, None, cells[k].words[w]))
    return placed


def _split_at(cells: list[_Cell], word: _Word) -> _Cell:
    """The cell starting at ``word``: the cell holding it, split there when the word is not its first
    (a continuation starts at its cell's left edge, so a cell starts at that word)."""
    k = next(k for k, cell in enumerate(cells) if any(w is word for w in cell.words))
    cell = cells[k]
    w = next(j for j, x in enumerate(cell.words) if x is word)
    if not w:
        return cell
    right = _Cell(cell.words[w:], False, cell.chunk)
    cell.words = cell.words[:w]
    cells.insert(k + 1, right)
    return right


def _owner(c: _Chunk, cells: list[_Cell]) -> tuple[int, int] | None:
    """(cell, word) where a continuation piece starts: the one word starting there, or the cell whose gap it
    stands in, clear of everything left of it."""
    near = sorted((abs(word.start - c.start), k, w) for k, cell in enumerate(cells) for w, word in enumerate(cell.words)
                  if abs(word.start - c.start) <= _DRIFT)
    if near:
        if len(near) > 1 and near[1][0] == near[0][0]:
            return None  # two words as near: which cell it continues is not in the text
        return near[0][1], near[0][2]
    right = [k for k, cell in enumerate(cells) if cell.start > c.start]
    if not right:
        return None
    k = right[0]
    left_end = cells[k - 1].end if k else 0
    if c.start > left_end:
        return k, 0
    return None


def _build(line: list[_Chunk], cells: list[_Cell], columns: list[tuple[int, int]], text_row: bool
           ) -> tuple[list[_Chunk], str | None]:
    """The row line's chunks: cells with continuation lines as folded chunks (never split again), the
    others as printed (words of a chunk that a continuation split off made chunks of their own)."""
    out: list[_Chunk] = []
    problem = None
    by_chunk: dict[int, list[_Cell]] = {}
    for cell in cells:
        by_chunk.setdefault(cell.chunk, []).append(cell)
    for k, c in enumerate(line):
        parts = by_chunk.get(k)
        if parts is None:
            continue  # moved into a label above
        if len(parts) == 1 and not parts[0].lines and len(parts[0].words) == len(_words(c)):
            out.append(c)
            continue
        for cell in parts:
            if not cell.lines:
                out.append(dataclasses.replace(c, start=cell.start, end=cell.words[-1].end, text=cell.text,
                                               gap_before=cell.gap_before, folded=False))
                continue
            first, rest, why = _own_words(cell, columns, text_row)
            problem = problem or why
            if rest:
                tail = _Cell(rest, False, cell.chunk)
                out.append(dataclasses.replace(c, start=tail.start, end=tail.words[-1].end, text=tail.text,
                                               gap_before=False, folded=False))
            if is_label(first) or first.replace(" ", "") in _PREFIXES:
                text, why = "".join([first.replace(" ", ""), *cell.lines]), None
            else:
                text, why = join([first, *cell.lines])
            problem = problem or why
            out.append(dataclasses.replace(c, start=cell.start, end=cell.end, text=text, gap_before=cell.gap_before,
                                           folded=True))
    out.sort(key=lambda c: c.start)
    return out, problem


def _own_words(cell: _Cell, columns: list[tuple[int, int]], text: bool) -> tuple[str, list[_Word], str | None]:
    """The text of a wrapped cell's first line, and the words after it in its chunk that are another cell:
    from the first word that stands where no continuation reaches and that is a value or starts like one,
    or a whole label after a whole label, or stands where neighbouring lines start a column (the
    evidence :mod:`ingest.sources.spaced` splits a single space by). A single space elsewhere stays inside
    the cell, as it does on every line of aligned-column text."""
    words = cell.words
    reach = max(cell.ends)
    for k in range(1 if not text else len(words), len(words)):
        w = words[k]
        if w.start < reach:
            continue  # a continuation reaches under it: the same cell
        head = "".join(x.text for x in words[:k]) + "".join(cell.lines)
        rest = " ".join(x.text for x in words[k:])
        if open_bracket(" ".join(x.text for x in words[:k])) or (
                open_bracket(rest) and not open_bracket(rest + "".join(cell.lines))):
            continue  # a cell never ends inside brackets (``≥340.00 (人`` / ``次)``)
        if (is_value(w.text) or _VALUE_START.match(w.text) or _starts_column(w.start, columns)
                or is_label(head) and all(is_label(x.text) for x in words[k:])):
            return " ".join(x.text for x in words[:k]), words[k:], None
        if not text:
            return cell.text, [], (f"{UNPLACED}: whether {w.text!r} is in the wrapped cell {words[0].text!r} or a cell "
                                   "of its own is not in the text")
    return cell.text, [], None


def _starts_column(pos: int, columns: list[tuple[int, int]]) -> bool:
    return any(first - 1 <= pos <= last + 1 for first, last in columns)
