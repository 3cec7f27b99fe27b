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
runs, the way chosen is the one that best fits (1) the national guidance
for the 一级 weights (产出 50, 效益 30, 满意度 10, used only as a prior), and
(2) the wording of the rows (``及时`` for 时效, a count unit for 数量 …, see
``vocabulary.LEVEL2_HINTS``); the form then carries a
``category_span_uncertain`` warning naming the rows concerned.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ingest import vocabulary as V
from ingest.layouts.pdftext_rows import CAT, Assembly, Row
from ingest.records import Issue, Severity

_COST_L2 = V.TAXONOMY["成本指标"]
_ENUMERATION_LIMIT = 300_000  # assignments scored at most (a 30-row form with 9 free labels)
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


_COUNT_TARGET = re.compile(rf"\d\s*({'|'.join(V.COUNT_UNITS)})")


def _affinity(row: Row, slot: tuple[str, str | None]) -> float:
    level2 = slot[1]
    if level2 is None:
        return 0.0
    words = V.LEVEL2_HINTS.get(level2, ())
    name = row.name or ""
    values = f"{row.target or ''} {row.actual or ''}"
    score = min(2, sum(1 for w in words if w in name)) + 0.5 * min(2, sum(1 for w in words if w in values))
    if level2 == "数量指标" and _COUNT_TARGET.search(row.target or ""):
        score += 0.5
    if row.hint == level2:
        score += 1.5
    return score


def assign_categories(assembly: Assembly, seq: int) -> tuple[list[tuple[str | None, str | None]], list[Issue]]:
    rows = assembly.rows
    slots = _slots(assembly)
    if not slots:
        return [(None, None)] * len(rows), [
            Issue("categories_missing", "no 一级/二级 category label was found", rows[0].line_no, seq, Severity.WARNING)
        ]
    allowed = [_allowed(r, slots) for r in rows]
    best = _best(rows, slots, allowed, need_all=True) or _best(rows, slots, allowed, need_all=False)
    if best is None:
        return _fill_down(rows, slots), [
            Issue(
                "category_order_unexpected",
                "the category labels printed with the rows are not in the template's order; each row takes "
                "the last label printed above it",
                rows[0].line_no,
                seq,
                Severity.WARNING,
            )
        ]
    assignment, choices = best
    levels = [slots[k] for k in assignment]
    warnings = []
    if choices > 1:
        open_rows = [rows[i].line_no for i in range(len(rows)) if len(allowed[i]) > 1]
        warnings.append(
            Issue(
                "category_span_uncertain",
                f"the text allows {choices} ways to give the {len(open_rows)} rows printed without a category "
                "label a category; the one closest to the national 一级 weights, the labels' positions and the "
                f"rows' wording was taken (value lines {open_rows[:12]}{' …' if len(open_rows) > 12 else ''})",
                open_rows[0] if open_rows else rows[0].line_no,
                seq,
                Severity.WARNING,
            )
        )
    return [(l1, l2) for l1, l2 in levels], warnings


def _fill_down(rows: list[Row], slots) -> list[tuple[str | None, str | None]]:
    out, current = [], (None, None)
    for row in rows:
        for c in row.anchors:
            if c in V.LEVEL2_PARENT:
                current = (V.LEVEL2_PARENT[c], c)
            elif c in V.LEVEL1_NAMES:
                current = (c, None)
        out.append(current)
    return out


def _best(rows: list[Row], slots, allowed: list[set[int]], need_all: bool):
    """The best monotone assignment of rows to slots and how many there are."""
    n, m = len(rows), len(slots)
    weights = [Decimal(r.weight) for r in rows]
    aff = [[_affinity(r, s) for s in slots] for r in rows]

    @lru_cache(maxsize=None)
    def count(i: int, j: int, used: bool) -> int:
        """Assignments of rows i.. to slots j.. (slot j already used if ``used``)."""
        if i == n:
            return 1 if (not need_all or (used and j == m - 1)) else 0
        total = 0
        if j in allowed[i]:
            total += count(i + 1, j, True)
        if (used or not need_all) and j + 1 < m:
            total += count(i, j + 1, False)
        return total

    choices = count(0, 0, False)
    if choices == 0:
        return None
    anchored = {k: [i for i in range(n) if allowed[i] == {k}] for k in range(m)}
    best_score, best_assign = None, None
    for assign in _enumerate(n, m, allowed, need_all, limit=_ENUMERATION_LIMIT):
        score = sum(aff[i][k] for i, k in enumerate(assign)) + _guidance(assign, slots, weights)
        score -= _off_centre(assign, anchored)
        if best_score is None or score > best_score + 1e-9:
            best_score, best_assign = score, assign
    return best_assign, choices


def _enumerate(n: int, m: int, allowed, need_all: bool, limit: int | None):
    produced = 0
    assign = [0] * n

    def rec(i: int, j: int, used: bool):
        nonlocal produced
        if limit is not None and produced >= limit:
            return
        if i == n:
            if not need_all or (used and j == m - 1):
                produced += 1
                yield tuple(assign)
            return
        if j in allowed[i]:
            assign[i] = j
            yield from rec(i + 1, j, True)
        if (used or not need_all) and j + 1 < m:
            yield from rec(i, j + 1, False)

    yield from rec(0, 0, False)


def _off_centre(assign, anchored: dict[int, list[int]]) -> float:
    """A label printed on a row's line sits at the middle of its span: the
    distance (in rows) between that row and the span's middle."""
    cost = 0.0
    for k, rows in anchored.items():
        if len(rows) != 1:
            continue
        span = [i for i, slot in enumerate(assign) if slot == k]
        if span:
            cost += 2.0 * abs((span[0] + span[-1]) / 2 - rows[0])
    return cost


def _guidance(assign, slots, weights) -> float:
    sums: dict[str, Decimal] = {}
    for i, k in enumerate(assign):
        l1 = slots[k][0]
        sums[l1] = sums.get(l1, Decimal(0)) + weights[i]
    return sum(3.0 for l1, s in sums.items() if V.LEVEL1_GUIDANCE.get(l1) == s)

