"""Tab-separated layout: table text copied out of a spreadsheet or a PDF table.

One line is one table row, cells separated by tabs. Merged cells make the
columns shift from row to row, so nothing here trusts a column position
except where the structure of the row pins it down:

* an indicator row is read from the right: the rightmost pair of adjacent
  numbers followed by at most one more cell is 分值/得分 (then the reason);
  the two cells before the pair are 年度指标值 and 实际完成值; whatever stands
  before them is categories (recognised by name) and the 三级指标 name.
  This reads rows shifted right, a 三级指标 in the first column and a page
  break's repeated ``绩效指标`` alike;
* categories are filled down (merged cells) and recognised from the national
  taxonomy, also when a wrap broke them (``可持 续影 响指 标``); a line made
  only of such fragments (``标	满意度指标``) is the tail of a wrapped merged
  cell and is skipped;
* a budget row is read from its fund-source label: the values after it,
  with surplus empty cells (a merged label spanning two columns) dropped;
* the total row is the one labelled 总分, or a row of exactly two numbers
  inside the indicator table;
* the year comes from the title, else from the narrative, else from the
  other forms of the document (see :mod:`ingest.forms`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest import vocabulary as V
from ingest.categories import canonical_category, is_category_fragment, is_level1, parent_of
from ingest.forms import (
    MONEY_UNIT,
    fund_source,
    infer_document_years,
    is_title,
    last_text_line,
    no_form_issue,
    split_at_titles,
    unread_line_issue,
    year_with_source,
)
from ingest.records import BudgetLine, Form, FormError, Indicator, Issue, ParsedFile, Severity
from ingest.text import (
    clean_paragraphs,
    is_number,
    parse_decimal,
    parse_percent,
    squash,
    unwrap,
    year_in_title,
)

NAME = "tabular"

_NOISE = re.compile(r"^[-—_=─\s|]*$")


def detect(lines: list[str]) -> bool:
    """Tab-separated text: a form title, and most table lines hold tabs."""
    content = [line for line in lines if line.strip()]
    if not content or not any(is_title(line) for line in content):
        return False
    tabbed = sum("\t" in line for line in content)
    return tabbed >= 0.5 * len(content)


def parse(text: str) -> ParsedFile:
    lines = text.split("\n")
    result = ParsedFile(layout=NAME)
    spans = split_at_titles(lines)
    if not spans:
        result.issues.append(no_form_issue())
        return result
    head = [i for i in range(spans[0][0]) if lines[i].strip()]
    if head:
        result.issues.append(
            Issue(
                "text_before_first_form",
                f"{len(head)} line(s) of text before the first form title were not read",
                line_no=head[0] + 1,
                severity=Severity.WARNING,
            )
        )
    forms = []
    for seq, (start, end) in enumerate(spans, start=1):
        try:
            forms.append(_FormReader(lines, start, end, seq).read())
        except FormError as err:
            result.issues.append(Issue(err.code, err.message, err.line_no, seq))
    result.forms = infer_document_years(forms)
    return result


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _label_index(squashed: list[str], label: str, prefix: bool = False) -> int | None:
    """Index of the cell printing ``label`` (exactly, or as its start)."""
    for i, cell in enumerate(squashed):
        if cell == label or (prefix and cell.startswith(label)):
            return i
    return None


def _next_value(cells: list[str], after: int, stop_labels: tuple[str, ...] = ()) -> str | None:
    for cell in cells[after + 1 :]:
        if not cell:
            continue
        if squash(cell) in stop_labels:
            return None
        return cell
    return None


@dataclass
class _FormReader:
    lines: list[str]
    start: int
    end: int
    seq: int
    section: str = "head"
    year: int | None = None
    project_name: str | None = None
    orphan: str | None = None  # text before 项目名称: a wrapped project name
    supervising: str | None = None
    implementing: str | None = None
    money_unit: str | None = None
    budget: dict[str, BudgetLine] = field(default_factory=dict)
    budget_weight: Decimal | None = None
    rate: Decimal | None = None
    budget_score: Decimal | None = None
    goal_planned: str | None = None
    goal_actual: str | None = None
    level1_col: int | None = None
    level1: str | None = None
    level2: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_line: int | None = None
    grade: str | None = None
    warnings: list[Issue] = field(default_factory=list)

    def read(self) -> Form:
        for i in range(self.start, self.end):
            raw = self.lines[i]
            if raw.strip():
                self._line(raw, i + 1)
        return self._form()

    # -- one line -------------------------------------------------------
    def _line(self, raw: str, line_no: int) -> None:
        cells = _cells(raw)
        squashed = [squash(c) for c in cells]
        if is_title(raw) or _NOISE.match(raw.replace("\t", " ")):
            self.year = self.year or year_in_title(raw)
            return
        if self.section == "head" and (year := year_in_title(raw)) and len(squash(raw)) <= 12:
            self.year = self.year or year
            return
        if self.section in ("indicators", "tail"):
            self._table_row(cells, squashed, raw, line_no)
            return
        if (i := _label_index(squashed, V.PROJECT_NAME)) is not None:
            name = _next_value(cells, i) or self.orphan
            if not name:
                raise FormError("missing_project_name", "the 项目名称 row has no project name", line_no)
            self.project_name = unwrap(name)
            return
        if (i := _label_index(squashed, V.SUPERVISING_DEPARTMENT)) is not None:
            self.supervising = _next_value(cells, i, (V.IMPLEMENTING_UNIT,))
            if (j := _label_index(squashed, V.IMPLEMENTING_UNIT)) is not None:
                self.implementing = _next_value(cells, j)
            return
        if (i := _label_index(squashed, V.FUNDS, prefix=True)) is not None:
            unit = MONEY_UNIT.search(squashed[i]) or MONEY_UNIT.search(squash(raw))
            if not unit:
                raise FormError("unknown_money_unit", "the 项目资金 header names no unit (万元 or 元)", line_no)
            self.money_unit = unit.group(1)
            self.section = "funds"
            return
        if self.section == "funds" and self._budget_row(cells, line_no):
            return
        if self._goal_row(cells, squashed):
            return
        if any(c in V.INDICATOR_HEADER for c in squashed):
            self.section = "indicators"
            if V.INDICATOR_HEADER[0] in squashed:
                self.level1_col = squashed.index(V.INDICATOR_HEADER[0])
            return
        if self.section == "head" and not self.project_name:
            self.orphan = " ".join(c for c in cells if c)
            return
        self._unread(raw, line_no)

    def _unread(self, raw: str, line_no: int) -> None:
        self.warnings.append(unread_line_issue(line_no, raw.strip(), self.seq))

    def _budget_row(self, cells: list[str], line_no: int) -> bool:
        for i, cell in enumerate(cells):
            fund = fund_source(cell)
            if fund:
                break
        else:
            return False
        values = cells[i + 1 :]
        while values and not values[-1]:
            values.pop()
        while len(values) > len(V.BUDGET_COLUMNS) and not values[0]:
            values.pop(0)
        if len(values) > len(V.BUDGET_COLUMNS):
            raise FormError(
                "unreadable_budget_row",
                f"the {cell} row has {len(values)} values, more than the {len(V.BUDGET_COLUMNS)} budget columns",
                line_no,
            )
        values += [""] * (len(V.BUDGET_COLUMNS) - len(values))
        initial, full_year, executed = (
            parse_decimal(values[k], f"{cell} {V.BUDGET_COLUMNS[k]}", line_no) for k in range(3)
        )
        self.budget[fund] = BudgetLine(fund, initial, full_year, executed)
        if fund == "total":
            self.budget_weight = parse_decimal(values[3], f"{cell} 分值", line_no)
            self.rate = parse_percent(values[4], f"{cell} 执行率", line_no)
            self.budget_score = parse_decimal(values[5], f"{cell} 得分", line_no)
        return True

    def _goal_row(self, cells: list[str], squashed: list[str]) -> bool:
        labels = {V.GOALS, *V.GOAL_PLANNED, *V.GOAL_ACTUAL}
        texts = [c for c, s in zip(cells, squashed) if s and s not in labels]
        if any(s in labels for s in squashed) and not texts:
            self.section = "goals"  # the 年度总体目标 / 预期目标 / 实际完成情况 header
            return True
        if self.section == "goals" and self.goal_planned is None and texts:
            self.goal_planned = clean_paragraphs(texts[0])
            self.goal_actual = clean_paragraphs(texts[1]) if len(texts) > 1 else None
            return True
        return False

    def _table_row(self, cells: list[str], squashed: list[str], raw: str, line_no: int) -> None:
        """A line of the 绩效指标 table, its 总分 row or the 评分等级 after it."""
        if (i := _label_index(squashed, V.GRADE)) is not None:
            self.grade = _next_value(cells, i)
            return
        if any(c in V.INDICATOR_HEADER for c in squashed):
            return  # the header repeated after a page break
        if self.section == "tail":
            self._unread(raw, line_no)
            return
        filled = [c for c in cells if c]
        if V.TOTAL in squashed or (len(filled) == 2 and all(map(is_number, filled))):
            numbers = [c for c in filled if is_number(c)]
            if len(numbers) < 2:
                raise FormError("unreadable_total", "the 总分 row does not hold a weight and a score", line_no)
            self.total_weight = parse_decimal(numbers[-2], "总分 分值", line_no)
            self.total_score = parse_decimal(numbers[-1], "总分 得分", line_no)
            self.total_line = line_no
            self.section = "tail"
            return
        if squashed and squashed[0] == V.INDICATOR_BLOCK:
            cells, squashed = cells[1:], squashed[1:]
            if not any(squashed):
                return
        row = _split_indicator_row(cells)
        if row is None:
            if all(is_category_fragment(c) for c in cells if c):
                return  # the tail of a wrapped category cell
            raise FormError(
                "unreadable_indicator_row",
                f"cannot find 分值 and 得分 (two numbers) in indicator row {raw.strip()[:60]!r}",
                line_no,
            )
        self._indicator(cells, row, line_no)

    def _indicator(self, cells: list[str], row: tuple[int, str | None], line_no: int) -> None:
        j, reason = row
        names: list[str] = []
        new_l1 = new_l2 = None
        for idx in range(max(j - 2, 0)):
            cell = cells[idx]
            if not cell or squash(cell) == V.INDICATOR_BLOCK:
                continue
            category = canonical_category(cell)
            if category is None:
                names.append(cell)
            elif is_level1(category) and (category not in V.LEVEL2_PARENT or idx == self.level1_col):
                new_l1 = category
            else:
                new_l2 = category
        if new_l1:
            self.level1, self.level2 = new_l1, None
        if new_l2:
            self.level2 = new_l2
            if not new_l1 and self.level1 != parent_of(new_l2):
                self.level1 = parent_of(new_l2)
        if not names:
            raise FormError("indicator_without_name", "an indicator row has no 三级指标 name", line_no)
        target = cells[j - 2] if j >= 2 else ""
        actual = cells[j - 1] if j >= 1 else ""
        self.indicators.append(
            Indicator(
                indicator_seq=len(self.indicators) + 1,
                level1=self.level1,
                level2=self.level2,
                name=unwrap(" ".join(names)),
                target=unwrap(target) or None,
                actual=unwrap(actual) or None,
                weight=parse_decimal(cells[j], "分值", line_no),
                score=parse_decimal(cells[j + 1], "得分", line_no),
                deviation_reason=reason,
                line_no=line_no,
            )
        )

    # -- the whole form -------------------------------------------------
    def _form(self) -> Form:
        title_line = self.start + 1
        if not self.project_name:
            raise FormError("missing_project_name", "the form has no 项目名称 row", title_line)
        if self.money_unit is None or "total" not in self.budget:
            raise FormError("missing_budget", "the form has no 项目资金 block with a 年度资金总额 row", title_line)
        if not self.indicators:
            raise FormError("missing_indicator_table", "the form has no 绩效指标 table (no indicator rows)", title_line)
        if self.total_score is None:
            raise FormError(
                "missing_total", "the form has no 总分 row: it may be truncated", self.indicators[-1].line_no
            )
        year, year_source, year_warnings = year_with_source(
            self.year, self.goal_actual, self.goal_planned, title_line, self.seq
        )
        self.warnings.extend(year_warnings)
        order = list(V.FUND_SOURCES.values())
        return Form(
            form_seq=self.seq,
            year=year,
            year_source=year_source,
            project_name=self.project_name,
            supervising_department=self.supervising,
            implementing_unit=self.implementing,
            money_unit=self.money_unit,
            budget_weight=self.budget_weight,
            execution_rate_pct=self.rate,
            budget_score=self.budget_score,
            total_weight=self.total_weight,
            total_score=self.total_score,
            grade=self.grade,
            goal_planned=self.goal_planned,
            goal_actual=self.goal_actual,
            line_start=title_line,
            line_end=last_text_line(self.lines, self.start, self.end) + 1,
            budget_lines=tuple(sorted(self.budget.values(), key=lambda b: order.index(b.fund_source))),
            indicators=tuple(self.indicators),
            warnings=tuple(self.warnings),
        )


def _split_indicator_row(cells: list[str]) -> tuple[int, str | None] | None:
    """Index of 分值 in an indicator row (得分 follows it) and the reason after
    them, or None when the row holds no such pair."""
    for j in range(len(cells) - 2, -1, -1):
        if is_number(cells[j]) and is_number(cells[j + 1]):
            after = [c for c in cells[j + 2 :] if c]
            if len(after) <= 1:
                return j, (after[0] if after else None)
    return None
