"""What a cell says, as the template family labels it.

Every function takes a cell's text and answers from the vocabulary
(:mod:`ingest.vocabulary`); matching is on squashed text (NFKC, no
whitespace) with bracketed annotations removed, because extraction breaks
labels at arbitrary points and forms annotate them (``全年预算数(A)``,
``实施单位(盖章)``, ``产出指标(50分)``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ingest import vocabulary as V
from ingest.categories import CATEGORY_NAMES, canonical_category
from ingest.text import squash

_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_POINTS = re.compile(V.POINTS_ANNOTATION)
_NAME_PREFIX = re.compile(V.NAME_PREFIX)
_YEAR_LINE = re.compile(V.YEAR_LINE)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@lru_cache(maxsize=1 << 14)
def bare(text: str) -> str:
    """Squashed, bracketed annotations and trailing colons removed."""
    return _BRACKETS.sub("", squash(text)).rstrip(":：")


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {bare(label): role for role, labels in table.items() for label in labels}


_HEAD = _lookup(V.HEAD_LABELS)
_BUDGET_COLUMNS = _lookup(V.BUDGET_COLUMN_LABELS)
_FUND_ROWS = _lookup(V.FUND_ROW_LABELS)
_INDICATOR_COLUMNS = _lookup(V.INDICATOR_COLUMN_LABELS)
_NOTES = {bare(label) for label in V.NOTE_LABELS}


@lru_cache(maxsize=1 << 14)
def title_kind(text: str) -> str | None:
    """``'project'`` for a project form's title, ``'other'`` for another kind
    of form (部门整体支出绩效自评表 …), None for anything else."""
    s = bare(text)
    s = _YEAR.sub("", s) if len(s) > 4 else s
    if not s or len(s) > V.TITLE_MAX_CHARS or not s.endswith(V.TITLE_ENDINGS) or ":" in s or "：" in s:
        return None  # (a note that names the form, 注：本表为…自评表, is no title)
    if any(k in s for k in V.OTHER_FORM_KINDS):
        return "other"
    if any(k in s for k in V.TITLE_MUST_NAME) or s.startswith(V.TITLE_PREFIX):
        return "project"
    return None


def year_of(text: str) -> int | None:
    """A year a title or heading cell names (``(2022 年度)``, ``2022年度``, ``(2021年)``)."""
    match = _YEAR.search(squash(text))
    return int(match.group(1)) if match else None


@lru_cache(maxsize=1 << 14)
def head_role(text: str) -> str | None:
    return _HEAD.get(bare(text))


@lru_cache(maxsize=1 << 14)
def split_head_label(text: str) -> tuple[str, str] | None:
    """A header label run together with its value (``项目名称某某项目``):
    (role, value), or None."""
    s = squash(text)
    for label, role in _HEAD.items():
        if s.startswith(label) and len(s) > len(label):
            return role, text.strip()[len(label):].strip() if text.strip().startswith(label) else s[len(label):]
    return None


@lru_cache(maxsize=1 << 14)
def is_budget_block(text: str) -> bool:
    """The 项目资金 block's label (annotations such as ``(万元)``, ``(10分)`` aside):
    exactly, so that a unit or project named ``项目资金管理中心`` is no label."""
    return bare(text) in V.BUDGET_BLOCK_LABELS


@lru_cache(maxsize=1 << 14)
def budget_column(text: str) -> str | None:
    return _BUDGET_COLUMNS.get(bare(text))


@lru_cache(maxsize=1 << 14)
def fund_row(text: str) -> str | None:
    """The fund source a 项目资金 row label names, or None; a label its cell
    wrapped (``其中：当年财政`` / ``拨款``) is known by its first four characters
    or more when they begin one label only."""
    s = _fund_label(text)
    if s in _FUND_ROWS:
        return _FUND_ROWS[s]
    found = {role for label, role in _FUND_ROWS.items() if len(s) >= 4 and label.startswith(s)}
    return found.pop() if len(found) == 1 else None


def _fund_label(text: str) -> str:
    s = bare(text)
    for prefix in V.FUND_SOURCE_PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix):].lstrip(":：")
    return s


@lru_cache(maxsize=1 << 14)
def is_fund_label_tail(text: str) -> bool:
    """The end of a fund row's label a wrap pushed under its values (``拨款``)."""
    s = bare(text)
    return bool(s) and not any(ch.isdigit() for ch in s) and any(
        label.endswith(s) and label != s for label in _FUND_ROWS)


@lru_cache(maxsize=1 << 14)
def goal_label(text: str) -> str | None:
    """'block', 'planned' or 'actual' for the labels of 年度总体目标."""
    s = bare(text)
    if s in V.GOAL_PLANNED_LABELS:
        return "planned"
    if s in V.GOAL_ACTUAL_LABELS:
        return "actual"
    if s in V.GOAL_BLOCK_LABELS or s.endswith(V.GOAL_BLOCK_LABELS):
        return "block"
    return None


@lru_cache(maxsize=1 << 14)
def indicator_block(text: str) -> bool:
    """The 绩效指标 block's label (``绩效指标(90分)``, ``年度绩效目标1 (80分)``), exactly."""
    return bare(text).rstrip("0123456789") in V.INDICATOR_BLOCK_LABELS


@lru_cache(maxsize=1 << 14)
def indicator_column(text: str) -> str | None:
    return _INDICATOR_COLUMNS.get(bare(text))


@lru_cache(maxsize=1 << 14)
def total_label(text: str) -> tuple[bool, str | None]:
    """Whether the cell is a 总分 / 合计 label, and a value run together with
    it (``总分:83``)."""
    s = squash(text)
    for label in V.TOTAL_LABELS:
        if s == label or s == label + ":":
            return True, None
        if s.startswith(label) and re.fullmatch(r"[:：]?\s*\d+(\.\d+)?", s[len(label):]):
            return True, s[len(label):].lstrip(":：")
    return False, None


@lru_cache(maxsize=1 << 14)
def is_grade_label(text: str) -> bool:
    return bare(text) in V.GRADE_LABELS


@lru_cache(maxsize=1 << 14)
def is_note_label(text: str) -> bool:
    """A note's label (``其他需要说明事项``), exactly, or ``注:`` before its text;
    an indicator named ``存在问题整改率`` is no note."""
    s = bare(text)
    return s in _NOTES or any(s.startswith(n) for n in _NOTES if n.endswith(":"))


@lru_cache(maxsize=1 << 14)
def is_grade(text: str) -> bool:
    return squash(text) in V.GRADE_WORDS


@lru_cache(maxsize=1 << 14)
def is_year_line(text: str) -> bool:
    return bool(_YEAR_LINE.match(squash(text)))


@lru_cache(maxsize=1 << 14)
def points(text: str) -> Decimal | None:
    """The points an annotation declares (``(50分)``, ``产出指标(50分)``)."""
    match = _POINTS.search(squash(text))
    return Decimal(match.group(1)) if match else None


@lru_cache(maxsize=1 << 14)
def is_points_only(text: str) -> bool:
    """A cell that is nothing but a points annotation (``(30分)``)."""
    return bool(_POINTS.fullmatch(squash(text)))


@lru_cache(maxsize=1 << 14)
def category(text: str) -> str | None:
    """The indicator category a cell names: exact, annotated (``产出指标(50分)``),
    with a trailing ``等``, or the unique category it begins (``经济效益``)."""
    s = bare(text)
    if s.endswith("等"):
        s = s[:-1]
    if len(s) < 2:
        return None
    found = canonical_category(s)
    if found is None and not s.endswith("指标") and s + "指标" in CATEGORY_NAMES:
        found = s + "指标"
    return found


@lru_cache(maxsize=1 << 14)
def is_category_fragment(text: str) -> bool:
    s = bare(text)
    return bool(s) and any(s in name for name in CATEGORY_NAMES)


@lru_cache(maxsize=1 << 14)
def is_category_tail(text: str) -> bool:
    """The tail of a category name a wrap pushed into the next row (``响指标``,
    ``度指标``, ``标``): the end of a category name and no category itself."""
    s = bare(text)
    return bool(s) and category(s) is None and any(name.endswith(s) and name != s for name in CATEGORY_NAMES)


def reads_like_category(text: str) -> bool:
    """A category the national taxonomy lacks, printed in a category column (``社会公众或服务对象满意度指标``)."""
    return squash(text).endswith(V.CATEGORY_SUFFIX)


def names_other_form_kind(text: str) -> bool:
    """Running text that names another kind of 自评表 (部门整体…自评表), title or not."""
    s = squash(text)
    return any(k in s for k in V.OTHER_FORM_KINDS) and any(e in s for e in V.TITLE_ENDINGS)


def names_fiscal_year(text: str) -> bool:
    """A heading naming a fiscal year (``2022年度``), not a date (``2023年3月``)."""
    return V.FISCAL_YEAR_WORD in squash(text)


def strip_name_prefix(text: str) -> str:
    """``指标1:工程质量合格`` -> ``工程质量合格``."""
    return _NAME_PREFIX.sub("", text.strip()).strip()


@lru_cache(maxsize=1 << 14)
def has_name_prefix(text: str) -> bool:
    """``指标1:`` before a name (each such cell starts a new indicator row)."""
    return bool(_NAME_PREFIX.match(text.strip()))


_TARGET_AT_END = re.compile(r"^(.*[\u4e00-\u9fff])((?:[≥≤=<>＞＜≧≦]\s*)?\d+(?:\.\d+)?\s*(?:%|％))$")


@lru_cache(maxsize=1 << 14)
def target_in_name(text: str) -> tuple[str, str] | None:
    """A target written at the end of the name cell (``年度资金支付完成率100%``):
    (name, target), or None."""
    match = _TARGET_AT_END.match(text.strip())
    return (match.group(1), match.group(2)) if match else None


@lru_cache(maxsize=1 << 14)
def is_placeholder(text: str) -> bool:
    s = squash(text)
    return not s or all(ch in "…./／" for ch in s) or s in V.PLACEHOLDER_CELLS


@lru_cache(maxsize=1 << 14)
def operator(text: str) -> str | None:
    return V.OPERATORS.get(squash(text))


@lru_cache(maxsize=1 << 12)
def is_unit(text: str) -> bool:
    s = squash(text).strip("()（）")
    return s in V.MEASURE_UNITS or s in V.COUNT_UNITS or s in V.VALUE_UNITS
