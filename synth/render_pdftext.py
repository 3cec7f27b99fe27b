"""Render a generated form as pdftotext-style text (the layout of
``data/raw/001_…``, read by :mod:`ingest.layouts.pdftext`).

No tabs: one output line per printed text line, text blocks separated by
blank lines, cells on one baseline separated by spaces, a cell too wide for
its column wrapped over several lines that each fill the column (closing
punctuation kept off a line start, as a renderer does). Two styles:

* ``pdf_reading``: a form in reading order (title, header, budget, goals,
  indicator table, 总分, 评分等级), like ``tests/ingest/pdftext_natural_order.txt``;
* ``pdf_extracted``: forms cut up the way the extractor emitted 001's pages,
  no 评分等级: the budget block and the indicator table before the form's
  title (the 实施单位 label alone above the budget, its value on the 主管部门
  line), the goals and the title printed after the 总分 row, category labels
  in a column of their own after the table; or the budget block in two
  pieces (``全年预算数 …`` with unlabelled rows first, ``年初预算数`` with
  labelled rows later) around the title block.

Only arrangements the parser reads with certainty are printed (see
``ingest/layouts/pdftext.py``): every row carries its 二级 label (the 二级
column is not merged; a merged one leaves the spans to the parser's best
guess), printed before the row's text so it also ends the previous row's
偏差原因分析; a row's name, target and actual are wrapped into cells of
their own only where the wrap widths allow one cut of the text, otherwise
the row is printed on one line; the budget's 得分 printed alone only just
above the budget header. Texts a PDF cell would print with inner spaces
(``≥95 (%)``, ``约 30 人``) are printed without them (on a value line a space
splits the cell into two tokens; in a wrapped cell it cannot be told from
a cell boundary). The parser's weight-sum check rejects a form whose
indicator weights do not add up to 90, so ``corpus.py`` plants no
``weights_not_total`` in these styles.

``render`` returns the lines and the form as it must land from them:
indicators in the template's category order, numbers of their value lines,
the form's first and last printed line, money printed as ``-`` landing as
none, a missing target printed as ``—``.
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

from ingest import vocabulary as V
from ingest.layouts.pdftext_lines import width
from ingest.records import BudgetLine, Form, Indicator

STYLES = ("pdf_reading", "pdf_extracted")
PRINTS_GRADE = frozenset({"pdf_reading"})

# A renderer keeps these off the start of a line (with the character before them).
_NO_LINE_START = frozenset("，。、；：？！）》」』”’")
# Goal lines are plain text: none may start with a label the parser reads.
_LABEL_STARTS = (V.PROJECT_NAME, V.SUPERVISING_DEPARTMENT, V.IMPLEMENTING_UNIT, V.FUNDS, V.GRADE, V.TOTAL,
                 *V.GOAL_PLANNED, *V.GOAL_ACTUAL, *V.LEVEL1_NAMES, *V.LEVEL2_PARENT, *V.FUND_SOURCES,
                 *V.FUND_SOURCE_PREFIXES, V.TITLE_PREFIX)
_SENTENCE_END = tuple("。！？；.!?;")
_FUND_LABELS = {
    "total": ("年度资金总额", "年度资金总额："),
    "current_year_appropriation": ("其中：当年财政拨款", "其中:当年财政拨款"),
    "prior_year_carryover": ("上年结转资金",),
    "other": ("其他资金",),
}
_TEMPLATE = [(l1, l2) for l1 in ("产出指标", "效益指标", "满意度指标") for l2 in V.TAXONOMY[l1]]


# -- text geometry ----------------------------------------------------------------


def wrap(text: str, cols: float) -> list[str] | None:
    """``text`` as a cell ``cols`` em wide prints it: every line but the last
    fills the column, one character short where the next line would start
    with closing punctuation. None where a break would fall next to a space
    (an extractor drops the space at a line end)."""
    lines: list[str] = []
    rest = text
    while width(rest) > cols:
        n, used = 0, 0.0
        while n < len(rest) and used + width(rest[n]) <= cols:
            used += width(rest[n])
            n += 1
        if rest[n] in _NO_LINE_START and n > 1:
            n -= 1
        if rest[n].isspace() or rest[n - 1].isspace():
            return None
        lines.append(rest[:n])
        rest = rest[n:]
    lines.append(rest)
    return lines


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _single_spaced(text: str) -> str:
    return " ".join(text.split())


def _goal_lines(text: str, cols: int) -> list[str]:
    """A goal paragraph: indented first line, continuation lines at the
    column width, never broken at a space or before a label."""
    lines, rest, first = [], text, True
    while rest:
        room = cols - (2 if first else 0)
        n, used = 0, 0.0
        while n < len(rest) and used + width(rest[n]) <= room:
            used += width(rest[n])
            n += 1
        while 0 < n < len(rest) and (
            rest[n] in _NO_LINE_START or rest[n].isspace() or rest[n - 1].isspace()
            or rest[n:].startswith(_LABEL_STARTS)
        ):
            n -= 1
        n = n or len(rest)
        if rest[n:].isascii() and len(rest) - n < 8 and n > 4:
            n -= 3  # a short last line of digits alone would read as an amount
        lines.append(("    " if first else "") + rest[:n])
        rest, first = rest[n:], False
    return lines


def _split_label(label: str, rng: random.Random) -> list[str]:
    """A category label as a narrow merged cell prints it: whole, wrapped, or one character a line."""
    roll = rng.random()
    if roll < 0.5 or len(label) < 3:
        return [label]
    if roll < 0.8:
        cut = rng.randint(2, len(label) - 1)
        return [label[:cut], label[cut:]]
    return list(label)


# -- the document being written -----------------------------------------------------


class _Page:
    """Lines of one form; blocks separated by blank lines."""

    def __init__(self) -> None:
        self.lines: list[str] = [""]

    def block(self, *lines: str) -> int:
        if self.lines[-1] != "":
            self.lines.append("")
        return self.add(*lines)

    def add(self, *lines: str) -> int:
        """Lines in the current block; the number of the last one."""
        self.lines.extend(lines)
        return len(self.lines)

    def maybe_block(self, rng: random.Random, *lines: str) -> int:
        return self.block(*lines) if rng.random() < 0.6 else self.add(*lines)


@dataclasses.dataclass
class _Columns:
    """Widths (em) of one form's table columns."""

    name: int
    target: int
    actual: int
    reason: int
    goal: int

    @classmethod
    def draw(cls, rng: random.Random) -> _Columns:
        return cls(rng.randint(9, 12), rng.randint(8, 10), rng.randint(8, 10), rng.randint(6, 11), rng.randint(28, 36))


# -- the form's parts ---------------------------------------------------------------------


def _money(value: Decimal | None, unit: str, separators: bool) -> str:
    if value is None or value == 0:
        return "-"
    if unit == "元" and value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}" if separators or unit == "元" else f"{value:.2f}"


def _printed_budget(form: Form) -> tuple[BudgetLine, ...]:
    """The budget lines as they land: amounts printed as ``-`` are none."""
    def amount(v: Decimal | None) -> Decimal | None:
        return None if v is None or v == 0 else v

    return tuple(
        BudgetLine(b.fund_source, amount(b.initial_amount), amount(b.full_year_amount), amount(b.executed_amount))
        for b in form.budget_lines
    )


def _pad(rng: random.Random) -> str:
    return " " * rng.choice([1, 1, 3, 6, 10])


class _Budget:
    """The 项目资金 block, whole or in pieces."""

    def __init__(self, form: Form, rng: random.Random):
        self.form, self.rng = form, rng
        self.separators = form.money_unit == "元" or rng.random() < 0.6
        self.lines = {b.fund_source: b for b in form.budget_lines}
        self.labels = {k: rng.choice(v) for k, v in _FUND_LABELS.items()}

    def _amounts(self, fund: str, columns: slice) -> list[str]:
        b = self.lines[fund]
        values = (b.initial_amount, b.full_year_amount, b.executed_amount)[columns]
        return [_money(v, self.form.money_unit, self.separators) for v in values]

    def _points(self, fund: str, with_score: bool = True) -> list[str]:
        f = self.form
        if fund != "total":
            return ["—"]
        points = [f"{f.budget_weight:g}", f"{f.execution_rate_pct}%"]
        return [*points, f"{f.budget_score}"] if with_score else points

    def _row(self, label: str | None, amounts: list[str], points: list[str]) -> str:
        """Amounts right-aligned under their headers (runs of spaces), points single-spaced."""
        pad = _pad(self.rng)
        return (label or "") + pad + pad.join(amounts) + " " + " ".join(points)

    def whole(self, page: _Page, stray_score: bool) -> None:
        """Header and four labelled rows; the total's 得分 alone above the header."""
        columns = list(V.BUDGET_COLUMNS[:5] if stray_score else V.BUDGET_COLUMNS)
        if stray_score:
            page.block(f"{self.form.budget_score}")
        page.block(" ".join(columns))
        for fund in self.lines:
            page.block(self._row(self.labels[fund], self._amounts(fund, slice(0, 3)), self._points(fund, not stray_score)))

    def later_columns(self, page: _Page) -> None:
        """``全年预算数 全年执行数 分值 执行率 得分`` and unlabelled rows in the printed row order."""
        page.block(" ".join(V.BUDGET_COLUMNS[1:]))
        for fund in self.lines:
            page.block(self._row(None, self._amounts(fund, slice(1, 3)), self._points(fund)))

    def first_column(self, page: _Page) -> None:
        """``年初预算数`` and the labelled rows of that column alone (an empty cell prints nothing)."""
        page.block(V.BUDGET_COLUMNS[0])
        for fund in self.lines:
            (initial,) = self._amounts(fund, slice(0, 1))
            if fund == "other" and initial == "-" and self.rng.random() < 0.5:
                page.block(self.labels[fund])
            else:
                page.block(f"{self.labels[fund]}{_pad(self.rng)}{initial}")


def _funds_label(page: _Page, unit: str, rng: random.Random) -> None:
    if rng.random() < 0.5:
        page.block(V.FUNDS, f"（{unit}）")
    else:
        page.block(f"{V.FUNDS}（{unit}）")


def _goals(page: _Page, form: Form, cols: _Columns, rng: random.Random) -> None:
    if rng.random() < 0.7:
        page.block(*V.GOALS)  # printed vertically, one character a line
    else:
        page.block(V.GOALS)
    page.block(f"{V.GOAL_PLANNED[0]} {V.GOAL_ACTUAL[0]}")
    for text in (form.goal_planned or "", form.goal_actual or ""):
        lines = _goal_lines(text, cols.goal)
        page.block(lines[0])
        for k, line in enumerate(lines[1:], start=1):
            # the extractor sometimes breaks a paragraph at a blank line (never after a sentence end)
            if not lines[k - 1].endswith(_SENTENCE_END) and rng.random() < 0.15:
                page.block(line)
            else:
                page.add(line)


def _title(page: _Page, form: Form, rng: random.Random) -> None:
    page.block("财政项目支出绩效自评表")
    if form.year_source == "title":
        page.block(f"({form.year} 年度)" if rng.random() < 0.7 else f"（{form.year}年度）")


def _head(page: _Page, form: Form, unit_inline: bool) -> None:
    """``主管部门 A 实施单位 B``, or ``主管部门 A B`` when the 实施单位 label
    stands alone elsewhere (only for units printed without spaces)."""
    page.block(f"{V.PROJECT_NAME} {form.project_name}")
    units = f"{form.supervising_department} {form.implementing_unit}"
    if unit_inline or len(units.split()) != 2:
        page.block(f"{V.SUPERVISING_DEPARTMENT} {form.supervising_department} {V.IMPLEMENTING_UNIT} "
                   f"{form.implementing_unit}")
    else:
        page.block(f"{V.SUPERVISING_DEPARTMENT} {form.supervising_department} {form.implementing_unit}")


# -- the indicator table ------------------------------------------------------------------


def _table_header(page: _Page, cols: _Columns, rng: random.Random) -> None:
    head = " ".join(V.INDICATOR_HEADER) + " 分值 得分"
    if rng.random() < 0.2:
        page.block("绩", "效", "指", "标")
    if cols.reason < len(V.DEVIATION_HEADER) and rng.random() < 0.8:
        parts = wrap(V.DEVIATION_HEADER, cols.reason) or [V.DEVIATION_HEADER]
        page.block(head, parts[0])
        for part in parts[1:]:
            page.maybe_block(rng, part)
    else:  # one line: the parser then measures the reason column on the reason itself
        page.block(f"{head} {V.DEVIATION_HEADER}")


def _free_of_cut(cells: list[list[str]]) -> bool:
    """Whether cells printed one below the other can be cut only one way:
    the last line of each cell is too short to be a full line of a cell
    that went on into the next one."""
    for upper, lower in zip(cells, cells[1:]):
        if width(upper[-1]) >= width(lower[0].split()[0]) - 2.0:
            return False
    return True


def _ordered(form: Form) -> list[Indicator]:
    """The rows in the template's category order (the parser reads
    categories from labels in that order)."""
    rank = {slot: k for k, slot in enumerate(_TEMPLATE)}
    return sorted(form.indicators, key=lambda i: rank.get((i.level1, i.level2), len(rank)))


def _reason_can_trail(reason: str) -> bool:
    """A reason printed after 分值 得分 on the value line: one word, not a value."""
    return bool(reason) and not reason[0].isdigit() and reason[0] not in "<>=≥≤约" and width(reason) >= 2


def _starts_like_a_label(line: str) -> bool:
    """A table line the parser would read as a form label (``主管部门满意度 …``
    is read as the 主管部门 line): such text is printed behind its category label."""
    return line.startswith(_LABEL_STARTS)


def _table(page: _Page, form: Form, cols: _Columns, l1_mode: str, rng: random.Random) -> list[Indicator]:
    """The rows; returns the indicators as they land (with value line numbers)."""
    out = []
    previous_l1 = None
    for seq, ind in enumerate(_ordered(form), start=1):
        name = _single_spaced(ind.name)
        target = _squeeze(ind.target) if ind.target else "—"
        actual = _squeeze(ind.actual) if ind.actual else "—"
        reason = _squeeze(ind.deviation_reason) if ind.deviation_reason else None
        labels = [ind.level2 or ""]
        if l1_mode == "lead" and ind.level1 != previous_l1:
            labels.insert(0, ind.level1 or "")
        previous_l1 = ind.level1
        # a reason is printed after 分值 得分 on the value line, or wrapped on the
        # lines below it; the parser reads the latter only for a row that lost points
        deviates = ind.score is not None and ind.weight is not None and ind.score < ind.weight
        reason_lines = (wrap(reason, cols.reason) or [reason]) if reason else []
        below = deviates and not any(map(_starts_like_a_label, reason_lines))
        trail = reason is not None and (
            not below or (_reason_can_trail(reason) and width(reason) <= cols.reason and rng.random() < 0.5)
        )
        points_line = f"{ind.weight} {ind.score}" + (f" {reason}" if trail else "")

        name_lines = wrap(name, cols.name)
        target_lines = wrap(target, cols.target)
        actual_lines = wrap(actual, cols.actual)
        shape = "inline"
        if name_lines and target_lines and actual_lines:
            if len(target_lines) == 1 and len(actual_lines) == 1:
                shape = "name_above" if len(name_lines) > 1 else "inline"
            elif len(actual_lines) == 1 and _free_of_cut([name_lines, target_lines]):
                shape = "actual_on_value_line"
            elif _free_of_cut([name_lines, target_lines, actual_lines]):
                shape = "cells_above"

        if shape != "inline" and any(map(_starts_like_a_label, [*name_lines[1:], *target_lines, *actual_lines])):
            shape = "inline"
        label_first = _starts_like_a_label(name)
        if shape == "inline":
            if label_first or rng.random() < 0.6:
                line_no = page.block(" ".join([*labels, name, target, actual, points_line]))
            else:
                _label_lines(page, labels, rng)
                line_no = page.maybe_block(rng, " ".join([name, target, actual, points_line]))
        else:
            assert name_lines and target_lines and actual_lines
            first = name_lines[0]
            if (label_first or rng.random() < 0.4) and len(labels) == 1:
                page.block(f"{labels[0]} {first}")  # the label on the name's first baseline
            elif label_first:
                _label_lines(page, labels[:-1], rng)
                page.block(f"{labels[-1]} {first}")
            else:
                _label_lines(page, labels, rng)
                page.maybe_block(rng, first)
            page.add(*name_lines[1:])
            if shape == "name_above":
                line_no = page.maybe_block(rng, f"{target} {actual} {points_line}")
            elif shape == "actual_on_value_line":
                page.block(*target_lines)
                line_no = page.maybe_block(rng, f"{actual} {points_line}")
            else:
                page.block(*target_lines)
                page.block(*actual_lines)
                line_no = page.maybe_block(rng, points_line)
        if reason is not None and not trail:
            page.add(reason_lines[0])
            for line in reason_lines[1:]:
                page.maybe_block(rng, line) if rng.random() < 0.2 else page.add(line)
        out.append(dataclasses.replace(
            ind, indicator_seq=seq, name=name, target=target, actual=actual, deviation_reason=reason, line_no=line_no
        ))
    return out


def _label_lines(page: _Page, labels: list[str], rng: random.Random) -> None:
    for label in labels:
        page.maybe_block(rng, *_split_label(label, rng))


def _total(page: _Page, form: Form, rng: random.Random) -> None:
    """The 总分 row: ``100 97.00``, ``100 97.00总分``, ``总分 100 97.00``, or the label a block of its own."""
    score = f"{form.total_score}"
    roll = rng.random()
    if roll < 0.3:
        page.block(f"100 {score}{V.TOTAL}")
    elif roll < 0.5:
        page.block(f"{V.TOTAL} 100 {score}")
    elif roll < 0.75:
        page.block(V.TOTAL)
        page.block(f"100 {score}")
    else:  # the label printed after the row, with the category column (001)
        page.block(f"100 {score}")
        page.block(V.TOTAL)


def _free_labels(page: _Page, form: Form, rng: random.Random) -> None:
    """The category column printed on its own after the table (no positions)."""
    if rng.random() < 0.7:
        page.block(*"绩效指标")
    seen: list[str] = []
    for ind in _ordered(form):
        for label in (ind.level1, ind.level2):
            if label and label not in seen:
                seen.append(label)
    for label in seen:
        page.block(*_split_label(label, rng))


# -- whole forms ----------------------------------------------------------------------------


def _reading_order(page: _Page, form: Form, cols: _Columns, rng: random.Random, grade: bool):
    unit_inline = rng.random() < 0.7
    _title(page, form, rng)
    _head(page, form, unit_inline)
    budget = _Budget(form, rng)
    _funds_label(page, form.money_unit, rng)
    if not unit_inline:
        page.block(V.IMPLEMENTING_UNIT)
    budget.whole(page, stray_score=rng.random() < 0.2)
    _goals(page, form, cols, rng)
    _table_header(page, cols, rng)
    indicators = _table(page, form, cols, "lead" if rng.random() < 0.7 else "none", rng)
    _total(page, form, rng)
    if grade:
        page.block(f"{V.GRADE} {form.grade}")
    return indicators


def _table_first(page: _Page, form: Form, cols: _Columns, rng: random.Random):
    """001's usual page: 实施单位, budget, table, 总分, category column, goals, title."""
    budget = _Budget(form, rng)
    page.block(V.IMPLEMENTING_UNIT)
    budget.whole(page, stray_score=rng.random() < 0.2)
    _table_header(page, cols, rng)
    indicators = _table(page, form, cols, rng.choice(["lead", "none"]), rng)
    _total(page, form, rng)
    _free_labels(page, form, rng)
    _funds_label(page, form.money_unit, rng)
    _goals(page, form, cols, rng)
    _title(page, form, rng)
    _head(page, form, unit_inline=False)
    return indicators


def _budget_in_pieces(page: _Page, form: Form, cols: _Columns, rng: random.Random):
    """001's first form: the later budget columns first, then the title block and
    goals, then the 年初预算数 column, then the table."""
    budget = _Budget(form, rng)
    budget.later_columns(page)
    _title(page, form, rng)
    _head(page, form, unit_inline=False)
    _funds_label(page, form.money_unit, rng)
    _goals(page, form, cols, rng)
    budget.first_column(page)
    _table_header(page, cols, rng)
    indicators = _table(page, form, cols, rng.choice(["lead", "none"]), rng)
    _total(page, form, rng)
    _free_labels(page, form, rng)
    return indicators


def render(form: Form, style: str, rng: random.Random) -> tuple[list[str], Form]:
    if style not in STYLES:
        raise ValueError(f"unknown pdftext style {style!r}")
    page = _Page()
    cols = _Columns.draw(rng)
    expected = form
    if style == "pdf_reading" and rng.random() < 0.1:  # a title with no year: the narrative names it
        expected = dataclasses.replace(form, year_source="narrative", goal_actual=f"{form.year}年度{form.goal_actual}")
    if style == "pdf_reading":
        indicators = _reading_order(page, expected, cols, rng, grade=True)
    else:
        arrangement = rng.choices([_reading_order, _table_first, _budget_in_pieces], weights=[2, 5, 3])[0]
        if arrangement is _reading_order:
            indicators = _reading_order(page, expected, cols, rng, grade=False)
        else:
            indicators = arrangement(page, expected, cols, rng)
    lines = page.lines
    printed = [i for i, line in enumerate(lines, 1) if line.strip()]
    return lines, dataclasses.replace(
        expected,
        grade=expected.grade if style in PRINTS_GRADE else None,
        budget_lines=_printed_budget(expected),
        indicators=tuple(indicators),
        line_start=printed[0],
        line_end=printed[-1],
    )


__all__ = ["PRINTS_GRADE", "STYLES", "render", "wrap"]
