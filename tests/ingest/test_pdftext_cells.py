"""The cell cutting counts its cuts instead of listing them: it must pick what listing them would.

``reference_cut`` below is the definition written out (every way to place
the cut positions, each cell checked against the wrap widths, each cut's
cost added cell by cell); `cut` and `cut_tail` must agree with it, cell for
cell, in cost and in the number of close alternatives, on any run of lines
(the lines are drawn from a few words of different widths, so that cells
often wrap evenly, cuts tie and texts repeat).
"""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.layouts.pdftext_cells import cell_lines, cell_text, cut, cut_tail, pieces
from ingest.layouts.pdftext_lines import Line, is_full, width


def valid(cell) -> bool:
    texts = cell_lines(cell)
    col = max(width(t) for t in texts)
    return all(is_full(texts[i], col, texts[i + 1]) for i in range(len(texts) - 1))


def cost(cells, same_pair) -> float:
    total = 0.0
    for cell in cells:
        head = cell[0]
        if not head.first and len(cell_lines(cell)) > 1:
            total += 2.0  # starts mid-line and runs on
        if head.first and not head.line.block_start:
            total += 0.25  # starts a line, not a block
        if any(width(a.text) >= 2 and width(b.text) >= 2 for a, b in zip(cell, cell[1:]) if a.line is b.line):
            total += 2.1  # two words of one line
    if same_pair is not None and cell_text(cells[same_pair[0]]) == cell_text(cells[same_pair[1]]):
        total -= 3.0
    return total


def reference_cut(ps, n, same_pair):
    if n == 0:
        return ([], 0.0, 0) if not ps else None
    scored = []
    for bounds in combinations(range(1, len(ps)), n - 1):
        edges = (0, *bounds, len(ps))
        cells = [ps[edges[k] : edges[k + 1]] for k in range(n)]
        if all(valid(c) for c in cells):
            scored.append((cost(cells, same_pair), cells))
    if not scored:
        return None
    scored.sort(key=lambda sc: sc[0])
    best_cost, best = scored[0]
    return best, best_cost, sum(1 for c, _ in scored[1:] if c - best_cost < 0.5)


def reference_tail(ps, n, same_pair):
    best = None
    for start in (i for i, p in enumerate(ps) if p.first):
        found = reference_cut(ps[start:], n, same_pair)
        if found is not None:
            total = found[1] + (0.0 if ps[start].line.block_start else 0.5)
            if best is None or total < best[0]:
                best = (total, start, found)
    return None if best is None else (best[1], best[2])


WORDS = ["及时", "党员教育", "活动开展情况", "率", "（", "测评）", "100%", "≥90%", "，处理", "组织开展满意度"]
LINES = st.lists(
    st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), st.booleans(), st.integers(0, 1)),
    min_size=1,
    max_size=6,
)


def run_of(drawn):
    lines = [Line(no, " ".join(words), block) for no, (words, block, _) in enumerate(drawn, start=1)]
    skips = {line.no: min(skip, len(line.tokens) - 1) for line, (_, _, skip) in zip(lines, drawn)}
    return pieces(lines, skips)


def as_found(result):
    if result is None:
        return None
    return [[(id(p.line), p.text) for p in c] for c in result.cells], result.cost, result.alternatives


def as_reference(result):
    if result is None:
        return None
    cells, total, close = result
    return [[(id(p.line), p.text) for p in c] for c in cells], total, close


@settings(max_examples=300, deadline=None)
@given(LINES, st.integers(1, 3), st.booleans())
def test_cut_picks_what_listing_every_cut_picks(drawn, n, compare_last_two):
    ps = run_of(drawn)
    same = (n - 2, n - 1) if compare_last_two and n >= 2 else None
    assert as_found(cut(ps, n, same)) == as_reference(reference_cut(ps, n, same) if len(ps) >= n else None)
    tail = cut_tail(ps, n, same)
    expected = reference_tail(ps, n, same)
    assert (tail is None) == (expected is None)
    if tail is not None:
        assert (len(tail[0]), as_found(tail[1])) == (expected[0], as_reference(expected[1]))

