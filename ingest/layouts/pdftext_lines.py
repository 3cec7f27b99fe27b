"""Lines of pdftotext-style text: widths, tokens, merged labels, line kinds.

The extractor prints one PDF text line per output line and separates its
text blocks with blank lines. Table cells that sit on one baseline come out
as one line with single spaces between them (``300-400人 343人 3 3``); a cell
whose text wraps comes out as several lines, each as wide as the cell's
column. Labels printed vertically (``绩`` ``效`` ``指`` ``标``) or wrapped
(``满意度指`` ``标``) are merged back here so the readers see whole labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ingest import vocabulary as V
from ingest.categories import CATEGORY_NAMES
from ingest.forms import is_title
from ingest.text import is_none_mark, is_number, nfkc, squash, year_in_title

# Labels that a wrap or a vertical print may break over several lines.
_MERGEABLE = (
    *CATEGORY_NAMES,
    V.INDICATOR_BLOCK,
    V.GOALS,
    V.DEVIATION_HEADER,
    *V.INDICATOR_HEADER,
    *(f"{V.FUNDS}({unit})" for unit in V.MONEY_UNITS),
)

# Characters that may not start a line (a renderer keeps them with the
# character before them, so the line above can end one character short).
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")
_NO_LINE_END = set("（《「『“‘(")


@dataclass(eq=False)
class Line:
    """One non-blank output line (or a label merged from several).

    Never changed once made (not declared frozen: a frozen dataclass takes
    twice as long to make, and a document makes tens of thousands). Lines
    compare by identity: the readers tell a line from an equal one elsewhere."""

    no: int  # 1-based line number of its first physical line
    raw: str  # as printed, leading spaces kept
    block_start: bool  # a blank line (or the start of the text) precedes it
    parts: tuple[str, ...] = ()  # the physical lines of a merged label
    # Computed once, when the line is made: every reader classifies each
    # line several times (text as printed without the indent; squashed: the
    # form labels are matched on; tokens: the line's cells, see `cells`).
    text: str = field(init=False, repr=False)
    squashed: str = field(init=False, repr=False)
    tokens: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text = self.raw.strip()
        # squash(raw) without its cache: a document's lines are nearly all distinct
        self.squashed = "".join(nfkc(self.raw).split())
        self.tokens = cells(self.text)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The tokens squashed (the form labels are matched against)."""
        return tuple(squash(t) for t in self.tokens)

    @cached_property
    def indent(self) -> int:
        stripped = self.raw.lstrip(" \u3000")
        return len(self.raw) - len(stripped)


_COMPARATOR = "<>=≥≤≦≧＞＜＝≠═"
_UNIT_WORD = "|".join(sorted(map(re.escape, V.VALUE_UNITS), key=len, reverse=True))
_BARE_NUMBER = re.compile(rf"[{_COMPARATOR}]*约?\d+(?:\.\d+)?(?:[-~～]\d+(?:\.\d+)?)?")
_UNIT = re.compile(rf"(?:{_UNIT_WORD})(?:/[^/\d\s]{{1,2}})?|\((?:{_UNIT_WORD})(?:/[^/\d\s()]{{1,2}})?\)")
_DATE_NOTE = re.compile(r"\(\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\)")
_BEFORE_NUMBER = re.compile(rf"[{_COMPARATOR}]+约?|约")
_REASON_WORD = re.compile("|".join(map(re.escape, V.REASON_HINTS)))


# Where a join may happen (checked before looking at each pair of tokens).
_DIGIT = re.compile(r"\d")
_MAY_JOIN = re.compile(rf"\d%?\s+(?:\(|{_UNIT_WORD})|(?:^|\s)[{_COMPARATOR}约]+\s+\d")


def cells(text: str) -> list[str]:
    """Space-separated tokens, spaced value notation joined into one cell
    (a single space kept, as printed): a number and the unit after it
    (``≥90 (%)``, ``25 篇``, ``1 期/月``) or a date note (``100% (2023 年 12
    月)``), a comparator before it (``≥ 90%``, ``约 30 人``)."""
    tokens = text.split()
    if len(tokens) < 2 or not _DIGIT.search(text) or not _MAY_JOIN.search(nfkc(text)):
        return tokens
    out = [tokens[0]]
    for token in _bracketed(tokens[1:]):
        if _joins(out[-1], token):
            out[-1] += " " + token
        else:
            out.append(token)
    return out


def _bracketed(tokens: list[str]) -> list[str]:
    """Tokens, a bracket opened and closed on the line kept as one (a cell
    boundary never falls inside brackets)."""
    out: list[str] = []
    depth = 0
    for token in tokens:
        if depth > 0:
            out[-1] += " " + token
        else:
            out.append(token)
        norm = nfkc(token)
        depth += norm.count("(") - norm.count(")")
        depth = max(depth, 0)
    if depth > 0:  # never closed on this line: no group
        return tokens
    return out


def _joins(before: str, token: str) -> bool:
    right = nfkc(token)
    left = nfkc(before).replace(" ", "")
    if right[0].isdigit():
        return _BEFORE_NUMBER.fullmatch(left) is not None
    if _REASON_WORD.search(right):
        return False
    if _BARE_NUMBER.fullmatch(left):
        return _UNIT.fullmatch(right) is not None or _DATE_NOTE.fullmatch(right) is not None
    return left.endswith("%") and _BARE_NUMBER.fullmatch(left[:-1]) is not None and (
        _DATE_NOTE.fullmatch(right) is not None
    )


@lru_cache(maxsize=1 << 14)
def width(text: str) -> float:
    """Printed width in em: CJK (wide, full-width, ambiguous) 1, others 0.5."""
    total = 0.0
    for ch in text.strip():
        if ch.isspace():
            continue
        total += 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5
    return total


def is_full(line: str, column_width: float, next_line: str | None) -> bool:
    """Whether a wrapped cell's line filled its column, so the cell goes on.

    A renderer keeps punctuation with the character before it, so a full
    line may be up to two characters short when the next line starts with
    such a pair (``理，处理周期较`` / ``长，将进一步加强``) or with an opening
    bracket or quote moved down from this line's end (``党员参与`` /
    ``“满意率”测``)."""
    return width(line) >= column_width - full_slack(line, next_line)


def full_slack(line: str, next_line: str | None) -> float:
    """How far short of its column a line may end and still fill it (see
    :func:`is_full`): 2 em where punctuation was kept off the next line's
    start or this line's end, else half an em (widths are multiples of
    half an em, so ``width >= column - slack`` is exact)."""
    text = line.strip()
    nxt = (next_line or "").strip()
    kinsoku = (text and text[-1] in _NO_LINE_END) or (
        nxt and (nxt[0] in _NO_LINE_START or nxt[0] in _NO_LINE_END or (len(nxt) > 1 and nxt[1] in _NO_LINE_START))
    )
    return 2.0 if kinsoku else 0.5


def physical_lines(text: str) -> list[Line]:
    """Non-blank lines with their numbers, then vertical/wrapped labels merged."""
    out: list[Line] = []
    blank_before = True
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            blank_before = True
            continue
        out.append(Line(no, raw.rstrip(), blank_before))
        blank_before = False
    return _merge_labels(out)


def _merge_labels(lines: list[Line]) -> list[Line]:
    merged: list[Line] = []
    i = 0
    while i < len(lines):
        first = lines[i]
        if first.squashed in _MERGEABLE or not _is_label_prefix(first.squashed):
            merged.append(first)
            i += 1
            continue
        acc, j = first.squashed, i + 1
        while j < len(lines) and _is_label_prefix(acc + lines[j].squashed):
            acc += lines[j].squashed
            j += 1
            if acc in _MERGEABLE:
                break
        if acc in _MERGEABLE and j - i > 1:
            parts = tuple(line.text for line in lines[i:j])
            merged.append(Line(first.no, acc, first.block_start, parts))
            i = j
        else:
            merged.append(first)
            i += 1
    return merged


_LABEL_PREFIXES = frozenset(label[:k] for label in _MERGEABLE for k in range(1, len(label) + 1))


def _is_label_prefix(text: str) -> bool:
    return text in _LABEL_PREFIXES


# -- tokens ---------------------------------------------------------------

_VALUE_TOKEN = re.compile(
    rf"^[{_COMPARATOR}]*[约]?\d+(\.\d+)?([-~～]\d+(\.\d+)?)?\s*[%‰A-Za-z\u4e00-\u9fff/()（）]{{0,5}}$"
)


# A number with a count unit (``343人``, ``4 次``); group 1 is the unit.
COUNT_VALUE = re.compile(rf"\d\s*({'|'.join(sorted(V.COUNT_UNITS, key=len, reverse=True))})")


def is_category(token: str) -> bool:
    return squash(token) in CATEGORY_NAMES


@lru_cache(maxsize=1 << 14)
def is_value_token(token: str) -> bool:
    """A target/actual-like token: ``>=90%``, ``343人``, ``=1期/月``, ``0``."""
    text = nfkc(token).strip()
    return bool(_VALUE_TOKEN.match(text)) or is_none_mark(text)


def is_bare_number(token: str) -> bool:
    """A number with no unit (``0``, ``>=5``, ``1-2``)."""
    return _BARE_NUMBER.fullmatch(nfkc(token)) is not None


def is_word(token: str) -> bool:
    """A token that starts with a CJK character (no number, no comparator)."""
    return unicodedata.east_asian_width(token[0]) == "W" and not is_value_token(token)


@lru_cache(maxsize=1 << 14)
def is_points(token: str) -> bool:
    """A weight or score: a plain number of at most 100, no separators."""
    text = nfkc(token).strip()
    if "," in text or not is_number(text):
        return False
    return float(text) <= 100


@lru_cache(maxsize=1 << 14)
def _is_plain_number(token: str) -> bool:
    """A number without thousands separators (a score, of any size)."""
    text = nfkc(token).strip()
    return "," not in text and is_number(text)


@lru_cache(maxsize=1 << 14)
def is_amount_like(token: str) -> bool:
    """A budget cell: an amount, a percentage, or a none mark."""
    text = nfkc(token).strip()
    return is_number(text) or is_none_mark(text) or bool(re.match(r"^\d+(\.\d+)?\s*%$", text))


# -- line kinds -------------------------------------------------------------


def title(line: Line) -> bool:
    return is_title(line.raw)


def year_line(line: Line) -> bool:
    return len(line.squashed) <= 12 and year_in_title(line.raw) is not None


def starts_with_label(line: Line, label: str) -> bool:
    """Whether the line starts with ``label`` as whole tokens: the label's
    own token(s) (a label may be printed with spaces inside), optionally
    ending with a colon. An indicator named ``主管部门满意度`` does not start
    with the label ``主管部门``."""
    if not line.squashed.startswith(label):
        return False
    acc = ""
    for token in line.tokens:
        acc += squash(token)
        if acc == label or acc.startswith(label + ":"):
            return True
        if not label.startswith(acc):
            return False
    return False


_FUNDS_LABEL = re.compile(
    rf"{V.FUNDS}(?:\((?:{'|'.join(V.MONEY_UNITS)})\))?:?(?:{'|'.join(V.BUDGET_COLUMNS)})*"
)


def funds_label(line: Line) -> bool:
    """The 项目资金 label, with its unit (``项目资金（元）``) and possibly the
    budget columns after it, and nothing else."""
    return _FUNDS_LABEL.fullmatch(line.squashed) is not None


_BUDGET_COLUMN_STARTS = tuple({c[:2] for c in V.BUDGET_COLUMNS})


def budget_columns(line: Line) -> list[str] | None:
    """The budget columns a 项目资金 header line names, in printed order."""
    if not line.squashed.startswith(_BUDGET_COLUMN_STARTS):
        return None
    tokens = list(line.words)
    if not tokens or not all(t in V.BUDGET_COLUMNS for t in tokens):
        return None
    if not any(t in V.BUDGET_HEADER_MARKERS for t in tokens):
        return None
    return tokens


_POINTS_HEADER = frozenset(V.POINTS_HEADER)
_TABLE_HEADER = frozenset({*V.INDICATOR_HEADER, V.DEVIATION_HEADER})
_TABLE_HEADER_STARTS = tuple({label[:2] for label in (*_POINTS_HEADER, *_TABLE_HEADER)})


def points_header(line: Line) -> bool:
    """``分值 得分`` on its own: the head of a column of weights and scores."""
    return line.squashed.startswith(_TABLE_HEADER_STARTS) and set(line.words) <= _POINTS_HEADER


def indicator_header(line: Line) -> bool:
    if not line.squashed.startswith(_TABLE_HEADER_STARTS):
        return False
    tokens = line.words
    return all(t in _TABLE_HEADER or t in _POINTS_HEADER for t in tokens) and any(t in _TABLE_HEADER for t in tokens)


_GOAL_HEADER = re.compile(rf"(?:(?:{'|'.join((*V.GOAL_PLANNED, *V.GOAL_ACTUAL))}):?){{1,2}}")


def goal_header(line: Line) -> bool:
    """``预期目标 实际完成情况`` (either or both labels, nothing else)."""
    return _GOAL_HEADER.fullmatch(line.squashed) is not None


def category_tokens(line: Line) -> int:
    """How many leading tokens of the line are category labels."""
    n = 0
    for token in line.tokens:
        if not is_category(token):
            break
        n += 1
    return n


def total_points(line: Line) -> tuple[str, str] | None:
    """The 总分 row: ``100 94.90``, ``100 99.77总分`` or ``总分 100 94.90``.

    The score may exceed the weight (``100 100.5``, an inflated form): it
    lands as printed for the checks downstream to see."""
    if len(line.tokens) > 3:
        return None
    text = line.text.replace(V.TOTAL, " ")
    tokens = text.split()
    if len(tokens) != 2 or not is_points(tokens[0]) or not _is_plain_number(tokens[1]):
        return None
    if V.TOTAL in line.squashed or float(tokens[0]) == V.TOTAL_WEIGHT:
        return tokens[0], tokens[1]
    return None


def points_pair(line: Line) -> tuple[list[str], str, str] | None:
    """A line ending with a weight and a score: (the tokens before, weight, score)."""
    tokens = line.tokens
    if len(tokens) < 2 or not (is_points(tokens[-1]) and is_points(tokens[-2])):
        return None
    return tokens[:-2], tokens[-2], tokens[-1]


def amounts_only(line: Line) -> bool:
    tokens = line.tokens
    return bool(tokens) and all(is_amount_like(t) for t in tokens)


def lone_number(line: Line) -> bool:
    tokens = line.tokens
    return len(tokens) == 1 and (is_number(tokens[0]) or tokens[0].endswith("%") and is_number(tokens[0][:-1]))


def is_label(line: Line) -> bool:
    """A label that carries no data: 绩效指标, 年度总体目标, 总分, 实施单位 …"""
    return line.squashed in V.PLAIN_LABELS
