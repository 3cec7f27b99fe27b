"""Space-separated text: columns set apart by spaces instead of tabs or pipes.

A *chunk* is a run of text in which words are set apart by single spaces;
chunks are set apart by runs of two spaces or more (or a tab). No-break spaces
(U+00A0) and ideographic spaces (U+3000) count as spaces. Every non-blank line
is one row; its cells are ``line N, cell K`` (K counted from 1, recovered empty
cells included). The whole text is read in one of four ways, chosen from the
text as a whole:

1. **Tabs expanded to tab stops** (``line.expandtabs(k)``, k = 8 or 4): when
   there are ten gaps between two chunks or more and at least 95% of the
   chunks after a gap (or an indentation) start on a multiple of k, the gaps
   are tabs: a gap from the end of one cell at column ``e`` to the next cell
   at column ``s`` is ``s//k - e//k`` tabs, so ``s//k - e//k - 1`` empty
   cells; indentation ``s`` is ``s//k`` empty cells, trailing spaces up to a
   tab stop are trailing empty cells. A cell whose text ends one column before
   a tab stop is followed by a single space only (``1219.00 1096.39``), which
   cannot be told from a space inside a cell that happens to stand there
   (``≥100.00 (件)``). Such spaces split only where the table's width decides:
   when the other lines of the block (between blank lines) agree on a width
   and splitting the line's candidate spaces makes it exactly that wide;
   otherwise the words stay one cell. ``ROWS_RELIABLE``: one line is one row of the tab-separated table.
2. **Tabs replaced by k spaces** (``line.replace("\\t", " " * k)``, k = 8 or
   4): when there are ten gaps between two chunks or more and at least 95% of
   the gaps and indentations are a multiple of k long, a gap of ``g`` spaces
   is ``round(g/k)`` tabs. A single space is never a separator.
   ``ROWS_RELIABLE``.
3. **Aligned columns** (``pdftotext -layout``, pages saved as text): when at
   least a fifth of the lines hold a gap of two spaces or more (of the page
   that has most, where form feeds end pages: a report's prose pages do not
   hide its table's). A wrapped cell that office software centred on its row
   is printed half above the row's line and half below: its lines are folded
   back into the row (:mod:`ingest.sources.wrapped`); where the text shows no
   centred cell, a top-aligned cell's lines below its row are folded into it
   (:mod:`ingest.sources.top_aligned`: Word's tables), and the rows it cannot
   read exactly are kept with their reason (``Grid.unreadable_rows``). A page's
   number at its top or end is dropped (:mod:`ingest.sources.page_numbers`). A
   single space stays inside a cell (``项目资金 (万元)``, ``=100 (%)``) unless
   column evidence says a column starts right after it, and never inside
   brackets (``(2023 运维)``). *Column evidence*: a column
   starts at position x when, among the four non-blank lines before and the
   four after (on the same page: a form feed starts a page), at least two
   have a chunk starting at x (± 1) after a gap or at the line's indentation.
   Empty cells are recovered from the same evidence, and only when every
   chunk of the line starts at such a column: each evidenced column left of
   the first chunk, or between two chunks and clear of both (more than two
   positions left of the next chunk: closer, it is that chunk's own column
   misaligned), is an empty cell. Wrapped cells make a table row span
   several lines: ``ROWS_BROKEN``.
4. **Single spaces** (one table row per line with one space between cells,
   or a whole table flattened onto one line), and any other text: every run
   of spaces separates two cells, since nothing else can; a line without a
   space (cells run together) is one cell. ``ROWS_BROKEN``, or ``ROWS_NONE``
   when one line holds most of the text's words (more than 40 of them): the
   table was flattened. Not pages ended by form feeds, though: that is
   pdftotext's reading-order output (its default mode), one cell or a few a
   line with no table rows at all, which this source does not read (read as
   rows it lands names cut off and other rows' categories).

In the first three ways, whatever the evidence leaves open stays one cell: a
cell is never split on a guess, and no empty cell is invented without
evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.grid import ROWS_BROKEN, ROWS_NONE, ROWS_RELIABLE, Grid, text_row
from ingest.sources import top_aligned, wrapped
from ingest.sources.top_aligned import open_bracket
from ingest.sources.page_numbers import page_number_lines

NAME = "spaced"

_CHUNK = re.compile(r"\S+(?:[ \u00a0\u3000]\S+)*")
_WORD = re.compile(r"\S+")
_INNER_GAP = re.compile(r"\S[ \u00a0\u3000]{2,}\S")
_INNER_SPACE = re.compile(r"\S[ \u00a0\u3000]\S")

_TAB_WIDTHS = (8, 4)
_MIN_GAPS = 10
_CONFORMING = 0.95
_LAYOUT_SHARE = 0.2
_WINDOW = 4
_SUPPORT = 2
_FLAT_WORDS = 40
_BLANK_SHARE = 0.3
_JITTER = 2  # a column this close left of a chunk is the chunk's own, misaligned


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen __init__ costs; never changed once made
class _Chunk:
    start: int
    end: int  # exclusive
    text: str
    gap_before: bool  # starts the line or follows a gap (2+ spaces, a tab)
    folded: bool = False  # a wrapped cell's lines gathered onto its row (:mod:`wrapped`): never split


def _chunks(line: str) -> list[_Chunk]:
    out: list[_Chunk] = []
    prev_end: int | None = None
    for m in _CHUNK.finditer(line):
        gap_before = prev_end is None or m.start() - prev_end >= 2 or "\t" in line[prev_end : m.start()]
        out.append(_Chunk(m.start(), m.end(), m.group(), gap_before))
        prev_end = m.end()
    return out


# --------------------------------------------------------------------- detect


def detect(lines: list[str]) -> float:
    """0.9 for tab-expanded text, 0.5-0.9 for aligned columns (by the share of
    lines with a gap), 0.05-0.3 for single-space text and any other text (less
    the more blank lines it has). 0 for text whose lines are mostly tabbed (the
    tab-separated source reads it) or, without aligned columns, mostly
    blank-separated blocks or pages ended by form feeds (pdftotext's
    reading-order output, which the scrambled-text source reads: cells one a
    line there are no table rows, and a row's cells read as one would land
    names cut off and categories of other rows). Tabbed lines lower every score."""
    content = [line for line in lines if line.strip()]
    if not content:
        return 0.0
    untabbed = 1 - sum("\t" in line for line in content) / len(content)
    if untabbed <= 0.5:
        return 0.0
    if _tab_mode([_chunks(line) for line in content], content) is not None:
        return round(0.9 * untabbed, 4)
    gap_share = _gap_share(lines)
    if gap_share >= _LAYOUT_SHARE:
        return round((0.5 + 0.4 * gap_share) * untabbed, 4)
    space_share = sum(bool(_INNER_SPACE.search(line)) for line in content) / len(content)
    blank_share = 1 - len(content) / len(lines)
    if blank_share > _BLANK_SHARE or any("\f" in line for line in lines):
        return 0.0  # (pdftotext's pages without aligned columns: its reading-order output)
    return round((0.05 + 0.25 * min(1.0, 2 * space_share) * (1 - blank_share) ** 2) * untabbed, 4)


# ------------------------------------------------------------------------ read


def read(text: str) -> list[Grid]:
    lines = text.split("\n")
    furniture = page_number_lines(lines)  # a page's number is no cell (its form feed stays)
    lines = ["\f" * line.count("\f") if i in furniture else line for i, line in enumerate(lines)]
    # a form feed (pdftotext's page break) starts a page and takes no column
    numbered = [(n, line.replace("\f", "")) for n, line in enumerate(lines, start=1) if line.strip()]
    content = [line for _, line in numbered]
    chunked = [_chunks(line) for line in content]
    mode = _tab_mode(chunked, content)
    if mode is not None:
        kind, k = mode
        if kind == "expanded":
            cells = _expanded_cells(k, chunked, content, _blocks(lines))
        else:
            cells = [_tab_cells(kind, k, chunks, line) for chunks, line in zip(chunked, content, strict=True)]
        rows = [text_row(i, c, n) for i, ((n, _), c) in enumerate(zip(numbered, cells, strict=True))]
        return [Grid(rows=rows, source=NAME, row_breaks=ROWS_RELIABLE)]
    if _gap_share(lines) >= _LAYOUT_SHARE:
        pages = _pages(lines)
        columns = _column_evidence(chunked, pages)
        line_nos = [n for n, _ in numbered]
        folded, centred = wrapped.fold(chunked, line_nos, pages)
        problems: dict[int, tuple[str, str]] = {}
        if not centred:
            folded, problems = top_aligned.fold(folded, line_nos, pages, columns)
        kept = [(k, n, chunks, cols)
                for k, ((n, _), chunks, cols) in enumerate(zip(numbered, folded, columns, strict=True)) if chunks]
        rows = [text_row(i, _layout_cells(chunks, cols), n) for i, (_, n, chunks, cols) in enumerate(kept)]
        unreadable = {i: problems[k] for i, (k, *_) in enumerate(kept) if k in problems}
        return [Grid(rows=rows, source=NAME, row_breaks=ROWS_BROKEN, labels_centred=centred,
                     unreadable_rows=unreadable)]
    words = [_WORD.findall(line) for line in content]
    rows = [text_row(i, w, n) for i, ((n, _), w) in enumerate(zip(numbered, words, strict=True))]
    total = sum(len(w) for w in words)
    flattened = any(len(w) > _FLAT_WORDS and len(w) > total / 2 for w in words)
    return [Grid(rows=rows, source=NAME, row_breaks=ROWS_NONE if flattened else ROWS_BROKEN)]


def _gap_share(lines: list[str]) -> float:
    """The share of non-blank lines holding a gap of two spaces or more, on the page that has most
    (pages end with a form feed: a report's prose pages do not dilute its table's page)."""
    pages: list[list[str]] = [[]]
    for line in lines:
        parts = line.split("\f")
        for k, part in enumerate(parts):
            if k:
                pages.append([])
            if part.strip():
                pages[-1].append(part)
    shares = [sum(bool(_INNER_GAP.search(line)) for line in page) / len(page) for page in pages if page]
    return max(shares, default=0.0)


# ------------------------------------------------------------ expanded tabs


def _tab_mode(chunked: list[list[_Chunk]], content: list[str]) -> tuple[str, int] | None:
    """("expanded", k) or ("replaced", k) when the gaps are tabs turned into
    spaces, else None."""
    starts: list[int] = []  # where a chunk after a gap (or an indentation) starts
    lengths: list[int] = []  # how long such gaps are
    inner = 0  # gaps between two chunks (indentation alone proves nothing)
    for chunks, line in zip(chunked, content, strict=True):
        if "\t" in line:
            continue
        prev_end = 0
        for i, c in enumerate(chunks):
            if c.gap_before and (i > 0 or c.start > 0):
                starts.append(c.start)
                lengths.append(c.start - prev_end)
                inner += i > 0
            prev_end = c.end
    if inner < _MIN_GAPS:
        return None
    best: tuple[float, tuple[str, int]] | None = None
    for k in _TAB_WIDTHS:
        for kind, values in (("expanded", starts), ("replaced", lengths)):
            share = sum(v % k == 0 for v in values) / len(values)
            if share >= _CONFORMING and (best is None or share > best[0]):
                best = (share, (kind, k))
    return best[1] if best else None


def _tab_cells(kind: str, k: int, chunks: list[_Chunk], line: str) -> list[str]:
    cells: list[str] = []
    prev_end = 0
    for i, c in enumerate(chunks):
        if i == 0:
            tabs = _tabs(kind, k, 0, c.start, leading=True)
        else:
            tabs = _tabs(kind, k, prev_end, c.start, leading=False)
        cells.extend([""] * max(0, tabs - (0 if i == 0 else 1)))
        cells.append(c.text)
        prev_end = c.end
    if chunks:
        trailing = len(line) - prev_end
        if trailing > 0 and (kind == "replaced" and trailing % k == 0 or kind == "expanded" and len(line) % k == 0):
            cells.extend([""] * _tabs(kind, k, prev_end, len(line), leading=False))
    return cells


def _expanded_cells(k: int, chunked: list[list[_Chunk]], content: list[str], blocks: list[int]) -> list[list[str]]:
    """Cells of tab-expanded lines. A single space just before a tab stop is
    a candidate boundary; a line's candidates split only when the table's
    width decides: in the line's block (the run of lines between two blank
    lines), the lines without a candidate agree on a width W (at least two of
    them, and more than half), and splitting every candidate of the line makes
    it exactly W cells wide (cells counted up to the last tab the line kept).
    A block with fewer than two lines without a candidate takes the width the
    whole text agrees on (one spreadsheet, one width); a block whose lines
    disagree decides nothing. Otherwise the candidates stay inside cells."""
    whole = [_tab_cells("expanded", k, chunks, line) for chunks, line in zip(chunked, content, strict=True)]
    split = [
        _tab_cells("expanded", k, _split_at_stops(chunks, k), line) for chunks, line in zip(chunked, content, strict=True)
    ]
    widths: dict[int, dict[int, int]] = {}  # block (-1: the whole text) -> width -> lines without a candidate
    for i, block in enumerate(blocks):
        if len(split[i]) == len(whole[i]):
            for key in (block, -1):
                counts = widths.setdefault(key, {})
                counts[len(whole[i])] = counts.get(len(whole[i]), 0) + 1
    agreed: dict[int, int] = {}
    for key, counts in widths.items():
        width = max(counts, key=lambda w: counts[w])
        if counts[width] >= _SUPPORT and counts[width] * 2 > sum(counts.values()):
            agreed[key] = width
    out: list[list[str]] = []
    for i, block in enumerate(blocks):
        # the block's agreed width; too few lines to tell: the whole text's width; lines that disagree: none
        wide = agreed[block] if block in agreed else (
            agreed.get(-1) if sum(widths.get(block, {}).values()) < _SUPPORT else None)
        out.append(split[i] if len(split[i]) != len(whole[i]) and wide == len(split[i]) else whole[i])
    return out


def _blocks(lines: list[str]) -> list[int]:
    """The block number of each non-blank line: blank lines and form feeds
    end a block."""
    block, gap = 0, False
    out: list[int] = []
    for line in lines:
        if "\f" in line or not line.strip():
            gap = True
        if line.strip():
            if gap and out:
                block += 1
            gap = False
            out.append(block)
    return out


def _split_at_stops(chunks: list[_Chunk], k: int) -> list[_Chunk]:
    """Chunks split at every single space followed by a word on a tab stop."""
    out: list[_Chunk] = []
    for c in chunks:
        piece_start = c.start
        for m in _WORD.finditer(c.text):
            w_start = m.start() + c.start
            if w_start > c.start and w_start % k == 0 and c.text[m.start() - 1] in " \u00a0\u3000":
                out.append(_piece(c, piece_start, w_start - 1, out_gap=piece_start == c.start and c.gap_before))
                piece_start = w_start
        out.append(_piece(c, piece_start, c.end, out_gap=piece_start == c.start and c.gap_before))
    return out


def _tabs(kind: str, k: int, end: int, start: int, *, leading: bool) -> int:
    """How many tabs stood between a cell ending at ``end`` and one at ``start``."""
    if leading:
        return start // k if kind == "expanded" else round(start / k)
    if kind == "expanded":
        return max(1, start // k - end // k)
    return max(1, round((start - end) / k))


# ---------------------------------------------------------- column evidence


def _pages(lines: list[str]) -> list[int]:
    """The page number of each non-blank line: a form feed starts a page,
    also on a line of its own."""
    page, out = 0, []
    for line in lines:
        page += line.count("\f")
        if line.strip():
            out.append(page)
    return out


def _column_evidence(chunked: list[list[_Chunk]], pages: list[int]) -> list[list[tuple[int, int]]]:
    """For each line, the columns its neighbours show: (first, last) positions
    of a cluster of chunk starts seen on at least two neighbouring lines."""
    starts = [sorted({c.start for c in chunks if c.gap_before}) for chunks in chunked]
    out: list[list[tuple[int, int]]] = []
    for i in range(len(chunked)):
        seen: dict[int, set[int]] = {}
        lo, hi = max(0, i - _WINDOW), min(len(chunked), i + _WINDOW + 1)
        for j in range(lo, hi):
            if j == i or pages[j] != pages[i]:
                continue
            for s in starts[j]:
                seen.setdefault(s, set()).add(j)
        out.append(_clusters(seen))
    return out


def _clusters(seen: dict[int, set[int]]) -> list[tuple[int, int]]:
    clusters: list[tuple[int, int]] = []
    group: list[int] = []
    for pos in sorted(seen):
        if group and pos - group[-1] > 1:
            clusters.extend(_supported(group, seen))
            group = []
        group.append(pos)
    if group:
        clusters.extend(_supported(group, seen))
    return clusters


def _supported(group: list[int], seen: dict[int, set[int]]) -> list[tuple[int, int]]:
    lines = set().union(*(seen[p] for p in group))
    return [(group[0], group[-1])] if len(lines) >= _SUPPORT else []


def _column_of(pos: int, columns: list[tuple[int, int]]) -> int | None:
    for k, (first, last) in enumerate(columns):
        if first - 1 <= pos <= last + 1:
            return k
    return None


def _split_at_columns(chunks: list[_Chunk], columns: list[tuple[int, int]]) -> list[_Chunk]:
    """Split chunks at single spaces after which a column starts."""
    out: list[_Chunk] = []
    for c in chunks:
        if c.folded:
            out.append(c)
            continue
        words = [(m.start() + c.start, m.end() + c.start) for m in _WORD.finditer(c.text)]
        piece_start = words[0][0]
        for (_, _), (w_start, _) in zip(words, words[1:]):
            if _column_of(w_start, columns) is not None and _column_of(piece_start, columns) != _column_of(
                w_start, columns
            ) and not open_bracket(c.text[piece_start - c.start : w_start - c.start]):
                out.append(_piece(c, piece_start, w_start - 1, out_gap=piece_start == c.start and c.gap_before))
                piece_start = w_start
        out.append(_piece(c, piece_start, c.end, out_gap=piece_start == c.start and c.gap_before))
    return out


def _piece(c: _Chunk, start: int, end: int, *, out_gap: bool) -> _Chunk:
    return _Chunk(start, end, c.text[start - c.start : end - c.start].strip(), out_gap)


def _layout_cells(chunks: list[_Chunk], columns: list[tuple[int, int]]) -> list[str]:
    chunks = _split_at_columns(chunks, columns)
    where = [_column_of(c.start, columns) for c in chunks]
    if not chunks or any(k is None for k in where):
        return [c.text for c in chunks]
    cells: list[str] = []
    prev_end: int | None = None  # where the previous chunk ended (exclusive)
    for c, k in zip(chunks, where, strict=True):
        empties = [
            col for col in columns[:k] if (prev_end is None or col[0] > prev_end) and col[1] < c.start - _JITTER
        ]
        cells.extend([""] * len(empties))
        cells.append(c.text)
        prev_end = c.end
    return cells
