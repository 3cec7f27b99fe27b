"""Tab-separated text: table text copied out of a spreadsheet or a PDF table.

One line is one table row, cells separated by tabs, read with the ``csv``
module so that Excel's quoted cells (a cell holding tabs, quotes or line
breaks: ``"第一行\n第二行"``) come out whole. Empty cells are kept: their
positions are what the columns of the row are. Merged cells of the original
table shift later cells from row to row; the template reader, not this
module, decides what a cell is.
"""

from __future__ import annotations

import csv

from ingest.grid import Grid, Row, text_row

NAME = "tabular"
FORMAT = "text"


def detect(lines: list[str]) -> float:
    """Most lines with text hold a tab: the share of them that do."""
    content = [line for line in lines if line.strip()]
    if not content:
        return 0.0
    share = sum("\t" in line for line in content) / len(content)
    return share if share >= 0.5 else 0.0


def read(text: str) -> list[Grid]:
    rows: list[Row] = []
    reader = csv.reader(text.split("\n"), delimiter="\t", quotechar='"', strict=False)
    line_no = 1
    for cells in reader:
        first_line = line_no
        line_no = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        rows.append(text_row(len(rows), [c.strip() for c in cells], first_line))
    return [Grid(rows=rows, source=NAME)]
