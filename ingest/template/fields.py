"""How well a cell suits a column, for the readings of :mod:`assign`.

Scores are small integers: higher is a better fit, None means the cell
cannot stand in that column (a word where 分值 is due, a number where 指标性质
is). They only rank the readings the order of the cells allows.
"""

from __future__ import annotations

import re

from ingest.grid import Cell
from ingest.template import labels as L
from ingest.text import is_none_mark, is_number, is_percent
from ingest.text import number_value as number  # noqa: F401 - the reader's name for it

_DIGIT = re.compile(r"\d")


def indicator_fit(role: str, cell: Cell) -> int | None:
    text = cell.text
    if role == "operator":
        return 4 if L.operator(text) else None
    if role == "unit":
        return 4 if L.is_unit(text) else None
    if role in ("weight", "score"):
        return 4 if is_number(text) else None
    if L.operator(text):
        return None  # an operator alone is no target, actual or reason
    if role in ("target", "actual"):
        if L.is_unit(text):
            return 0
        return 2 if _DIGIT.search(text) else 1
    if role == "reason":
        return 0 if is_number(text) else 1
    if role == "ignored":
        return 0
    return None


def budget_fit(role: str, cell: Cell) -> int | None:
    text = cell.text
    if is_none_mark(text):
        return 1 if role != "reason" else 0
    if role in ("initial", "full_year", "executed"):
        return 3 if is_number(text) else None
    if role in ("weight", "score"):
        value = number(text) if is_number(text) else None
        return 3 if value is not None and value <= 100 else None
    if role == "rate":
        return 3 if is_percent(text) else 2 if is_number(text) else None
    if role == "reason":
        return None if (is_number(text) or is_percent(text)) else 1
    return None
