"""Text that ``pdftotext`` made of a PDF in its default mode: a ruled table's cells one paragraph
each, in the extractor's reading order rather than the table's.

Poppler prints each cell of a ruled table as a block of its own (blocks are set apart by blank
lines), and orders the blocks by its own flow: row by row for the most part, but a merged cell's
label comes where its flow puts it — ``项目资金（元）`` amid the head, ``实施单位`` after the budget,
a fund row's label after its values, ``产出指标`` / ``绩效指标`` / ``总分`` after the table — and
blocks that touch share a paragraph (``财政项目支出绩效自评表`` / ``(2022年度)`` / ``项目名称``).
Nothing in the text says where a cell stood, so the form is rebuilt from the template alone, and
only where the text allows one reading (:func:`read` builds the grid the template reader reads):

* a paragraph is one cell, unless its lines are whole labels, numbers or titles (each a cell), or
  a label wrapped over its lines (``其中：当年财政`` / ``拨款``, ``服务对象满意度`` / ``指标``); a
  paragraph that mixes labels and other text, or prints two texts side by side on a line, is
  several cells that cannot be told apart, and its form is refused;
* the head: the texts between the year and the 项目资金 column header are the values of
  项目名称 / 主管部门 / 实施单位 in the order their labels are printed (a label printed after the
  budget comes last), which must be the template's: as many values as labels, or the form is
  refused;
* the budget: every number between the column header and the goals, in order, six (one per
  column) to each fund row label in the order the labels are printed, which must be the
  template's — however the labels and the numbers interleave;
* the goals: the two texts after 预期目标 / 实际完成情况;
* the indicator table: its header's labels wherever they were printed; then rows cut from the
  cells by the grammar of the template — its categories, a name, one cell per value column the
  header names, 分值 and 得分 numbers, and a 偏差原因 text — which must cut them in one way only;
* categories printed apart from the rows (after the table, or between the header's cells): each
  run of rows with no 一级 (二级) of its own takes one such label, in order, when there are as many
  labels as runs and every row's 二级 belongs to the 一级 it gets; otherwise which rows a merged
  category spans is not in the text and the form is refused;
* after the table only the 总分 row's two numbers, labels and the grade may stand: a 偏差原因
  printed there has lost its row, and the form is refused.

Refusals are ``cells_out_of_order`` (a form's own grid carries the issue; the file's other forms
still land). Cell references are ``line N`` (the paragraph's first line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import vocabulary as V
from ingest.categories import CATEGORY_NAMES
from ingest.grid import Cell, Grid, Row
from ingest.records import FormError, Issue
from ingest.template import labels as L
from ingest.text import is_none_mark, is_number, join_lines, squash

NAME = "reading_order"
CODE = "cells_out_of_order"

_PERCENT = re.compile(r"\s*[%％]$")
_SIDE_BY_SIDE = re.compile(r"[^\x00-\x7f]\s[^\x00-\x7f]")  # two texts on one line, one space between them
_FUND_ORDER = list(V.FUND_ROW_LABELS)
_SHORT_SHARE = 0.8  # of paragraphs of one or two lines: one cell a paragraph
_INDICATOR_ROLES = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")
_VALUE_ROLES = ("target", "actual")


@dataclass(frozen=True)
class _Cell:
    text: str
    line: int  # 1-based line of the paragraph it was read from
    tangled: bool = False  # several cells in one paragraph that cannot be told apart


# ------------------------------------------------------------------ cells


def _value(text: str) -> bool:
    return is_number(_PERCENT.sub("", text)) or is_none_mark(text)


def _category(text: str) -> bool:
    return squash(text) in CATEGORY_NAMES


def _label(text: str) -> bool:
    return bool(
        L.title_kind(text) or L.is_year_line(text) or L.head_role(text) or L.is_budget_block(text)
        or L.budget_column(text) or L.fund_row(text) or L.goal_label(text) or L.indicator_column(text)
        or L.indicator_block(text) or L.total_label(text)[0] or L.is_grade_label(text) or _category(text)
    )


def _unit(text: str) -> bool:
    """A cell by itself: a label, a title, a year, a number, a grade."""
    return _label(text) or _value(text) or L.is_grade(text)


def _wrapped_label(parts: list[str]) -> bool:
    """Lines that make one label together, none after the first a label of its own."""
    joined = "".join(squash(p) for p in parts)
    if any(_label(p) for p in parts[1:]):
        return False
    return joined in CATEGORY_NAMES or L.fund_row(joined) is not None or bool(
        L.indicator_column(joined) or L.head_role(joined) or L.budget_column(joined) or L.is_grade_label(joined))


def _paragraph_cells(lines: list[str], first: int) -> list[_Cell]:
    if len(lines) == 1:
        return [_Cell(lines[0], first)]
    items: list[tuple[str, int]] = []  # text, line
    i = 0
    while i < len(lines):
        for j in range(len(lines), i + 1, -1):
            if _wrapped_label(lines[i:j]):
                items.append(("".join(lines[i:j]), first + i))
                i = j
                break
        else:
            items.append((lines[i], first + i))
            i += 1
    if all(_unit(t) for t, _ in items):
        return [_Cell(t, n) for t, n in items]
    if not any(_unit(t) for t, _ in items) and not any(_SIDE_BY_SIDE.search(line) for line in lines):
        return [_Cell(join_lines(lines), first)]  # one cell's text, wrapped
    return [_Cell("\n".join(lines), first, tangled=True)]


def _paragraphs(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(first line, stripped lines) of each paragraph: blank lines and form feeds end one."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for no, raw in enumerate(lines, start=1):
        if "\f" in raw and current:
            out.append((start, current))
            current = []
        text = raw.replace("\f", "").strip()
        if not text:
            if current:
                out.append((start, current))
                current = []
            continue
        if not current:
            start = no
        current.append(text)
    if current:
        out.append((start, current))
    return out


def cells_of(text: str) -> list[_Cell]:
    return [c for first, lines in _paragraphs(text.split("\n")) for c in _paragraph_cells(lines, first)]


# ----------------------------------------------------------------- detect


def detect(lines: list[str]) -> float:
    """0.97 for text of one cell a paragraph (most paragraphs one or two lines) in which a short
    paragraph holds a form's title together with another label on a line of its own (poppler's
    blocks that touch: the title, the year, ``项目名称``); else 0."""
    paragraphs = _paragraphs(lines)
    if not paragraphs or sum(len(p) <= 2 for _, p in paragraphs) < _SHORT_SHARE * len(paragraphs):
        return 0.0
    for _, para in paragraphs:
        if 1 < len(para) <= 4 and any(L.title_kind(p) for p in para) and any(
            _label(p) and not L.title_kind(p) and not L.is_year_line(p) for p in para
        ):
            return 0.97
    return 0.0


# ------------------------------------------------------------------- read


def read(text: str) -> list[Grid]:
    """One grid per form title; a form that cannot be rebuilt in one way is an empty grid
    carrying its refusal (the form keeps its number)."""
    cells = cells_of(text)
    starts = [k for k, c in enumerate(cells) if not c.tangled and L.title_kind(c.text)]
    if not starts:
        starts = [k for k, c in enumerate(cells) if c.tangled and any(L.title_kind(p) for p in c.text.split("\n"))]
    grids = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(cells)
        try:
            grids.append(_Form(cells[start:end]).grid())
        except FormError as err:
            grids.append(Grid(rows=[], source=NAME, issues=[Issue(err.code, err.message, err.line_no, n + 1)]))
    return grids


def _refuse(why: str, cell: _Cell | None) -> FormError:
    return FormError(CODE, f"pdftotext's reading-order text (its default mode): {why}; make the text with "
                     "pdftotext -layout, or ingest the PDF itself", cell.line if cell else None)


@dataclass
class _Form:
    cells: list[_Cell]

    def grid(self) -> Grid:
        cells = self.cells
        tangled = next((c for c in cells if c.tangled), None)
        if tangled is not None:
            raise _refuse(f"a paragraph holds parts of several cells side by side ({tangled.text[:30]!r}…), which "
                          "cannot be told apart", tangled)
        rows: list[list[_Cell | None]] = []
        title = cells[0]
        rows.append([title])
        k = 1
        if k < len(cells) and L.is_year_line(cells[k].text):
            rows.append([cells[k]])
            k += 1
        header = self._budget_header(k)
        rows.extend(self._head(k, header[0]))
        budget_rows, after_budget = self._budget(header)
        rows.extend(budget_rows)
        goal_rows, table_at = self._goals(after_budget)
        rows.extend(goal_rows)
        rows.extend(self._table(table_at, header))
        grid_rows = [
            Row(r, tuple(Cell(c.text if c else "", r, col, ref=f"line {c.line}" if c else "", line_no=c.line if c else None)
                         for col, c in enumerate(row)), ref=f"line {row[0].line}" if row[0] else "",
                line_no=next((c.line for c in row if c), None))
            for r, row in enumerate(rows)
        ]
        lines = [c.line for c in cells]
        return Grid(rows=grid_rows, source=NAME, lines=(min(lines), max(lines)))

    # -- head and budget ------------------------------------------------------------
    def _budget_header(self, start: int) -> tuple[int, int]:
        """(first, end) of the run of budget column labels."""
        for k in range(start, len(self.cells)):
            end = k
            while end < len(self.cells) and L.budget_column(self.cells[end].text):
                end += 1
            roles = {L.budget_column(c.text) for c in self.cells[k:end]}
            if {"initial", "full_year", "executed"} <= roles:
                return k, end
        raise _refuse("no 项目资金 column header (年初预算数 / 全年预算数 / 全年执行数) was found", self.cells[0])

    def _head(self, start: int, header_at: int) -> list[list[_Cell | None]]:
        labels = [(k, c) for k, c in enumerate(self.cells) if L.head_role(c.text)]
        roles = [L.head_role(c.text) for _, c in labels]
        if len(set(roles)) != len(roles):
            raise _refuse("a 项目名称 / 主管部门 / 实施单位 label is printed twice", labels[0][1])
        values = [c for c in self.cells[start:header_at] if not _label(c.text) and not _value(c.text)]
        if len(values) != len(labels) or "project_name" not in roles:
            raise _refuse(f"the head prints {len(labels)} labels (项目名称 / 主管部门 / 实施单位) and {len(values)} "
                          "texts, which cannot be paired", self.cells[start] if start < len(self.cells) else None)
        ordered = [c for k, c in labels if k < header_at] + [c for k, c in labels if k >= header_at]
        if [L.head_role(c.text) for c in ordered] != [r for r in V.HEAD_LABELS if r in roles]:
            raise _refuse("the head's labels are printed out of the template's order (项目名称, 主管部门, 实施单位), so "
                          "which text is whose is not in the text", ordered[0])
        return [[label, value] for label, value in zip(ordered, values)]

    def _budget(self, header: tuple[int, int]) -> tuple[list[list[_Cell | None]], int]:
        first, end = header
        columns = self.cells[first:end]
        block = next((c for c in self.cells if L.is_budget_block(c.text)), None)
        if block is None:
            raise _refuse("no 项目资金 label (with its unit) was found", columns[0])
        k = end
        funds: list[_Cell] = []
        values: list[_Cell] = []
        while k < len(self.cells) and L.goal_label(self.cells[k].text) not in ("planned", "actual") and not (
            L.indicator_column(self.cells[k].text) and L.indicator_column(self.cells[k].text) != "level1"
        ):
            cell = self.cells[k]
            if L.fund_row(cell.text):
                funds.append(cell)
            elif _value(cell.text):
                values.append(cell)
            elif not _label(cell.text):
                raise _refuse(f"a text ({cell.text[:20]!r}) stands among the 项目资金 rows", cell)
            k += 1
        order = [L.fund_row(c.text) for c in funds]
        if order != sorted(order, key=lambda f: _FUND_ORDER.index(f) if f in _FUND_ORDER else len(_FUND_ORDER)) or len(
            set(order)) != len(order):
            raise _refuse("the 项目资金 rows' labels are printed out of the template's order, so which numbers are whose "
                          "is not in the text", funds[0])
        if not funds or len(values) != len(funds) * len(columns):
            raise _refuse(f"the 项目资金 block prints {len(funds)} fund rows and {len(values)} numbers for "
                          f"{len(columns)} columns, which cannot be placed", funds[0] if funds else columns[0])
        rows: list[list[_Cell | None]] = [[block, *columns]]
        for n, fund in enumerate(funds):
            rows.append([fund, *values[n * len(columns):(n + 1) * len(columns)]])
        return rows, k

    # -- goals ----------------------------------------------------------------------
    def _goals(self, start: int) -> tuple[list[list[_Cell | None]], int]:
        k = start
        labels = {}
        texts: list[_Cell] = []
        while k < len(self.cells):
            cell = self.cells[k]
            role = L.indicator_column(cell.text)
            if role and role != "level1":
                break
            goal = L.goal_label(cell.text)
            if goal in ("planned", "actual"):
                labels[goal] = cell
            elif not _label(cell.text):
                texts.append(cell)
            k += 1
        if not labels:
            if texts:
                raise _refuse(f"a text ({texts[0].text[:20]!r}) stands between the budget and the indicator table",
                              texts[0])
            return [], k
        if len(labels) != 2 or len(texts) != 2:
            raise _refuse(f"the goals print {len(labels)} labels and {len(texts)} texts, which cannot be paired",
                          next(iter(labels.values())))
        block = next((c for c in self.cells if L.goal_label(c.text) == "block"), None)
        return [[block, labels["planned"], labels["actual"]], [None, texts[0], texts[1]]], k

    # -- the indicator table -----------------------------------------------------------------
    def _table(self, start: int, budget_header: tuple[int, int]) -> list[list[_Cell | None]]:
        cells = self.cells
        heads: dict[str, _Cell] = {}
        for k, c in enumerate(cells):
            role = L.indicator_column(c.text)
            if role and not budget_header[0] <= k < budget_header[1] and k >= start or role == "level1":
                if role not in _INDICATOR_ROLES:
                    raise _refuse(f"the indicator table has a {c.text!r} column, which this reading does not place", c)
                heads.setdefault(role, c)
        if not {"name", "weight", "score"} <= set(heads):
            raise _refuse("the indicator table's header (三级指标 / 分值 / 得分) was not found", cells[start - 1])
        k = j = start  # the header's run (categories and block labels a merged cell printed amid it included)
        while j < len(cells) and (L.indicator_column(cells[j].text) or _category(cells[j].text)
                                  or L.indicator_block(cells[j].text)):
            j += 1
            if L.indicator_column(cells[j - 1].text):
                k = j
        total_at = next((j for j in range(k, len(cells)) if L.total_label(cells[j].text)[0]), None)
        if total_at is None:
            raise _refuse("the indicator table has no 总分 row", cells[-1])
        if total_at + 2 < len(cells) and all(is_number(c.text) for c in cells[total_at + 1:total_at + 3]):
            rows_end, totals = total_at, cells[total_at + 1:total_at + 3]
        else:
            j = total_at - 1
            while j > k and (_category(cells[j].text) or L.indicator_block(cells[j].text)):
                j -= 1
            if not (is_number(cells[j].text) and is_number(cells[j - 1].text)):
                raise _refuse("the 总分 row's 分值 and 得分 were not found", cells[total_at])
            rows_end, totals = j - 1, cells[j - 1:j + 1]
        roles = [r for r in _INDICATOR_ROLES if r in heads]
        records = self._records(cells[k:rows_end], roles)
        trailing = [c for j, c in enumerate(cells) if j >= rows_end and c not in totals]
        displaced = [c for c in cells[start:k] + trailing if _category(c.text)]
        grade = None
        for c in trailing:
            if L.is_grade(c.text):
                grade = c
            elif not _label(c.text):
                raise _refuse(f"a text ({c.text[:20]!r}) is printed after the table, apart from its row (a 偏差原因 "
                              "whose row the text does not say)", c)
        self._place_categories(records, displaced, heads)
        block = next((c for c in cells if L.indicator_block(c.text)), None)
        out: list[list[_Cell | None]] = [[block, *(heads[r] for r in roles)]]
        for rec in records:
            out.append([None, *(rec.get(r) for r in roles)])
        total = cells[total_at]
        out.append([total, *([None] * (roles.index("weight"))), *totals])
        grade_label = next((c for c in cells if L.is_grade_label(c.text)), None)
        if grade is not None and grade_label is not None:
            out.append([grade_label, grade])
        return out

    def _records(self, cells: list[_Cell], roles: list[str]) -> list[dict[str, _Cell]]:
        """The rows the cells make by the template's grammar, when it cuts them in one way only."""
        values = [r for r in roles if r in _VALUE_ROLES]
        has_reason = "reason" in roles
        n = len(cells)
        memo: dict[int, int] = {}

        def row_end(i: int) -> list[int]:
            """Where a row starting at cell i may end (exclusive)."""
            j = i
            while j < n and _category(cells[j].text):
                j += 1
            if j >= n or _value(cells[j].text) or _category(cells[j].text):
                return []
            name = j
            j += 1 + len(values)
            if j + 2 > n or any(_category(c.text) for c in cells[name + 1:j]):
                return []
            if not (is_number(cells[j].text) and is_number(cells[j + 1].text)):
                return []
            ends = [j + 2]
            if has_reason and j + 2 < n and not _value(cells[j + 2].text) and not _category(cells[j + 2].text):
                ends.append(j + 3)
            return ends

        def ways(i: int) -> int:
            if i == n:
                return 1
            if i not in memo:
                memo[i] = min(2, sum(ways(e) for e in row_end(i)))
            return memo[i]

        if ways(0) != 1:
            raise _refuse("the indicator rows' cells can be cut into rows in "
                          f"{'no' if ways(0) == 0 else 'more than one'} way", cells[0] if cells else None)
        records = []
        i = 0
        while i < n:
            end = next(e for e in row_end(i) if ways(e) == 1)
            row = cells[i:end]
            cats = [c for c in row if _category(c.text)]
            rest = row[len(cats):]
            rec: dict[str, _Cell] = {"name": rest[0]}
            rec.update(zip(values, rest[1:1 + len(values)]))
            rec["weight"], rec["score"] = rest[1 + len(values)], rest[2 + len(values)]
            if len(rest) > 3 + len(values):
                rec["reason"] = rest[-1]
            for c, role in zip(cats, _category_roles(cats)):
                rec[role] = c
            records.append(rec)
            i = end
        return records

    def _place_categories(self, records: list[dict[str, _Cell]], displaced: list[_Cell], heads: dict) -> None:
        """Categories printed apart from the rows: one to each run of rows without one, in order."""
        for role in ("level2", "level1"):
            if role not in heads:
                continue
            labels = [c for c in displaced if _category_roles([c])[0] == role]
            runs: list[list[dict]] = []
            for k, rec in enumerate(records):
                if role in rec:
                    continue
                if runs and k > 0 and role not in records[k - 1] and runs[-1][-1] is records[k - 1]:
                    runs[-1].append(rec)
                else:
                    runs.append([rec])
            if not labels and not runs:
                continue
            if len(labels) != len(runs):
                raise _refuse(f"{len(labels)} {'二级' if role == 'level2' else '一级'}指标 labels are printed apart from "
                              f"the rows, and {len(runs)} runs of rows have none of their own: which rows each spans is "
                              "not in the text", labels[0] if labels else records[0]["name"])
            for label, run in zip(labels, runs):
                for rec in run:
                    rec[role] = label
        for rec in records:
            l1, l2 = rec.get("level1"), rec.get("level2")
            if l1 is not None and l2 is not None and V.LEVEL2_PARENT.get(squash(l2.text)) not in (None, squash(l1.text)):
                raise _refuse(f"{l2.text!r} would fall under {l1.text!r}, not its own 一级指标: the categories printed "
                              "apart from their rows cannot be placed", l2)


def _category_roles(cats: list[_Cell]) -> list[str]:
    """Two categories before a row's name are its 一级 and 二级; one is a 二级 where the taxonomy has it
    under a 一级, else a 一级."""
    if len(cats) >= 2:
        return ["level1", "level2", *(["level2"] * (len(cats) - 2))]
    return ["level2" if squash(c.text) in V.LEVEL2_PARENT else "level1" for c in cats]
