"""Indicator rows of a pdftotext-style form, from its value lines.

A *value line* ends with an indicator's 分值 and 得分 (``>=90人 154人 2 2``);
what it lacks was printed on the lines before it (the *gap*):

* read together (the usual case): the gap holds, in order, the rest of the
  previous row's 偏差原因分析 (a row that kept its points has one only
  where the structure ends it, see ``_value_line``), then the
  row's 三级指标, and its 年度指标值 / 实际完成值 when the value line does not
  carry them. The gap is cut into those cells by their wrap widths
  (:mod:`pdftext_cells`);
* names printed apart: value lines that carry 年度指标值 and 实际完成值 come
  one after another with nothing but reasons between them: their names are
  printed elsewhere on the page (with the category labels), and are paired
  later (:mod:`pdftext_pairing`);
* scores printed apart: bare ``分值 得分`` lines one after another; the rows'
  texts (name, target, actual, reason) are printed elsewhere.

Category labels in a gap, or at the start of a value line, are printed with
the row (``时效指标 各类培训完成及时性 及时 及时 5 5``) and anchor it to that
category. Everything the rows do not consume is kept, in order, as the
*pool*: the label column, names printed apart, lines nobody could place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.layouts.pdftext_cells import CutTooComplex, Piece, cell_text, cut, cut_tail, pieces, take_reason
from ingest.layouts.pdftext_lines import (
    Line,
    category_tokens,
    goal_header,
    indicator_header,
    is_label,
    is_bare_number,
    is_points,
    is_value_token,
    is_word,
    points_header,
    total_points,
    width,
)
from ingest.records import FormError, Issue, Severity
from ingest.text import squash, unwrap

CAT, VAL, TXT, TOT, POINTS_HEAD = "cat", "val", "txt", "tot", "points_head"
INLINE, NAMES_APART, POINTS_APART = "inline", "names_apart", "points_apart"


@dataclass(frozen=True)
class Item:
    kind: str
    line: Line
    tokens: tuple[str, ...] = ()  # TXT: text tokens; VAL: the tokens before 分值 得分
    cats: tuple[str, ...] = ()  # CAT: category names
    weight: str = ""
    score: str = ""
    skip: int = 0  # TXT: leading tokens of the line that were category labels
    tail: str = ""  # VAL: a 偏差原因分析 printed after 分值 得分 on the same line


@dataclass
class Row:
    line_no: int
    weight: str
    score: str
    mode: str = INLINE
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    reason: str | None = None
    anchors: list[str] = field(default_factory=list)
    hint: str | None = None  # the category label printed just before a name printed apart

    @property
    def deviates(self) -> bool:
        try:
            return Decimal(self.score) < Decimal(self.weight)
        except ArithmeticError:  # pragma: no cover - both are checked numbers
            return False


def _reason_of(row: Row) -> str | None:
    """A row's reason, read after a call that may have set it (read in place after a test that
    found it None, mypy keeps it narrowed to None and takes the branch for unreachable)."""
    return row.reason


@dataclass
class Assembly:
    rows: list[Row]
    total: tuple[str, str, int] | None
    pool: list[tuple[int, Item]]  # unconsumed TXT/CAT items with their item index
    val_index: list[int]  # item index of each row's value line
    warnings: list[Issue] = field(default_factory=list)


def to_items(lines: list[Line]) -> list[Item]:
    items: list[Item] = []
    for line in lines:
        if is_label(line) or indicator_header(line) or goal_header(line):
            continue
        if points_header(line):
            items.append(Item(POINTS_HEAD, line))
            continue
        total = total_points(line)
        if total:
            items.append(Item(TOT, line, weight=total[0], score=total[1]))
            continue
        tokens = line.tokens
        n = category_tokens(line)
        if n:
            items.append(Item(CAT, line, cats=tuple(squash(t) for t in tokens[:n])))
        rest = tokens[n:]
        if not rest:
            continue
        j = _points_at(rest)
        if j is not None:
            tail = unwrap(" ".join(rest[j + 2 :]))
            items.append(Item(VAL, line, _value_cells(rest[:j]), weight=rest[j], score=rest[j + 1], tail=tail))
        else:
            items.append(Item(TXT, line, tuple(rest), skip=n))
    return items


def _value_cells(tokens: list[str]) -> tuple[str, ...]:
    """The cells before 分值 得分. A row holds three (name, target, actual),
    and a name is never a bare number: on a line with a cell too many (four
    or more, or three of which the first is a bare number), the first bare
    number followed by a word is one cell with it, as a target or actual
    with a unit no list knows (``0 履职事故``)."""
    if len(tokens) >= 4 or (len(tokens) == 3 and is_bare_number(tokens[0])):
        for i in range(len(tokens) - 1):
            if is_bare_number(tokens[i]) and is_word(tokens[i + 1]):
                return (*tokens[:i], f"{tokens[i]} {tokens[i + 1]}", *tokens[i + 2 :])
    return tuple(tokens)


def _points_at(tokens: list[str]) -> int | None:
    """Where 分值 and 得分 stand in a value line: the last two tokens, or the
    last pair of numbers followed only by words (a reason on the same line)."""
    if len(tokens) >= 2 and is_points(tokens[-1]) and is_points(tokens[-2]):
        return len(tokens) - 2
    for j in range(len(tokens) - 3, -1, -1):
        if is_points(tokens[j]) and is_points(tokens[j + 1]):
            after = tokens[j + 2 :]
            if all(not is_value_token(t) and width(t) >= 2 for t in after):
                return j
            return None
    return None


def _names_apart(items: list[Item]) -> bool:
    """Whether a value line carrying its target and actual follows another
    value line (or the table's start) with no text between: its name was
    printed apart."""
    seen_text = True
    for it in items:
        if it.kind == TXT:
            seen_text = True
        elif it.kind in (VAL, TOT, POINTS_HEAD):
            if it.kind == VAL and not seen_text and 1 <= len(it.tokens) <= 2:
                return True
            seen_text = False
    return False


def _at_last_label(rest: list[tuple[int, Item]]) -> tuple[list[tuple[int, Item]], list[tuple[int, Item]]]:
    """``rest`` split after its last category label: (labels and what came before, the row's text)."""
    last_cat = max((k for k, (_, it) in enumerate(rest) if it.kind == CAT), default=-1)
    return rest[: last_cat + 1], rest[last_cat + 1 :]


def _txt_pieces(gap: list[tuple[int, Item]]) -> list[Piece]:
    lines = [it.line for _, it in gap if it.kind == TXT]
    skips = {it.line.no: it.skip for _, it in gap if it.kind == TXT}
    return pieces(lines, skips)


@dataclass
class _Assembler:
    reason_width: float | None
    seq: int
    names_apart: bool
    rows: list[Row] = field(default_factory=list)
    pool: list[tuple[int, Item]] = field(default_factory=list)
    val_index: list[int] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def run(self, items: list[Item]) -> Assembly:
        gap: list[tuple[int, Item]] = []
        total = None
        for idx, it in enumerate(items):
            if it.kind in (CAT, TXT):
                gap.append((idx, it))
            elif it.kind == VAL:
                self._value_line(idx, it, gap)
                gap = []
            else:  # TOT or POINTS_HEAD: the reason of the last row, then the rest is pool
                self._pool(self._reason(gap, self._last(), final=True, full_score=True))
                gap = []
                if it.kind == TOT:
                    if total is not None:
                        raise FormError(
                            "two_totals", f"a second 总分 row ({it.line.text}) in one form", it.line.no
                        )
                    total = (it.weight, it.score, it.line.no)
        self._pool(self._reason(gap, self._last(), final=True) if total is None else gap)
        return Assembly(self.rows, total, self.pool, self.val_index, self.warnings)

    def _pool(self, gap: list[tuple[int, Item]]) -> None:
        self.pool.extend(gap)

    def _last(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    def _reason(
        self, gap: list[tuple[int, Item]], prev: Row | None, final: bool = False, full_score: bool = False
    ) -> list[tuple[int, Item]]:
        """Give ``prev`` the reason at the start of ``gap``; return the rest.

        A row that lost points takes the text (``final``: all the text up to
        the next label). A row that kept them takes one only with
        ``full_score``, where the text cannot be the next row's (see
        :meth:`_value_line`), and only a cell the reason column's width
        allows, printed right below it."""
        if prev is None or prev.reason is not None:
            return gap
        if not prev.deviates:
            if not full_score or prev.mode != INLINE:
                return gap
            final = False
        lead = []
        for idx, it in gap:
            if it.kind != TXT:
                break
            lead.append((idx, it))
        if not lead:
            return gap
        ps = _txt_pieces(lead)
        rest: list[Piece]
        if final:
            reason, rest = ps, []
        else:
            reason, rest = take_reason(ps, self.reason_width)
        prev.reason = cell_text(reason) if reason else None
        used = {id(p.line) for p in reason}
        out: list[tuple[int, Item]] = []
        for idx, it in gap:
            if it.kind == TXT and id(it.line) in used:
                left = [p.text for p in rest if p.line is it.line]
                if left:  # the reason ended mid-line
                    out.append((idx, Item(TXT, it.line, tuple(left), skip=len(it.line.tokens) - len(left))))
                continue
            out.append((idx, it))
        return out

    def _value_line(self, idx: int, val: Item, gap: list[tuple[int, Item]]) -> None:
        """One row from its value line and the text printed before it.

        A row that kept its points may have a reason too, printed below its
        value line: the text at the start of the next row's gap that the next
        row does not take (that row carries its own name, or its category
        label is printed after the text, or its cells' widths leave the text
        over)."""
        prev = self._last()
        if prev is not None and prev.mode == POINTS_APART:
            rest = gap  # a row whose scores were printed apart has its reason with its text
        elif len(val.tokens) >= 3 and all(it.kind == TXT for _, it in gap):
            rest = self._reason(gap, prev, final=True)
        else:
            rest = self._reason(gap, prev)
        tokens = list(val.tokens)
        k = len(tokens)
        mode = self._mode(k, rest)
        if mode == INLINE and (k >= 3 or any(it.kind == CAT for _, it in rest)):
            rest = self._reason(rest, prev, full_score=True)
        row = Row(val.line.no, val.weight, val.score, mode=mode, reason=val.tail or None)
        self.rows.append(row)
        self.val_index.append(idx)
        before, after = _at_last_label(rest)
        ps = _txt_pieces(after)
        if row.mode == INLINE:
            row.anchors = [c for _, it in before if it.kind == CAT for c in it.cats]
            self._pool([(i, it) for i, it in before if it.kind == TXT])
        else:
            self._pool(before)
        if k >= 3:
            row.name, row.target, row.actual = unwrap(" ".join(tokens[:-2])), tokens[-2], tokens[-1]
            self._check_name_cells(row, tokens)
            self._pool(after)
        elif not ps:
            if k == 2:
                row.target, row.actual = tokens
            elif k == 1:
                row.actual = tokens[0]
        elif row.mode == NAMES_APART:
            self._pool(self._fill(row, ps, 2 - k, tokens, apart=True, after=after))
        else:
            self._pool(self._left_over(prev, self._fill(row, ps, 3 - k, tokens, apart=False, after=after)))

    def _left_over(self, prev: Row | None, leftover: list[tuple[int, Item]]) -> list[tuple[int, Item]]:
        """Text above a row's cells that the cells' widths leave over: the
        reason of the row before, if that row kept its points (a row that
        lost them took its reason first). Only the widths say where the
        reason ends and the name begins, so the form says so."""
        if prev is None or prev.deviates or prev.reason is not None:
            return leftover
        rest = self._reason(leftover, prev, full_score=True)
        reason = _reason_of(prev)  # set by _reason just now, or still None
        if reason is not None:
            self.warnings.append(
                Issue(
                    "reason_uncertain",
                    f"the text between value line {prev.line_no} (a row that kept its points) and the name of the "
                    f"next row was read as the 偏差原因分析 of line {prev.line_no} by the cells' widths alone: "
                    f"{reason[:40]!r}",
                    prev.line_no,
                    self.seq,
                    Severity.WARNING,
                    rows=(prev.line_no,),
                )
            )
        return rest

    def _mode(self, k: int, rest: list[tuple[int, Item]]) -> str:
        """How a value line with ``k`` cells before 分值 得分 gets the rest of its row."""
        if k >= 3:
            return INLINE
        if not _txt_pieces(_at_last_label(rest)[1]):
            return POINTS_APART if k == 0 else NAMES_APART
        return NAMES_APART if self.names_apart else INLINE

    def _check_name_cells(self, row: Row, tokens: list[str]) -> None:
        """A value line with more than three cells before 分值 得分: the extra
        ones are taken as part of the 三级指标 (a name printed with spaces);
        one that reads like a value leaves the cut uncertain."""
        odd = [t for t in tokens[1:-2] if is_value_token(t)]
        if odd:
            self.warnings.append(
                Issue(
                    "cell_split_uncertain",
                    f"value line {row.line_no} holds {len(tokens)} cells before 分值 得分 and {odd[0]!r} in the "
                    f"三级指标 reads like a value; the last two cells were taken as 年度指标值 and 实际完成值",
                    row.line_no,
                    self.seq,
                    Severity.WARNING,
                    rows=(row.line_no,),
                )
            )

    def _fill(self, row: Row, ps: list[Piece], need: int, tokens: list[str], apart: bool, after) -> list:
        """Cut ``ps`` into the row's missing cells; return the items left over (the text's head)."""
        columns = (["target", "actual"] if apart else ["name", "target", "actual"])[:need]
        same = (len(columns) - 2, len(columns) - 1) if columns[-2:] == ["target", "actual"] else None
        try:
            return self._cut_into(row, ps, columns, same, apart, tokens, after)
        except CutTooComplex as err:
            raise FormError(
                "too_complex",
                f"the text above value line {row.line_no} ({err.pieces} tokens) wraps so evenly that it can be cut "
                f"into {'/'.join(columns)} in too many ways to weigh (more than {err.steps} steps): it is not a row "
                "of the template",
                row.line_no,
            ) from None

    def _cut_into(self, row: Row, ps: list[Piece], columns: list[str], same, apart: bool, tokens, after) -> list:
        need = len(columns)
        result = None if apart else cut(ps, need, same)
        leftover: list[Piece] = []
        if result is None:
            tail = cut_tail(ps, need, same)
            if tail is None:
                raise FormError(
                    "unreadable_indicator_row",
                    f"the text above value line {row.line_no} cannot be cut into {', '.join(columns) or 'nothing'}",
                    row.line_no,
                )
            leftover, result = tail
        if result.alternatives and not apart:
            self.warnings.append(
                Issue(
                    "cell_split_uncertain",
                    f"the text above value line {row.line_no} can be cut into {'/'.join(columns)} in more than one "
                    f"way that fits the column widths; the cut with the fewest broken cells was taken",
                    row.line_no,
                    self.seq,
                    Severity.WARNING,
                    rows=(row.line_no,),
                )
            )
        for column, cell in zip(columns, result.cells):
            setattr(row, column, cell_text(cell))
        if tokens:
            if len(tokens) == 2:
                row.target, row.actual = tokens
            else:
                row.actual = tokens[0]
        used = {id(p.line) for p in leftover}
        return [(i, it) for i, it in after if it.kind == TXT and id(it.line) in used]


def assemble(items: list[Item], reason_width: float | None, seq: int) -> Assembly:
    return _Assembler(reason_width, seq, _names_apart(items)).run(items)
