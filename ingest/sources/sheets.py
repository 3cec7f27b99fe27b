"""One spreadsheet sheet as a grid, shared by the xlsx, xls and ods sources.

A sheet reader hands over only the non-empty cells (as the text a reader
sees) and the merged ranges; this module places them. The grid covers the
used range — the smallest rectangle holding every non-empty cell — so a
sheet with a million formatted but empty rows costs nothing; inside it,
blank cells are kept as ``""`` (positions keep their meaning) and every
position a merge covers is left out, the merged cell standing once at its
top-left with its spans (clipped to the used range). A used range too large
to hold densely (a stray value far away from the form) keeps only its
non-empty cells, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ingest.grid import ROWS_RELIABLE, Cell, Grid, Row
from ingest.records import Issue, Severity

# Positions of a used range kept densely (blank cells as ""); beyond it only non-empty cells.
DENSE_CELLS = 200_000


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based, inclusive."""

    top: int
    left: int
    bottom: int
    right: int


@lru_cache(maxsize=4096)
def column_letters(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_prefix(name: str) -> str:
    """``Sheet1!`` / ``'My Sheet'!`` as a formula would cite the sheet."""
    if all(ch.isalnum() or ch == "_" for ch in name):
        return f"{name}!"
    return "'" + name.replace("'", "''") + "'!"


def sheet_grid(name: str, values: dict[tuple[int, int], str], merges: list[Merge], *, source: str,
               source_format: str) -> Grid | None:
    """The grid of one sheet from its non-empty cells ((row, col) 0-based ->
    text) and merged ranges; None for a sheet with no text at all."""
    if not values:
        return None
    top = min(r for r, _ in values)
    bottom = max(r for r, _ in values)
    left = min(c for _, c in values)
    right = max(c for _, c in values)
    prefix = sheet_prefix(name)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    dense = (bottom - top + 1) * (right - left + 1) <= DENSE_CELLS
    for m in merges:
        if m.top > bottom or m.left > right or m.bottom < top or m.right < left:
            continue
        t, lft = max(m.top, top), max(m.left, left)
        b, rgt = min(m.bottom, bottom), min(m.right, right)
        if (t, lft) != (m.top, m.left) and (t, lft) not in values:
            continue  # anchored outside the used range and empty where it enters it
        spans[(t, lft)] = (b - t + 1, rgt - lft + 1)
        if dense:
            covered.update((r, c) for r in range(t, b + 1) for c in range(lft, rgt + 1) if (r, c) != (t, lft))
        else:
            covered.update(p for p in values if t <= p[0] <= b and lft <= p[1] <= rgt and p != (t, lft))
    issues: list[Issue] = []
    rows: list[Row] = []
    if dense:
        positions = ((r, [c for c in range(left, right + 1) if (r, c) not in covered]) for r in range(top, bottom + 1))
    else:
        by_row: dict[int, list[int]] = {}
        for r, c in sorted(values):
            if (r, c) not in covered:
                by_row.setdefault(r, []).append(c)
        positions = iter(by_row.items())
        issues.append(Issue(
            "sparse_sheet",
            f"sheet {name}: its used range {column_letters(left)}{top + 1}:{column_letters(right)}{bottom + 1} "
            f"is too large to hold cell by cell; only its {len(values):,} non-empty cells were read",
            severity=Severity.WARNING,
        ))
    for r, cols in positions:
        index = r - top
        cells = []
        for c in cols:
            rs, cs = spans.get((r, c), (1, 1))
            cells.append(Cell(values.get((r, c), ""), index, c - left, rs, cs,
                              ref=f"{prefix}{column_letters(c)}{r + 1}", line_no=r + 1))
        rows.append(Row(index, tuple(cells), ref=f"{prefix}{r + 1}:{r + 1}", line_no=r + 1))
    return Grid(rows, source=source, source_format=source_format, label=name, issues=issues,
                row_breaks=ROWS_RELIABLE)
