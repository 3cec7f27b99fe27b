"""The reconstructed form as a cell grid, for the template reader.

The reconstruction (the other ``pdftext_*`` modules) puts a scrambled form's
pieces back in their rows; this module lays those rows out as the national
template prints them — title, 项目名称, 主管部门 / 实施单位, the 项目资金 block
under its header, 年度总体目标, the 绩效指标 table with its categories on every
row, 总分, 评分等级 — each cell with the line it was read from. The template
reader then reads it like any other grid, and the same checks run on it.
A row whose reconstruction is a best fit rather than a reading (a warning
naming it: names paired apart, a category span, a cell split, a reason)
carries a confidence below 1 and the warning's text as its note.
"""

from __future__ import annotations

from ingest import vocabulary as V
from ingest.grid import Cell, Grid, Row
from ingest.records import Issue

NAME = "pdftext"
# the confidence of a row the text leaves open (its note says why)
UNCERTAIN = 0.8
_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", V.DEVIATION_HEADER)
_FUND_LABELS = {code: label for label, code in V.FUND_SOURCES.items()}


class _Rows:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, cells: list[tuple[str | None, int]], confidence: float = 1.0, note: str | None = None) -> None:
        index = len(self.rows)
        # positional arguments: keywords make every Cell() build a dict
        built = tuple([Cell((text or "").strip(), index, k, 1, 1, f"line {line}", line)
                       for k, (text, line) in enumerate(cells)])
        line = next((c.line_no for c in built if c.text), built[0].line_no if built else None)
        self.rows.append(Row(index, built, f"line {line}", line, confidence, note))


def form_grid(head, budget, assembly, levels, warnings: list[Issue], first: int, last: int) -> Grid:
    """One reconstructed form (see :func:`pdftext_form.read_form`) as a grid."""
    t = head.title_line.no
    out = _Rows()
    out.add([(head.title_line.text, t)] + ([(f"({head.year}年度)", t)] if head.year else []))
    out.add([(V.PROJECT_NAME, t), (head.project_name, t)])
    out.add([(V.SUPERVISING_DEPARTMENT, t), (head.supervising, t), (V.IMPLEMENTING_UNIT, t), (head.implementing, t)])
    out.add([(f"{V.FUNDS}({head.money_unit})", t)] + [(c, t) for c in V.BUDGET_COLUMNS])
    for fund, row in budget.printed().items():
        cells = [row.get(c, (None, t)) for c in V.BUDGET_COLUMNS]
        out.add([(_FUND_LABELS[fund], cells[0][1] if cells[0][0] else t)] + cells)
    out.add([(V.GOALS, t), (V.GOAL_PLANNED[0], t), (V.GOAL_ACTUAL[0], t)])
    out.add([(None, t), (head.goal_planned, t), (head.goal_actual, t)])
    out.add([(label, t) for label in _HEADER])
    notes: dict[int, list[str]] = {}
    for w in warnings:
        for line in w.rows:
            notes.setdefault(line, []).append(f"{w.code}: {w.message}")
    for (level1, level2), row in zip(levels, assembly.rows):
        n = row.line_no
        note = "; ".join(notes[n]) if n in notes else None
        out.add(
            [(level1, n), (level2, n), (row.name, n), (row.target, n), (row.actual, n), (row.weight, n),
             (row.score, n), (row.reason, n)],
            confidence=UNCERTAIN if note else 1.0,
            note=note,
        )
    tw, ts, tl = assembly.total
    out.add([(V.TOTAL, tl), (tw, tl), (ts, tl)])
    if head.grade:
        out.add([(V.GRADE, t), (head.grade, t)])
    return Grid(rows=out.rows, source=NAME, issues=list(warnings), lines=(first, last))
