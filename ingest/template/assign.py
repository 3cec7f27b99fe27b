"""Which value cell is which column, when the printed row does not say.

A row's cells are known in order, and its columns (roles) are known from the
block's header, but cells go missing (an empty cell a converter dropped, a
merged cell) or shift. A *reading* puts each value cell under one column,
keeping their order; a fit function scores how well a cell suits a column
(None: it cannot stand there). The best readings are those of the highest
total fit; the row is read only when they all agree on what each column
holds — otherwise the row is ambiguous, and the caller says so instead of
guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.grid import Cell

Fit = Callable[[str, Cell], int | None]


@dataclass(frozen=True)
class Reading:
    cells: dict[str, Cell]  # role -> the cell read under it
    fit: int

    def text(self, role: str) -> str | None:
        cell = self.cells.get(role)
        return cell.text if cell else None


def reading_of(pairs: Iterable[tuple[str | None, Cell]], fit: Fit) -> Reading | None:
    """The one reading that puts each cell under the role paired with it (a
    row's own positions say so), or None when a cell has no role, a role
    comes twice or a cell does not suit its role."""
    chosen: dict[str, Cell] = {}
    total = 0
    for role, cell in pairs:
        if role is None or role in chosen:
            return None
        f = fit(role, cell)
        if f is None:
            return None
        chosen[role] = cell
        total += f
    return Reading(chosen, total)


def readings(cells: Sequence[Cell], roles: Sequence[str], fit: Fit, required: frozenset[str] = frozenset()) -> list[Reading]:
    """Every order-keeping placement of ``cells`` under ``roles`` (each role
    at most once) that the fit function allows and that fills the required
    roles, best first."""
    n, m = len(cells), len(roles)
    if n > m:
        return []
    # cell i can stand only under roles i … m - n + i (the others before and after it need theirs)
    fits = [[fit(roles[k], cell) if i <= k <= m - n + i else None for k in range(m)] for i, cell in enumerate(cells)]

    @lru_cache(maxsize=None)
    def place(i: int, j: int) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """Placements of cells[i:] into roles[j:]: (fit, role index per cell)."""
        if i == n:
            return ((0, ()),)
        out = []
        for k in range(j, m - (n - i) + 1):
            f = fits[i][k]
            if f is None:
                continue
            for rest_fit, rest in place(i + 1, k + 1):
                out.append((f + rest_fit, (k, *rest)))
        return tuple(out)

    found = []
    for total, idx in place(0, 0):
        chosen = {roles[k]: cells[i] for i, k in enumerate(idx)}
        if required <= chosen.keys():
            found.append(Reading(chosen, total))
    found.sort(key=lambda r: -r.fit)
    return found


def best(found: list[Reading], outcome: Callable[[Reading], Hashable]) -> tuple[Reading | None, int]:
    """The best reading and how many different outcomes tie for best (1:
    the row is read; more: it is ambiguous; 0: no reading at all)."""
    if not found:
        return None, 0
    top = [r for r in found if r.fit == found[0].fit]
    return top[0], len({outcome(r) for r in top})
