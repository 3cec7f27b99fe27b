"""The template reader: any grid in, forms out, by their labels.

One reader for every source. It walks a grid's cells in reading order and
finds the blocks of the 项目支出绩效自评表 family by their labels (see
:mod:`labels` and the synonym tables in :mod:`ingest.vocabulary`):

1. the title (its kind: a project form, or another kind that is refused) and
   the year, from the title, the cells after it, or the page heading;
2. 项目名称 / 主管部门 / 实施单位 and their values (the next cell that is no
   label; a label run together with its value is split);
3. the 项目资金 block: its unit, its column header (any order, any synonym),
   one row per fund source, each row's values placed under the columns by
   :mod:`assign` (positions where the row keeps them, else the one reading
   the values' kinds and the block's arithmetic allow);
4. 年度总体目标: 预期目标 and 实际完成情况;
5. the 绩效指标 table: its columns from the header row(s) (one 年度指标值 cell
   or 指标性质 / 指标值 / 度量单位), then one record per indicator — the
   grid's own rows where they are the table's rows, else records cut out of
   the cell stream — with 一级 / 二级 categories recognised by name
   (annotations such as ``(50分)``, names wrapped inside a cell) and filled
   down;
6. 总分 / 合计 (weight and score, or the score alone), 评分等级.

A form whose blocks are not all there is refused with what is missing and
where (``truncated``: the table stops before 总分). The reader does not check
the arithmetic: :mod:`ingest.checks` does, for every form alike.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal

from ingest import vocabulary as V
from ingest.grid import ROWS_NONE, ROWS_RELIABLE, Cell, Grid
from ingest.forms import year_with_source
from ingest.records import BudgetLine, Form, FormError, Indicator, Issue, Severity
from ingest.template import labels as L
from ingest.template.assign import Reading, best, reading_of, readings
from ingest.template.fields import budget_fit, indicator_fit, number
from ingest.text import clean_paragraphs, is_none_mark, is_number, nfkc, parse_decimal, parse_percent, squash, unwrap

# the fit of a reading the row's own positions give (above any reading's fit by kinds)
PLACED = 1_000
MONEY_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
_FUND_ORDER = list(V.FUND_ROW_LABELS)
# the columns of an indicator record after its name, in the template's order
_INDICATOR_ORDER = ("operator", "target", "unit", "actual", "weight", "score", "ignored", "reason")


class Tok:
    """A non-empty cell of the grid, in reading order: the cell, the index of
    its row in the grid, and its text at hand (a plain slotted class: the
    reader makes one per cell and reads ``text`` everywhere)."""

    __slots__ = ("cell", "row", "text")

    def __init__(self, cell: Cell, row: int):
        self.cell = cell
        self.row = row
        self.text = cell.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tok) and self.row == other.row and self.cell == other.cell

    def __hash__(self) -> int:
        return hash((self.cell, self.row))

    def __repr__(self) -> str:
        return f"Tok(cell={self.cell!r}, row={self.row!r})"


def read_grid(grid: Grid, first_seq: int = 1) -> tuple[list[Form], list[Issue], int]:
    """The forms of one grid (numbered from ``first_seq``), the issues of the
    forms that could not land, and how many forms the grid held."""
    keep_empty = grid.row_breaks == ROWS_NONE  # one cell a line: an empty cell is a position
    toks = [Tok(c, r.index) for r in grid.rows for c in r.cells if keep_empty or c.text.strip()]
    titles = _titles(toks)
    issues: list[Issue] = []
    if not titles:
        kind = next((t for t in toks if L.names_other_form_kind(t.text)), None)
        inside = next((t for t in toks if _title_inside(t.text)), None)
        shared = next((t for t in toks if _title_shares_cell(t.text)), None) if grid.row_breaks == ROWS_NONE else None
        if kind is not None:
            issues.append(Issue("other_form_kind", f"this is not a project form: {kind.text[:40]!r} "
                                "(部门整体支出绩效自评表 are not read)", kind.cell.line_no, first_seq))
        elif inside is not None:
            issues.append(Issue("cells_run_together", f"a 项目支出绩效自评表 title stands inside running text "
                                f"({inside.text[:40]!r}…): the form's cells were printed with no delimiter between "
                                "them (OCR or flattened text) and cannot be read as a table", inside.cell.line_no,
                                first_seq))
        elif shared is not None:
            issues.append(Issue("cells_out_of_order", f"a 项目支出绩效自评表 title shares a paragraph with other cells "
                                f"({shared.text.strip()[:40]!r}): this is a PDF's text in the extractor's reading "
                                "order (pdftotext without -layout), whose paragraphs hold several cells and whose "
                                "order is not the table's (a merged cell's label after its rows, a fund row's label "
                                "after its values), so the form is not read: make the text with pdftotext -layout, "
                                "or ingest the PDF itself", shared.cell.line_no, first_seq))
        else:
            issues.append(Issue("no_form", "no 项目支出绩效自评表 title was found: the file holds no project form"))
        return [], issues, 0
    forms: list[Form] = []
    for k, start in enumerate(titles):
        end = titles[k + 1] if k + 1 < len(titles) else len(toks)
        seq = first_seq + k
        if L.title_kind(toks[start].text) == "other":
            issues.append(Issue("other_form_kind", f"not a project form: {toks[start].text!r} is another kind "
                                "of 自评表 (a whole department's, or targets only)", toks[start].cell.line_no, seq))
            continue
        heading = toks[max(0, start - 4):start]
        if grid.unreadable_rows and (bad := next((t for t in toks[start:end] if t.row in grid.unreadable_rows), None)):
            code, reason = grid.unreadable_rows[bad.row]
            issues.append(Issue(code, f"{reason}, so the form is not read (line {bad.cell.line_no})", bad.cell.line_no,
                                seq))
            continue
        try:
            forms.append(_FormReader(grid, toks[start:end], heading, seq, ends_file=end == len(toks)).read())
        except FormError as err:
            issues.append(Issue(err.code, err.message, err.line_no, seq))
    return forms, issues, len(titles)


def _title_inside(text: str) -> bool:
    s = squash(text)
    return len(s) > V.TITLE_MAX_CHARS and any(f"项目支出绩效{e}" in s for e in V.TITLE_ENDINGS) and "项目名称" in s


def _title_shares_cell(text: str) -> bool:
    """A cell of several lines, one of them a form's title and another a form label
    (``财政项目支出绩效自评表`` / ``(2022年度)`` / ``项目名称``)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) > 1 and any(L.title_kind(line) for line in lines) and any(_is_label(line) and not
                                                                                 L.title_kind(line) for line in lines)


def _titles(toks: list[Tok]) -> list[int]:
    """Token indexes of the forms' titles; a title followed by another one
    before any 项目名称 is a page heading, not a form."""
    found = [i for i, t in enumerate(toks) if L.title_kind(t.text)]
    keep = []
    for k, i in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else len(toks)
        if any(L.head_role(t.text) or L.split_head_label(t.text) for t in toks[i + 1:nxt]) or k + 1 == len(found):
            keep.append(i)
    return keep


def _where(tok: Tok) -> str:
    """Where a cell stands, with its text, for a message: ``line 41 ('满意度指标')``."""
    return f"{tok.cell.ref or f'row {tok.row + 1}'} ({tok.text.strip()[:16]!r})"


def _is_label(text: str) -> bool:
    return bool(
        L.head_role(text) or L.is_budget_block(text) or L.budget_column(text) or L.fund_row(text)
        or L.goal_label(text) or L.indicator_column(text) or L.indicator_block(text) or L.total_label(text)[0]
        or L.is_grade_label(text) or L.title_kind(text)
    )


@lru_cache(maxsize=1 << 14)
def _header_label(text: str) -> bool:
    return bool(L.indicator_column(text)) or L.bare(text) in V.INDICATOR_BLOCK_LABELS


@lru_cache(maxsize=1 << 14)
def split_labels(text: str, lookup) -> list[str] | None:
    """A cell holding several labels run together (``年初预算数全年预算数…``):
    the labels, or None when the cell is not made only of labels."""
    s = squash(text)
    if len(s) < 4 or len(s) > 80 or s[-1].isdigit():
        return None
    out, i = [], 0
    while i < len(s):
        for j in range(len(s), i, -1):
            if lookup(s[i:j]):
                out.append(s[i:j])
                i = j
                break
        else:
            return None
    return out if len(out) > 1 else None


@dataclass
class _Record:
    """One indicator row: its categories, name cell and value cells."""

    categories: list[tuple[str, int | None]]  # (category, grid column where printed)
    name: Tok | None
    values: list[Tok]
    row_no: int | None = None
    # the end of a category label cut onto this row (a page break inside a merged
    # cell: ``社会效益`` / ``指标``): (the tail, "level1" or "level2")
    tails: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _FormReader:
    grid: Grid
    toks: list[Tok]
    heading: list[Tok]
    seq: int
    run_together: bool = False  # the indicator header was printed as one run of labels
    ends_file: bool = True  # the form runs to the end of its grid (a cut there is a truncation)
    warnings: list[Issue] = field(default_factory=list)

    # -- helpers ------------------------------------------------------------
    def _line(self, tok: Tok | None) -> int | None:
        return tok.cell.line_no if tok else None

    def _fail(self, code: str, message: str, tok: Tok | None) -> FormError:
        return FormError(code, message, self._line(tok))

    def _find(self, pred, start: int = 0) -> int | None:
        for j in range(start, len(self.toks)):
            if pred(self.toks[j].text):
                return j
        return None

    # -- the form -------------------------------------------------------------
    def read(self) -> Form:
        title = self.toks[0]
        budget_at = self._find(lambda t: L.is_budget_block(t) or L.budget_column(t) in ("initial", "full_year"), 1)
        header_at = self._find(lambda t: L.indicator_column(t) in ("level1", "level2", "name")
                               or bool(split_labels(t, _header_label)), 1)
        total_at = self._total_row((header_at or 0) + 1)
        last = next((t for t in reversed(self.toks) if t.text.strip()), self.toks[-1])
        if header_at is None:
            raise self._fail("truncated" if self.ends_file else "missing_indicator_table",
                             f"the form stops at {_where(last)}, before its 绩效指标 table"
                             + ("" if budget_at is not None else " (and no 项目资金 block was found)"), last)
        if total_at is None:
            if self.ends_file:
                raise self._fail("truncated", f"the indicator table stops at {_where(last)}, before 总分: the "
                                 "document ends there (cut off)", last)
            raise self._fail("missing_total", f"the form has no 总分 row: its indicator table runs to "
                             f"{_where(last)}, where the next form begins", last)
        if budget_at is None or budget_at > header_at:
            raise self._fail("missing_budget", "the form has no 项目资金 block before its 绩效指标 table", title)
        year, year_source = self._year(title, budget_at)
        goals_at = self._find(lambda t: L.goal_label(t) is not None, 1)
        if goals_at is not None and goals_at >= header_at:
            goals_at = None
        goals_first = goals_at is not None and goals_at < budget_at  # some templates print goals above the money
        head = self._head(1, goals_at if goals_first and goals_at is not None else budget_at)
        budget_end = header_at if goals_first or goals_at is None else goals_at
        while budget_end > budget_at and L.indicator_block(self.toks[budget_end - 1].text):
            budget_end -= 1  # an indicator block label just before the header belongs to the table
        money_unit, budget = self._budget(budget_at, budget_end)
        goal_planned = goal_actual = None
        if goals_at is not None:
            goal_planned, goal_actual = self._goals(goals_at, budget_at if goals_first else header_at)
        roles, data_at = self._indicator_header(header_at, total_at)
        indicators = self._indicators(roles, data_at, total_at)
        total_weight, total_score, grade = self._total(total_at, indicators)
        if year is None:
            year, year_source, found = year_with_source(None, goal_actual, goal_planned, self._line(title) or 1, self.seq)
            self.warnings.extend(found)
        project_name = head.get("project_name")
        if not project_name:
            raise self._fail("missing_project_name", "the form has no 项目名称", title)
        if "total" not in budget:
            raise self._fail("missing_budget", "the 项目资金 block has no 年度资金总额 / 总额 row", self.toks[budget_at])
        total_line = budget.get("total")
        weight = rate = score = None
        if total_line is not None:
            _, weight, rate, score = total_line
        if not indicators:
            raise self._fail("missing_indicator_table", "the 绩效指标 table has no indicator rows", self.toks[header_at])
        if all(ind.score is None for ind in indicators):
            self.warnings.append(Issue("unscored_form", "the form prints weights but no 得分 (完成值 / 得分 blank as "
                                       "published): it lands with null scores", self._line(title), self.seq,
                                       Severity.WARNING))
        lines = [t.cell.line_no for t in self.toks if t.cell.line_no is not None]
        first_line, last_line = self.grid.lines or (self._line(title) or 1, max(lines) if lines else 1)
        rows = {t.row for t in self.toks}
        confidence = min((self.grid.rows[r].confidence for r in rows), default=1.0)
        return Form(
            form_seq=self.seq,
            year=year,
            year_source=year_source,
            project_name=project_name,
            supervising_department=head.get("supervising_department"),
            implementing_unit=head.get("implementing_unit"),
            money_unit=money_unit,
            budget_weight=weight,
            execution_rate_pct=rate,
            budget_score=score,
            total_weight=total_weight,
            total_score=total_score,
            grade=grade,
            goal_planned=goal_planned,
            goal_actual=goal_actual,
            line_start=first_line,
            line_end=last_line,
            budget_lines=tuple(line for _, (line, *_r) in sorted(budget.items(), key=lambda kv: _FUND_ORDER.index(kv[0]))),
            indicators=tuple(indicators),
            warnings=tuple(self.warnings),
            source_ref=self._span_ref(),
            parse_confidence=confidence,
        )

    def _span_ref(self) -> str:
        first, last = self.toks[0].cell, self.toks[-1].cell
        if first.line_no is not None and self.grid.source_format == "text":
            return f"lines {first.line_no}-{last.line_no}"
        label = f"{self.grid.label} " if self.grid.label else ""
        return f"{label}{first.ref} … {last.ref}".strip()

    # -- title and head ---------------------------------------------------------
    def _year(self, title: Tok, budget_at: int) -> tuple[int | None, str | None]:
        if (y := L.year_of(title.text)) is not None:
            return y, "title"
        for tok in self.toks[1:budget_at]:
            if L.head_role(tok.text) or L.split_head_label(tok.text):
                break
            if L.is_year_line(tok.text) and (y := L.year_of(tok.text)) is not None:
                return y, "title"
        for tok in reversed(self.heading):
            if (y := L.year_of(tok.text)) is not None and L.names_fiscal_year(tok.text):
                return y, "heading"
        return None, None

    def _head(self, start: int, end: int) -> dict[str, str | None]:
        head: dict[str, str | None] = {}
        orphan: str | None = None
        j = start
        while j < end:
            tok = self.toks[j]
            role = L.head_role(tok.text)
            if role is None and (split := L.split_head_label(tok.text)):
                role, rest = split
                # the value may hold the next label run together (主管部门A实施单位B)
                inner = next(((r, k) for k in range(1, len(rest)) if (r := L.split_head_label(rest[k:]))), None)
                if inner:
                    (role2, value2), k = inner
                    head[role], head[role2] = rest[:k].strip(), value2.strip()
                else:
                    head[role] = rest.strip()
                j += 1
                continue
            if role is None:
                if not head and len(squash(tok.text)) > 1 and not L.year_of(tok.text) and not re.search("[:：]", tok.text):
                    orphan = tok.text if orphan is None else f"{orphan} {tok.text}"
                j += 1
                continue
            nxt = self.toks[j + 1] if j + 1 < end else None
            if nxt is not None and not _is_label(nxt.text) and (
                self.grid.row_breaks != ROWS_RELIABLE or nxt.row == tok.row
            ):
                head[role] = (unwrap(nxt.text) if role == "project_name" else nxt.text.strip()) or None
                j += 2
            else:
                if role == "project_name" and orphan:
                    head[role] = unwrap(orphan)
                j += 1
        return head

    # -- the budget block ------------------------------------------------------------
    def _budget(self, start: int, end: int) -> tuple[str, dict[str, tuple]]:
        block = self.toks[start:end]
        unit = None
        # the unit stands in the block's label, which a merged cell may print anywhere beside the block
        for tok in sorted(block, key=lambda t: not L.is_budget_block(t.text)):
            if m := MONEY_UNIT.search(nfkc(tok.text)):
                unit = m.group(1)
                break
            if squash(tok.text) in V.MONEY_UNITS:
                unit = squash(tok.text)
                break
        if unit is None:
            raise self._fail("unknown_money_unit", "the 项目资金 header names no unit (万元 or 元)", block[0])
        columns: list[str] = []
        positions: dict[int, str] = {}
        rows: list[tuple[str, Tok, list[Tok]]] = []
        for tok in block:
            if L.is_budget_block(tok.text) or (rows and L.is_fund_label_tail(tok.text)):
                continue  # the block's label, or the end of a wrapped fund label
            if rows:
                fund = L.fund_row(tok.text)
                if fund:
                    rows.append((fund, tok, []))
                else:
                    rows[-1][2].append(tok)
                continue
            if (col := L.budget_column(tok.text)) is not None:
                columns.append(col)
                positions.update({tok.cell.col + k: col for k in range(tok.cell.col_span)})
            elif (parts := split_labels(tok.text, L.budget_column)) is not None:
                self.run_together = True  # the header's cells were printed with no delimiter
                columns.extend(c for p in parts if (c := L.budget_column(p)) is not None)  # every part is a label
            elif (fund := L.fund_row(tok.text)) is not None:
                rows.append((fund, tok, []))
        if not columns or not rows:
            raise self._fail("missing_budget", "the 项目资金 block has no column header or no fund rows", block[0])
        columns = list(dict.fromkeys(columns))
        rows = [(fund, label, [_in_unit(t, unit) for t in values]) for fund, label, values in rows]
        placed = [self._budget_placed(label, values, columns, positions) for _, label, values in rows]
        if all(p is not None for _, p in placed) and _block_agreement(
                [f for f, _, _ in rows], [p for _, p in placed]) == 3:
            # every row placed by its own positions and the block adds up in every column: no
            # other reading can replace them (_reconcile_budget), so none is enumerated
            chosen = [Reading(p.cells, PLACED) for _, p in placed]
        else:
            candidates = [self._budget_candidates(label, columns, *p) for (_, label, _), p in zip(rows, placed)]
            chosen = self._reconcile_budget(rows, candidates)
        out: dict[str, tuple] = {}
        for (fund, label, _), reading in zip(rows, chosen):
            out[fund] = self._budget_line(fund, label, reading)
        return unit, out

    def _budget_placed(self, label: Tok, values: list[Tok], columns: list[str], positions: dict[int, str]):
        """One fund row's filled value cells and the reading its own positions
        give (None: they give none)."""
        if self.grid.row_breaks == ROWS_RELIABLE:
            values = [t for t in values if t.row == label.row]
        every = [t.cell for t in values]
        cells = [c for c in every if c.text.strip()]
        if "reason" not in columns:
            for c in cells:
                if budget_fit("rate", c) is not None:
                    continue
                if self.run_together:
                    raise FormError("cells_run_together", f"the 项目资金 block's cells were printed with no delimiter "
                                    f"between them ({label.text.strip()} {c.text!r}): they cannot be cut into its "
                                    "columns in one way only, so the form is not read", c.line_no)
                raise FormError("unreadable_number", f"{label.text.strip()} {c.text!r} is not a number", c.line_no)
        placed = None
        if self.grid.row_breaks == ROWS_RELIABLE:
            placed = _positional(cells, positions, budget_fit)
        if placed is None and len(every) == len(columns) > len(cells):
            placed = _sequential(every, columns, budget_fit)  # the row keeps its empty cells, one a column
        return cells, placed

    def _budget_candidates(self, label: Tok, columns: list[str], cells: list[Cell], placed: Reading | None):
        """The readings of one fund row that fit best (one per different outcome)."""
        found = [Reading(r.cells, r.fit + _budget_bonus(r)) for r in readings(cells, columns, budget_fit)]
        if placed is not None:
            # the row's own positions are the reading unless the block adds up only otherwise
            return [Reading(placed.cells, PLACED)] + [r for r in found if _budget_outcome(r) != _budget_outcome(placed)]
        if not found:
            raise self._fail("unreadable_budget_row", f"the {label.text} row's values {[c.text for c in cells]} do not "
                             f"fit the columns {columns}", label)
        top = max(r.fit for r in found)
        distinct = {_budget_outcome(r): r for r in found if r.fit == top}
        return list(distinct.values())

    def _reconcile_budget(self, rows, candidates) -> list[Reading]:
        """One reading per fund row. Rows placed by their own positions keep
        them, the others take the reading with which the block adds up best
        (parts to the total, column by column) — unless the block does not add
        up so and exactly one reading of all makes it add up in every column
        (a row whose empty cells a converter dropped). Several equally good:
        the block is ambiguous and refused."""
        if all(len(c) == 1 for c in candidates):
            return [c[0] for c in candidates]
        funds = [f for f, _, _ in rows]

        def best(options) -> tuple[int, dict]:
            scored = [(_block_agreement(funds, combo), combo)
                      for combo in itertools.islice(itertools.product(*options), 4096)]
            top = max(score for score, _ in scored)
            return top, {tuple(_budget_outcome(r) for r in combo): combo for score, combo in scored if score == top}

        top, found = best([[c[0]] if c[0].fit == PLACED else c for c in candidates])  # placed rows as placed
        if top < 3:
            whole, adding_up = best(candidates)
            if whole == 3 and len(adding_up) == 1:
                found = adding_up
        if len(found) == 1:
            return list(next(iter(found.values())))
        open_rows = [rows[k][1] for k, c in enumerate(candidates) if len(c) > 1]
        raise self._fail("ambiguous_budget_row", f"the values of {', '.join(t.text for t in open_rows)} can be read "
                         f"under the columns in {len(found)} ways that the block's arithmetic (执行率, the fund "
                         "rows adding up to the total) does not tell apart", open_rows[0])

    def _budget_line(self, fund: str, label: Tok, reading: Reading):
        line = self._line(label)
        what = label.text.strip()

        def dec(role: str) -> Decimal | None:
            return parse_decimal(reading.text(role), f"{what} {role}", line)

        budget_line = BudgetLine(fund, dec("initial"), dec("full_year"), dec("executed"),
                                 source_ref=label.cell.ref.split(",")[0] if label.cell.ref else None)
        rate = _rate_as_percent(parse_percent(reading.text("rate"), f"{what} 执行率", line), reading.text("rate"),
                                budget_line)
        return budget_line, dec("weight"), rate, dec("score")

    # -- goals ------------------------------------------------------------------
    def _goals(self, start: int, end: int) -> tuple[str | None, str | None]:
        """预期目标 and 实际完成情况: the texts under their labels' columns where
        the grid keeps its rows, else the first two texts of the block."""
        toks = [t for t in self.toks[start:end]
                if t.text.strip() and not L.is_budget_block(t.text) and not L.indicator_block(t.text)
                and not any(squash(t.text).endswith(h) for h in V.BLOCK_SUBHEADINGS)]
        labels = {L.goal_label(t.text): t for t in toks if L.goal_label(t.text) in ("planned", "actual")}
        texts = [t for t in toks if L.goal_label(t.text) is None and not _is_label(t.text)]
        if self.grid.row_breaks == ROWS_RELIABLE and len(labels) == 2:
            split = labels["actual"].cell.col
            planned = [t.text for t in texts if t.cell.col < split]
            actual = [t.text for t in texts if t.cell.col >= split]
        else:
            if self.grid.labels_centred and len(texts) > 2:
                raise self._fail("goals_side_by_side", f"预期目标 and 实际完成情况 wrap over {len(texts)} pieces printed side "
                                 "by side (pdftotext -layout), and which piece belongs to which goal is not in the text "
                                 "(two goals' lines may even share a line), so the form is not read", texts[0])
            planned, actual = [t.text for t in texts[:1]], [t.text for t in texts[1:2]]
        return (clean_paragraphs(planned[0]) if planned else None, clean_paragraphs(actual[0]) if actual else None)

    # -- the indicator table ---------------------------------------------------------
    def _indicator_header(self, start: int, end: int) -> tuple[list[str], int]:
        present: list[str] = []
        self.positions: dict[int, str] = {}
        while start > 0 and (L.indicator_column(self.toks[start - 1].text) or not self.toks[start - 1].text.strip()):
            start -= 1  # column labels printed before 一级指标 (a header over two rows)
        j = start
        while j < end:
            text = self.toks[j].text
            if not text.strip():
                j += 1
                continue
            role = L.indicator_column(text)
            parts = None if role else split_labels(text, _header_label)
            if parts:
                self.run_together = True  # the header's cells were printed with no delimiter
                parts = [p for p in parts if L.indicator_column(p)]
            if role:
                present.append(role)
                cell = self.toks[j].cell
                self.positions.update({cell.col + k: role for k in range(cell.col_span)})
            elif parts:
                present.extend(c for p in parts if (c := L.indicator_column(p)) is not None)  # every part is one
            elif not (L.indicator_block(text) or L.is_points_only(text)):
                break
            j += 1
        if "weight" not in present and "score" not in present:
            raise self._fail("no_scores", "the 绩效指标 table has no 分值 / 得分 columns: a form without scores "
                             "(targets and results only) is not a self-evaluation the warehouse can score",
                             self.toks[start])
        if "weight" not in present:
            raise self._fail("no_scores", "the 绩效指标 table has no 分值 / 权重 column", self.toks[start])
        roles = [r for r in _INDICATOR_ORDER if r in present]
        self.value_roles = roles
        self.name_col = next((c for c, r in self.positions.items() if r == "name"), None)
        header_rows = {t.row for t in self.toks[start:j] if t.text.strip()}
        # a header on one row: data rows as wide as it keep their cells' columns, even in a grid of broken rows
        self.header_width = len(self.grid.rows[header_rows.pop()].cells) if len(header_rows) == 1 else None
        return roles, j

    def _intact(self, toks: list[Tok]) -> bool:
        """The cells come from one row as wide as the header's: their columns are the header's."""
        if self.grid.row_breaks == ROWS_RELIABLE:
            return True
        rows = {t.row for t in toks}
        return self.header_width is not None and len(rows) == 1 and len(self.grid.rows[rows.pop()].cells) == \
            self.header_width

    def _records(self, start: int, end: int) -> list[_Record]:
        toks = self._skip_notes(self.toks[start:end])
        if self.grid.row_breaks == ROWS_RELIABLE:
            groups: list[list[Tok]] = []
            for tok in toks:
                if groups and groups[-1][-1].row == tok.row:
                    groups[-1].append(tok)
                else:
                    groups.append([tok])
            return [r for g in groups if (r := _record_of(g, self.positions)) is not None]
        def in_name_column(tok: Tok) -> bool:
            return self.positions.get(tok.cell.col) == "name" and self._intact([tok])

        return _cut_stream(toks, len(self.value_roles), self.grid.row_breaks == ROWS_NONE, in_name_column)

    def _skip_notes(self, toks: list[Tok]) -> list[Tok]:
        out, skipping = [], None
        for tok in toks:
            if L.is_note_label(tok.text):
                skipping = tok.row
                continue
            if skipping is not None and (self.grid.row_breaks != ROWS_RELIABLE or tok.row == skipping):
                if not L.category(tok.text):
                    continue
            skipping = None
            out.append(tok)
        return out

    def _indicators(self, roles: list[str], start: int, end: int) -> list[Indicator]:
        value_roles = [r for r in roles if r in _INDICATOR_ORDER]
        parts = "operator" in value_roles or "unit" in value_roles
        required = frozenset({"weight"})
        level1: str | None = None
        level2: str | None = None
        out: list[Indicator] = []
        records = self._records(start, end)
        if self.grid.labels_centred:
            self._check_own_categories(records)
        for rec in records:
            printed_level1 = False
            for tail, level in rec.tails:
                current = level1 if level == "level1" else level2
                if current is None or not current.endswith(tail):
                    raise self._fail("category_span_unknown", f"{tail!r} (row {rec.row_no}) ends a category's name, "
                                     f"but the category above it ({current or 'none'}) does not end so: which "
                                     "category its rows have is not in the table", rec.name)
            for cat, col in rec.categories:
                if self._ends_level2_above(cat, col, level2):
                    continue  # 服务对象 / 满意度指标 cut by a page break: the 二级 above goes on
                before = level2
                level1, level2, is_level1 = self._category(cat, col, level1, level2, printed_level1)
                if is_level1 and before and V.LEVEL2_PARENT.get(before) == cat and (cat, col) != rec.categories[0]:
                    level2 = before  # a merged 二级 cell printed above its 一级 (text centred in its cell)
                printed_level1 = printed_level1 or is_level1
            if rec.name is None:
                continue
            if (out and not rec.categories and not rec.values and self.grid.row_breaks == ROWS_RELIABLE
                    and self.positions.get(rec.name.cell.col) == "reason"):
                last = out[-1]  # a 偏差原因 continued on the next row
                out[-1] = dataclasses.replace(last, deviation_reason=(last.deviation_reason or "") + rec.name.text.strip())
                continue
            every = [t.cell for t in rec.values]
            values = [c for c in every if c.text.strip()]
            name_cells = [rec.name.cell]
            reading, outcomes = None, 1
            if self._intact([rec.name, *rec.values]) and (placed := self._placed(rec)) is not None:
                name_cells, reading = placed
                values = [c for c in values if c not in name_cells]
            name_text = L.strip_name_prefix(" ".join(c.text for c in name_cells))
            if not name_text or L.is_placeholder(name_text):
                if not values or all(L.is_placeholder(v.text) for v in values):
                    continue
            if reading is None and len(every) == len(value_roles) > len(values):
                reading = _sequential(every, value_roles, indicator_fit)  # the record keeps its empty cells
                if reading is not None and "weight" not in reading.cells:
                    reading = None
            if reading is None:
                found = readings(values, value_roles, indicator_fit, required)
                reading, outcomes = best(_prefer_scored(found), _indicator_outcome)
            line = rec.name.cell.line_no
            if reading is None and self.run_together:
                raise self._fail("cells_run_together", f"the indicator table's cells were printed with no delimiter "
                                 f"between them ({rec.name.text[:40]!r}): they cannot be cut into 三级指标 / 年度指标值 / "
                                 "实际完成值 / 分值 / 得分 in one way only, so the form is not read", rec.name)
            if reading is None:
                raise self._fail("unreadable_indicator_row", f"cannot read 分值 / 得分 in indicator row "
                                 f"{name_text[:30]!r} {[v.text for v in values]}", rec.name)
            if outcomes > 1:
                raise self._fail("ambiguous_indicator_row", f"the values {[v.text for v in values]} of indicator "
                                 f"{name_text[:30]!r} fit the columns in {outcomes} ways", rec.name)
            target = reading.text("target")
            if target is None and reading.text("actual") is None and (split := L.target_in_name(name_text)):
                name_text, target = split  # a target written into the name cell
            op = reading.text("operator")
            unit = reading.text("unit")
            if parts:
                printed = "".join(x for x in (op, target, unit) if x)
                target_full = printed or None
            else:
                target_full = unwrap(target) if target else None
            name = unwrap(name_text)
            actual = reading.text("actual")
            out.append(Indicator(
                indicator_seq=len(out) + 1,
                level1=level1,
                level2=level2,
                name=name,
                target=target_full,
                actual=unwrap(actual) if actual else None,
                weight=parse_decimal(reading.text("weight"), "分值", line),
                score=parse_decimal(reading.text("score"), "得分", line),
                deviation_reason=reading.text("reason"),
                line_no=line or (rec.row_no or 0),
                source_ref=rec.name.cell.ref.split(", cell")[0] if rec.name.cell.ref else None,
                target_operator=op if parts else None,
                target_value=target if parts else None,
                target_unit=unit if parts else None,
                uncertain_reason=self.grid.rows[rec.name.row].note,
            ))
        scored = [i for i in out if i.score is not None]
        if scored and len(scored) < len(out):
            # a scored form's row read without its 得分: its cells are misplaced (a cell split or glued)
            row = next(i for i in out if i.score is None)
            raise FormError("unreadable_indicator_row", f"indicator {row.name[:30]!r} is read with a 分值 but no 得分 "
                            "while the form's other rows are scored: its cells cannot be placed with certainty",
                            row.line_no)
        return out

    def _check_own_categories(self, records: list[_Record]) -> None:
        """Where a merged category's label is printed at the middle of its rows (``Grid.labels_centred``),
        filling it down would give the rows above the label the category before it: every row must
        then carry its own 二级 (or, in a table without 二级, its own 一级), else the form is refused."""
        named = [r for r in records if r.name is not None]
        level2 = any(cat in V.LEVEL2_PARENT for r in named for cat, _ in r.categories)
        wanted = V.LEVEL2_PARENT if level2 else V.LEVEL1_NAMES
        for rec in named:
            name = rec.name
            if name is not None and not any(cat in wanted for cat, _ in rec.categories):
                raise self._fail("category_span_unknown", f"indicator {name.text.strip()[:30]!r} has no "
                                 f"{'二级' if level2 else '一级'}指标 of its own, and the table prints each merged "
                                 "category at the middle of the rows it spans (vertically centred cells, as "
                                 "pdftotext -layout prints them): which rows a category spans is not in the text, "
                                 "so the form is not read (read the PDF itself)", name)

    def _placed(self, rec: _Record) -> tuple[list[Cell], Reading] | None:
        """The row read by its cells' positions under the header: as printed,
        or shifted as a whole by a merged cell (the weight and score cells then
        still stand side by side under 分值 and 得分). Cells at or left of the
        三级指标 column that are no category make the name. The placing with
        the score read, the best fit and the smallest shift wins."""
        name_col = self.name_col
        if name_col is None or rec.name is None:
            return None
        cells = [rec.name.cell] + [t.cell for t in rec.values]
        options: list[tuple[bool, int, bool, int, list[Cell], Reading]] = []
        position = self.positions.get
        for shift in (0, -1, 1, -2, 2, -3, 3):
            if options and options[0][:3] == (True, options[0][1], True) and shift:
                break  # the row as printed reads whole: no shifted placing can beat it
            limit = name_col - shift
            names = [c for c in cells if c.col <= limit]
            # the others: a cell is among the names exactly when its column is (cells equal by value share it)
            reading = reading_of(((position(c.col + shift), c) for c in cells if c.col > limit), indicator_fit)
            # a shifted row must be anchored by its 分值 and 得分 side by side
            if reading is None or not names or "weight" not in reading.cells:
                continue
            if shift == 0 or "score" in reading.cells:
                options.append(("score" in reading.cells, reading.fit, _score_within(reading), -abs(shift), names,
                                reading))
        if not options:
            return None
        *_, names, reading = max(options, key=lambda o: o[:4])
        return names, reading

    def _ends_level2_above(self, cat: str, col: int | None, level2: str | None) -> bool:
        """A 一级 name printed in the 二级 column that ends the 二级 name above
        (``服务对象`` / ``满意度指标``, a merged cell cut by a page break) is
        that name's end, not a new 一级; only where the grid's columns are the
        table's."""
        column = self.positions.get(col) if col is not None and self.grid.row_breaks == ROWS_RELIABLE else None
        return (column == "level2" and cat in V.LEVEL1_NAMES and cat not in V.LEVEL2_PARENT
                and level2 is not None and level2 != cat and level2.endswith(cat))

    def _category(self, cat: str, col: int | None, level1: str | None, level2: str | None,
                  printed_level1: bool) -> tuple[str | None, str | None, bool]:
        """Fill the categories down: a 一级 resets the 二级; a 二级 sets its
        parent unless the 一级 above already owns it. 成本指标 is 一级 where it
        stands in the 一级 column (newer templates), else 二级 of 产出指标."""
        column = self.positions.get(col) if col is not None and self.grid.row_breaks == ROWS_RELIABLE else None
        as_level1 = cat in V.LEVEL1_NAMES and (cat not in V.LEVEL2_PARENT or column == "level1")
        if as_level1:
            return cat, None, True
        parent = V.LEVEL2_PARENT.get(cat)
        if printed_level1 or (level1 in V.TAXONOMY and cat in V.TAXONOMY[level1] and cat not in V.LEVEL1_NAMES):
            return level1, cat, False
        return (parent or level1), cat, False

    # -- total and grade ---------------------------------------------------------------
    def _total_row(self, start: int) -> int | None:
        """Where the 总分 / 合计 row starts: its label, or (where the grid's rows
        are the table's) a row of exactly two numbers, the total printed
        without its label."""
        for j in range(start, len(self.toks)):
            tok = self.toks[j]
            if L.total_label(tok.text)[0]:
                return j
            if self.grid.row_breaks == ROWS_RELIABLE and (j == 0 or self.toks[j - 1].row != tok.row):
                row = [t for t in self.toks[j:j + 3] if t.row == tok.row]
                if len(row) == 2 and all(is_number(t.text) for t in row):
                    return j
        return None

    def _total(self, at: int, indicators: list[Indicator]):
        tok = self.toks[at]
        _, inline = L.total_label(tok.text)
        numbers: list[Tok] = [tok] if is_number(tok.text) else []
        grade = None
        for nxt in self.toks[at + 1:at + 6]:
            if self.grid.row_breaks == ROWS_RELIABLE and nxt.row != tok.row:
                break
            if is_number(nxt.text) and len(numbers) < 2 and inline is None:
                numbers.append(nxt)
            elif L.is_grade(nxt.text):
                grade = squash(nxt.text)
                break
            elif not is_none_mark(nxt.text):
                break
        texts = [inline] if inline else [t.text for t in numbers]
        line = self._line(tok)
        scored = any(i.score is not None for i in indicators)
        if len(texts) >= 2:
            weight, score = parse_decimal(texts[0], "总分 分值", line), parse_decimal(texts[1], "总分 得分", line)
        elif len(texts) == 1:
            value = parse_decimal(texts[0], "总分", line)
            weight, score = (None, value) if scored else (value, None)
        else:
            weight = score = None
            if scored:
                raise self._fail("unreadable_total", "the 总分 row holds no score", tok)
        for j in range(at + 1, min(at + 8, len(self.toks))):
            if L.is_grade_label(self.toks[j].text) and j + 1 < len(self.toks):
                grade = squash(self.toks[j + 1].text) if L.is_grade(self.toks[j + 1].text) else None
                break
        return weight, score, grade


def _positional(cells: list[Cell], positions: dict[int, str], fit) -> Reading | None:
    """The reading the row's own positions give, when every value cell stands
    under a value column of the header (at most one cell a column) and suits it."""
    if not positions:
        return None
    value_role = {c: r for c, r in positions.items() if r not in ("level1", "level2", "name")}
    return reading_of(((value_role.get(cell.col), cell) for cell in cells), fit)


def _prefer_scored(found):
    """Among the best-fitting readings, those where 得分 ≤ 分值 (a score above
    its weight is read only where the cells allow nothing else)."""
    if not found:
        return found
    top = [r for r in found if r.fit == found[0].fit]
    return [r for r in top if _score_within(r)] or top


def _score_within(r) -> bool:
    w, s = number(r.text("weight") or ""), number(r.text("score") or "")
    return w is None or s is None or s <= w


def _indicator_outcome(r) -> tuple:
    return tuple(sorted((k, c.text) for k, c in r.cells.items()))


def _budget_outcome(r) -> tuple:
    return tuple(sorted((k, str(number(c.text)) if not is_none_mark(c.text) else None) for k, c in r.cells.items()
                        if not is_none_mark(c.text)))


def _rate_as_percent(rate: Decimal | None, printed: str | None, line: BudgetLine) -> Decimal | None:
    """A rate a spreadsheet stored as a fraction (``0.9838`` with no ``%``) is
    the percentage its money gives (98.38) when the fraction is that share."""
    if rate is None or rate > 1 or "%" in (printed or "") or not line.full_year_amount or line.executed_amount is None:
        return rate
    share = line.executed_amount / line.full_year_amount
    step = Decimal(1).scaleb(int(rate.as_tuple().exponent))  # a parsed number: finite, an int exponent
    return rate * 100 if abs(share - rate) < step else rate


_WAN = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*万(元)?$")


def _in_unit(tok: Tok, unit: str) -> Tok:
    """An amount written with 万 in its cell (``150万``), in the block's unit."""
    match = _WAN.match(nfkc(tok.text).strip())
    if not match:
        return tok
    value = Decimal(match.group(1)) * V.MONEY_UNITS["万元"] / V.MONEY_UNITS[unit]
    return Tok(dataclasses.replace(tok.cell, text=str(value)), tok.row)


def _sequential(cells: list[Cell], columns: list[str], fit) -> Reading | None:
    """Cells that keep their empty ones, one per column in order."""
    return reading_of(((role, cell) for cell, role in zip(cells, columns) if cell.text.strip()), fit)


def _budget_bonus(r: Reading) -> int:
    """A reading under which the printed 执行率 can be checked and holds fits
    better than one under which it can't be checked."""
    full, done, rate = (number(r.text(k) or "") for k in ("full_year", "executed", "rate"))
    if full and done is not None and rate is not None:
        return 3 if abs(done * 100 / full - rate) <= Decimal("1") else -3
    return 0


def _block_agreement(funds: list[str], combo) -> int:
    """How many amount columns the fund rows add up in (parts to the total)."""
    if "total" not in funds:
        return 0
    total = combo[funds.index("total")]
    parts = [r for f, r in zip(funds, combo) if f != "total"]
    agree = 0
    for role in ("initial", "full_year", "executed"):
        whole = number(total.text(role) or "")
        values = [number(p.text(role) or "") for p in parts]
        got = sum((v for v in values if v is not None), Decimal(0))
        if (whole or Decimal(0)) == got:
            agree += 1
    return agree


def _merge_fragments(toks: list[Tok]) -> list[Tok | tuple[str, int]]:
    """Category names wrapped over several cells (``可持续影`` ``响指标``,
    ``服务对象`` ``满意度指标``) become one category; lone fragments go."""
    out: list[Tok | tuple[str, int]] = []
    j = 0
    while j < len(toks):
        merged = None
        if L.is_category_fragment(toks[j].text) or L.category(toks[j].text):
            parts = [squash(toks[j].text)]
            for k in range(j + 1, min(len(toks), j + 4)):
                if not (L.is_category_fragment(toks[k].text) or L.category(toks[k].text)):
                    break
                parts.append(squash(toks[k].text))
                if (joined := "".join(parts)) in _CATEGORY_SET:
                    merged = (joined, k + 1)
        if merged:
            out.append((merged[0], toks[j].cell.col))
            j = merged[1]
            continue
        out.append(toks[j])
        j += 1
    return out


_CATEGORY_SET = {n for n in V.LEVEL1_NAMES} | set(V.LEVEL2_PARENT)


def _record_of(group: list[Tok], positions: dict[int, str]) -> _Record | None:
    """One row of a grid whose rows are the table's rows. A cell standing
    under the 三级指标 column or a value column is never a category, though
    its name may begin like one (``服务对象满意度``)."""
    cats: list[tuple[str, int | None]] = []
    tails: list[tuple[str, str]] = []
    name: Tok | None = None
    values: list[Tok] = []
    for item in _merge_fragments(group):
        if isinstance(item, tuple):
            cats.append(item)
            continue
        text = item.text
        if name is None:
            if L.indicator_block(text) or L.is_points_only(text) or L.indicator_column(text):
                continue
            in_category_column = positions.get(item.cell.col) in (None, "level1", "level2")
            if in_category_column and (cat := L.category(text)) is not None and not values:
                cats.append((cat, item.cell.col))
                continue
            column = positions.get(item.cell.col)
            if column in ("level1", "level2") and L.is_category_tail(text) and not values:
                tails.append((L.bare(text), column))  # the category above continues: never a category of its own
                continue
            if column in ("level1", "level2") and L.reads_like_category(text) and not values:
                cats.append((squash(text), item.cell.col))  # a category the national taxonomy lacks, as printed
                continue
            if in_category_column and L.is_category_fragment(text) and not values:
                continue
            name = item
        else:
            values.append(item)
    if name is None and not cats and not tails:
        return None
    return _Record(cats, name, values, row_no=group[0].row + 1, tails=tails)


def _cut_stream(toks: list[Tok], n_values: int, keep_empty: bool, in_name_column=lambda tok: False) -> list[_Record]:
    """Records cut out of a cell stream whose rows can't be trusted.

    A category closes the record before it, and so does a name printed with
    its ``指标N:`` prefix or a placeholder (``……``). Where the stream keeps
    its empty cells (one cell a line), a record is its name and the next
    ``n_values`` cells. Elsewhere a record is complete once it holds its 分值
    and 得分 (two numbers side by side); a text after them is its 偏差原因 if
    it stands on the score's printed line, else the next record's name."""
    records: list[_Record] = []
    cats: list[tuple[str, int | None]] = []
    cur: list[Tok] = []

    def close() -> None:
        nonlocal cur, cats
        if cur:
            records.append(_Record(cats, cur[0], cur[1:], row_no=cur[0].row + 1))
        elif cats:
            records.append(_Record(cats, None, []))
        cur, cats = [], []

    def complete() -> bool:
        return len(cur) > n_values if keep_empty else _has_points(cur)

    items = _merge_fragments(toks)
    for at, item in enumerate(items):
        if isinstance(item, tuple):
            if cur:
                close()
            cats.append(item)
            continue
        text = item.text.strip()
        if not text:
            if cur and not complete():
                cur.append(item)  # an empty cell inside a record: a position
            continue
        if L.is_points_only(text) or L.indicator_block(text) or L.indicator_column(text):
            continue  # a label a merged cell printed among the rows (绩效指标), or the header repeated
        if L.is_placeholder(L.strip_name_prefix(text)) and not cur:
            continue
        if all(ch in "…." for ch in squash(text)):
            close()
            continue
        if ((cat := L.category(text)) is not None and (not cur or complete()) and not in_name_column(item)
                and not _names_its_row(item, items[at + 1:])):
            if cur:
                close()
            cats.append((cat, None))
            continue
        if (not cur and L.is_category_fragment(text) and not cats) or (L.is_category_tail(text) and (not cur or complete())):
            continue  # the tail of a wrapped category label
        if cur and (L.has_name_prefix(text) or (complete() and (keep_empty or not is_number(text)))):
            last = cur[-1]
            reason_here = (not keep_empty and not is_number(text) and item.row == last.row
                           and is_number(last.text) and len(cur) >= 3)
            if L.has_name_prefix(text) or not reason_here:
                close()
        cur.append(item)
    close()
    return records


_TARGET_START = re.compile(r"[<>=≥≤≦≧≠\d]")


def _names_its_row(item: Tok, after: list) -> bool:
    """A cell that only begins like a category (``服务对象满意度``, not a whole category name) is its
    row's 三级指标 when the next cell on its printed line is a target (a number or a comparator):
    a category is followed by a category or a name, never by a value."""
    if L.bare(item.text) in _CATEGORY_SET:
        return False
    nxt = next((t for t in after if isinstance(t, Tok) and t.text.strip()), None)
    return nxt is not None and nxt.row == item.row and bool(_TARGET_START.match(nfkc(nxt.text.strip())))


def _has_points(cur: list[Tok]) -> bool:
    nums = [k for k, t in enumerate(cur) if is_number(t.text)]
    return len(nums) >= 2 and nums[-1] == nums[-2] + 1 and nums[-2] >= 1
