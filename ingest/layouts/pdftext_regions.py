"""Split a pdftotext-style document into one run of lines per form.

A page's text blocks come out in the extractor's reading order, not the
form's: the budget block and the indicator table may come before the
form's own title. What does hold is the order of each form's parts from
page to page, and that each form has one title, one 项目资金 block and one
总分 row. So a form's run ends only after its 总分 row, and the next form
starts at the first piece of a new budget block (``实施单位`` on its own,
a budget header, a fund-source row) after that, or at a second title.
Whatever lies between a 总分 row and the next form's start (names, labels,
the goals, the title printed after the table) belongs to the form before.
"""

from __future__ import annotations

from ingest import vocabulary as V
from ingest.layouts.pdftext_budget import is_fund_row
from ingest.layouts.pdftext_lines import Line, budget_columns, title, total_points


def _starts_budget(line: Line) -> bool:
    return line.squashed == V.IMPLEMENTING_UNIT or budget_columns(line) is not None or is_fund_row(line)


def split_regions(lines: list[Line]) -> list[list[Line]]:
    regions: list[list[Line]] = []
    current: list[Line] = []
    has_title = has_total = False
    for line in lines:
        is_title = title(line)
        if current and ((has_total and _starts_budget(line)) or (is_title and has_title)):
            regions.append(current)
            current, has_title, has_total = [], False, False
        current.append(line)
        has_title = has_title or is_title
        has_total = has_total or total_points(line) is not None
    if current:
        regions.append(current)
    return regions
