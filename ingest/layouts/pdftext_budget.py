"""The 项目资金 block of a pdftotext-style form, however it was scattered.

The block may come out whole (labelled rows under a six-column header) or
in pieces: a header naming only some columns (``全年预算数 全年执行数 分值
执行率 得分``) followed by unlabelled rows in the printed row order, another
header (``年初预算数``) with the labelled rows of the remaining column, a
lone ``分值 执行率`` pair, or the total row's 得分 on a line of its own
(``8.37``). Each piece's values are placed under the columns its own header
names; a cell printed twice with different values rejects the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest import vocabulary as V
from ingest.layouts.pdftext_lines import Line, amounts_only, budget_columns, is_amount_like
from ingest.records import BudgetLine, FormError
from ingest.forms import fund_source
from ingest.text import is_none_mark, parse_decimal, parse_percent

FUND_ORDER = tuple(V.FUND_SOURCES.values())
_AMOUNT_COLUMNS = V.BUDGET_COLUMNS[:3]
_WEIGHT, _RATE, _SCORE = V.BUDGET_COLUMNS[3:]


# A fund-source label may take several tokens: ``其中: 当年财政拨款`` (a space
# after the colon), ``年度资金 总额``.
_LABEL_TOKENS = 3
_LABEL_STARTS = (*V.FUND_SOURCES, *V.FUND_SOURCE_PREFIXES)


def fund_label(tokens: list[str]) -> tuple[str, int] | None:
    """The fund source the leading tokens name, and how many tokens the label takes."""
    for n in range(1, min(_LABEL_TOKENS, len(tokens)) + 1):
        fund = fund_source("".join(tokens[:n]))
        if fund is not None:
            return fund, n
    return None


def is_fund_row(line: Line) -> bool:
    return _fund_row(line) is not None


def _fund_row(line: Line) -> tuple[str, int] | None:
    """A fund-source row's label (as :func:`fund_label`), when the rest of the line is amounts."""
    if not line.squashed.startswith(_LABEL_STARTS):
        return None
    label = fund_label(line.tokens)
    if label is None or not all(is_amount_like(t) for t in line.tokens[label[1] :]):
        return None
    return label


@dataclass
class BudgetReader:
    """Collects the budget pieces of one form, line by line."""

    cells: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)
    strays: list[tuple[str, int]] = field(default_factory=list)
    header: list[str] | None = None
    bare_rows: int = 0
    in_run: bool = False

    def take(self, line: Line) -> bool:
        """Read the line if it is part of the budget block."""
        columns = budget_columns(line)
        if columns:
            self.header, self.bare_rows, self.in_run = columns, 0, True
            return True
        if (label := _fund_row(line)) is not None:
            fund, n = label
            cols = self.header if (self.in_run and self.header) else list(V.BUDGET_COLUMNS)
            self._place(fund, cols, line.tokens[n:], line.no)
            return True
        if self.in_run and self.header and amounts_only(line) and self.bare_rows < len(FUND_ORDER):
            fund = FUND_ORDER[self.bare_rows]
            self.bare_rows += 1
            self._place(fund, self.header, line.tokens, line.no)
            return True
        self.in_run = False
        return False

    def take_stray(self, line: Line) -> None:
        """A lone number printed apart from its row (the total row's 得分)."""
        self.strays.append((line.tokens[0], line.no))

    def _place(self, fund: str, columns: list[str], values: list[str], line_no: int) -> None:
        if len(values) > len(columns):
            raise FormError(
                "unreadable_budget_row",
                f"a 项目资金 row has {len(values)} values under {len(columns)} columns ({' '.join(columns)})",
                line_no,
            )
        row = self.cells.setdefault(fund, {})
        for column, value in zip(columns, values):
            if column in row and row[column][0] != value and not (is_none_mark(value) and is_none_mark(row[column][0])):
                raise FormError(
                    "budget_conflict",
                    f"the {fund} row's {column} is printed twice with different values "
                    f"({row[column][0]!r} on line {row[column][1]}, {value!r} on line {line_no})",
                    line_no,
                )
            row[column] = (value, line_no)

    # -- results --------------------------------------------------------
    def lines(self) -> tuple[BudgetLine, ...]:
        out = []
        for fund in FUND_ORDER:
            if fund not in self.cells:
                continue
            row = self.cells[fund]
            amounts = [
                parse_decimal(row[c][0], f"{fund} {c}", row[c][1]) if c in row else None for c in _AMOUNT_COLUMNS
            ]
            initial, full_year, executed = amounts  # the three amount columns
            out.append(BudgetLine(fund, initial, full_year, executed))
        return tuple(out)

    def printed(self) -> dict[str, dict[str, tuple[str, int]]]:
        """Each fund row's cells as printed: column label -> (text, line),
        the total row's missing points taken from the stray cells."""
        out = {fund: dict(row) for fund, row in self.cells.items()}
        row = out.setdefault("total", {})
        for token, line_no in self.strays:
            column = _RATE if token.endswith("%") else (_SCORE if _SCORE not in row else _WEIGHT)
            if column not in row:
                row[column] = (token, line_no)
        return out

    def total_points(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(分值, 执行率, 得分) of the total row, strays filling missing cells."""
        row = self.printed()["total"]
        weight = parse_decimal(row[_WEIGHT][0], "年度资金总额 分值", row[_WEIGHT][1]) if _WEIGHT in row else None
        rate = parse_percent(row[_RATE][0], "年度资金总额 执行率", row[_RATE][1]) if _RATE in row else None
        score = parse_decimal(row[_SCORE][0], "年度资金总额 得分", row[_SCORE][1]) if _SCORE in row else None
        return weight, rate, score

    @property
    def has_total(self) -> bool:
        return "total" in self.cells
