"""一级/二级 categories of a pdftotext-style form's rows.

The category cells are merged cells: a label is printed once, at the middle
of the rows it spans. The text keeps two kinds of label:

* *anchors*, printed on a row's line or just above its name: the row is in
  that category (``成本指标 成本控制管理规范性 …``);
* *free labels*, printed in a column of their own (``产出指标 数量指标
  质量指标 时效指标``) with no position: the category has at least one row,
  but which rows the text does not say.

Rows are in printed order and categories follow the national template's
order (产出: 数量, 质量, 时效, 成本; 效益: 经济, 社会, 生态, 可持续; 满意度), so
each category holds a contiguous run of rows and every label printed holds
at least one. Where anchors and counts leave more than one way to draw the
runs, the way chosen is the one that best fits (1) the wording of the rows
(``及时`` for 时效, a count unit for 数量 …, see ``vocabulary.LEVEL2_HINTS``)
and (2) the national guidance for the 一级 weights (产出 50, 效益 30, 满意度
10), a weak prior that breaks ties (forms often deviate from it: a row
worded 及时性 stays 时效 even when that leaves 产出 above 50); the form then
carries a ``category_span_uncertain`` warning naming the rows concerned.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ingest import vocabulary as V
from ingest.layouts.pdftext_lines import COUNT_VALUE
from ingest.layouts.pdftext_rows import CAT, Assembly, Row
from ingest.records import FormError, Issue, Severity

_COST_L2 = V.TAXONOMY["成本指标"]
# The search for the spans weighs every split of the rows no label anchors
# (their number cubed, times the labels: a quarter of a second at 100 rows,
# hours at a few thousand); a form of the template has tens of rows.
MAX_OPEN_ROWS = 100
_L1_ORDER = ("产出指标", "成本指标", "效益指标", "满意度指标")


def _slots(assembly: Assembly) -> list[tuple[str, str | None]]:
    """The (一级, 二级) categories printed in the form, in template order."""
    names = [c for row in assembly.rows for c in row.anchors]
    names += [c for _, it in assembly.pool if it.kind == CAT for c in it.cats]
    names += [row.hint for row in assembly.rows if row.hint]
    cost_is_level1 = any(n in _COST_L2 for n in names)
    level2: set[tuple[str, str]] = set()
    level1: set[str] = set()
    for name in names:
        if name == "成本指标" and cost_is_level1:
            level1.add(name)
        elif name in V.LEVEL2_PARENT:
            level2.add((V.LEVEL2_PARENT[name], name))
        elif name in V.LEVEL1_NAMES:
            level1.add(name)
    out: list[tuple[str, str | None]] = []
    for l1 in _L1_ORDER:
        children = [l2 for l2 in V.TAXONOMY[l1] if (l1, l2) in level2]
        if children:
            out.extend((l1, c) for c in children)
        elif l1 in level1:
            out.append((l1, None))
    return out


def _allowed(row: Row, slots: list[tuple[str, str | None]]) -> set[int]:
    level2 = [c for c in row.anchors if any(s[1] == c for s in slots)]
    if level2:
        return {k for k, s in enumerate(slots) if s[1] == level2[-1]}
    level1 = [c for c in row.anchors if c in V.LEVEL1_NAMES and any(s[0] == c for s in slots)]
    if level1:
        return {k for k, s in enumerate(slots) if s[0] == level1[-1]}
    return set(range(len(slots)))


def _affinity(row: Row, slot: tuple[str, str | None]) -> float:
    level2 = slot[1]
    if level2 is None:
        return 0.0
    score = _wording(level2, row.name or "", row.target or "", row.actual or "")
    if row.hint == level2:
        score += 1.5
    return score


@lru_cache(maxsize=1 << 14)
def _wording(level2: str, name: str, target: str, actual: str) -> float:
    """How much a row's wording suggests a 二级 category (the same rows recur
    across a project's forms and years)."""
    words = V.LEVEL2_HINTS.get(level2, ())
    values = f"{target} {actual}"
    score = min(2, sum(1 for w in words if w in name)) + 0.5 * min(2, sum(1 for w in words if w in values))
    if level2 == "数量指标" and COUNT_VALUE.search(target):
        score += 0.5
    return score


def assign_categories(assembly: Assembly, seq: int) -> tuple[list[tuple[str | None, str | None]], list[Issue]]:
    rows = assembly.rows
    slots = _slots(assembly)
    if not slots:
        return [(None, None)] * len(rows), [
            Issue("categories_missing", "no 一级/二级 category label was found", rows[0].line_no, seq, Severity.WARNING)
        ]
    allowed = [_allowed(r, slots) for r in rows]
    unanchored = [r.line_no for r, a in zip(rows, allowed) if len(a) > 1]
    if len(unanchored) > MAX_OPEN_ROWS:
        raise FormError(
            "too_complex",
            f"{len(unanchored)} indicator rows (value lines {unanchored[0]}–{unanchored[-1]}) could each take more "
            f"than one of {len(slots)} category labels: more than the {MAX_OPEN_ROWS} rows the search for their "
            "spans weighs",
            unanchored[0],
        )
    best = _best(rows, slots, allowed, need_all=True) or _best(rows, slots, allowed, need_all=False)
    if best is None:
        return _fill_down(rows), [
            Issue(
                "category_order_unexpected",
                "the category labels printed with the rows are not in the template's order; each row takes "
                "the last label printed above it",
                rows[0].line_no,
                seq,
                Severity.WARNING,
            )
        ]
    assignment, choices, possible = best
    levels = [slots[k] for k in assignment]
    warnings = []
    open_rows = [rows[i].line_no for i in range(len(rows)) if len(possible[i]) > 1]
    if choices > 1 and open_rows:
        warnings.append(
            Issue(
                "category_span_uncertain",
                f"{len(open_rows)} rows could take more than one of the category labels printed without a "
                f"position ({choices} ways in all); the spans closest to the national 一级 weights, the labels' "
                f"positions and the rows' wording were taken (value lines {open_rows[:12]}"
                f"{' …' if len(open_rows) > 12 else ''})",
                open_rows[0],
                seq,
                Severity.WARNING,
                rows=tuple(open_rows),
            )
        )
    return levels, warnings


def _fill_down(rows: list[Row]) -> list[tuple[str | None, str | None]]:
    out: list[tuple[str | None, str | None]] = []
    current: tuple[str | None, str | None] = (None, None)
    for row in rows:
        for c in row.anchors:
            if c in V.LEVEL2_PARENT:
                current = (V.LEVEL2_PARENT[c], c)
            elif c in V.LEVEL1_NAMES:
                current = (c, None)
        out.append(current)
    return out


def _best(rows: list[Row], slots, allowed: list[set[int]], need_all: bool):
    """The best monotone assignment of rows to slots, how many there are, and
    the slots each row can take in any of them.

    Each slot takes a contiguous span of rows (at least one when
    ``need_all``); the score of an assignment is the rows' wording affinity,
    plus a bonus for each 一级 group whose weights match the guidance, less
    the distance of an anchored row from the middle of its slot's span."""
    n, m = len(rows), len(slots)
    least = 1 if need_all else 0

    @lru_cache(maxsize=None)
    def count(j: int, a: int) -> int:
        if j == m:
            return 1 if a == n else 0
        total = 0
        for b in range(a + least, n + 1):
            if b > a and j not in allowed[b - 1]:
                break
            total += count(j + 1, b)
        return total

    choices = count(0, 0)
    if choices == 0:
        return None
    # With one way to draw the spans (every row anchored, the usual case)
    # there is nothing to weigh: the scores and the open rows are skipped.
    weights = [Decimal(0)]
    for r in rows:
        weights.append(weights[-1] + Decimal(r.weight))
    aff = [[0.0] * (n + 1) for _ in range(m)]
    if choices > 1:
        for j, slot in enumerate(slots):
            for i, row in enumerate(rows):
                aff[j][i + 1] = aff[j][i] + _affinity(row, slot)
    anchor: list[int | None] = [None] * m
    for j in range(m):
        pinned = [i for i in range(n) if allowed[i] == {j}]
        anchor[j] = pinned[0] if len(pinned) == 1 else None
    closes_group = [j == m - 1 or slots[j + 1][0] != slots[j][0] for j in range(m)]
    guidance = [V.LEVEL1_GUIDANCE.get(slot[0]) for slot in slots]

    @lru_cache(maxsize=None)
    def best(j: int, a: int, group_start: int):
        if j == m:
            return (0.0, ()) if a == n else None
        found = None
        fits, at, pinned, closes, guide = aff[j], aff[j][a], anchor[j], closes_group[j], guidance[j]
        # the group's weights match the guidance where they add up to it (exact decimals)
        matched = weights[group_start] + guide if closes and guide is not None else None
        for b in range(a + least, n + 1):
            if b > a and j not in allowed[b - 1]:
                break
            score = fits[b] - at
            if pinned is not None and b > a:
                score -= 2.0 * abs((a + b - 1) / 2 - pinned)
            nxt_start = group_start
            if closes:
                if matched is not None and weights[b] == matched:
                    score += 1.0
                nxt_start = b
            rest = best(j + 1, b, nxt_start)
            if rest is None:
                continue
            if found is None or score + rest[0] > found[0] + 1e-9:
                found = (score + rest[0], ((a, b), *rest[1]))
        return found

    def only_way() -> tuple[tuple[int, int], ...]:
        """The spans when there is one way to draw them (each slot's one end that leaves a way on)."""
        spans, a = [], 0
        for j in range(m):
            for b in range(a + least, n + 1):
                if b > a and j not in allowed[b - 1]:
                    break
                if count(j + 1, b):
                    spans.append((a, b))
                    a = b
                    break
        return tuple(spans)

    @lru_cache(maxsize=None)
    def reach(j: int, a: int) -> bool:
        """Whether slots 0..j-1 can take exactly rows 0..a-1."""
        if j == 0:
            return a == 0
        for c in range(a - least, -1, -1):
            if c < a and j - 1 not in allowed[c]:
                break
            if reach(j - 1, c):
                return True
        return False

    spans = only_way() if choices == 1 else best(0, 0, 0)[1]
    assignment = [0] * n
    for j, (a, b) in enumerate(spans):
        for i in range(a, b):
            assignment[i] = j
    if choices == 1:
        return assignment, choices, [{j} for j in assignment]
    # slot j can take rows a..b-1 for every b that leaves a way on; from one
    # start a those spans cover rows a up to the farthest such b
    possible: list[set[int]] = [set() for _ in range(n)]
    for j in range(m):
        covered = 0  # rows before this already take slot j
        for a in range(n + 1):
            if not reach(j, a):
                continue
            end = a
            for b in range(a + 1, n + 1):
                if j not in allowed[b - 1]:
                    break
                if count(j + 1, b):
                    end = b
            for i in range(max(a, covered), end):
                possible[i].add(j)
            covered = max(covered, end)
    return assignment, choices, possible
