"""Pair rows whose names (or whose scores) were printed apart.

When a page's value column was extracted as one block and its name column
as another, the value lines come out in row order but the names come out
grouped around the category labels, in an order of their own. Each *run*
of such rows (the value lines between two stretches of names) is paired
with the stretch of left-over text printed right after it (or, failing
that, right before it), which must hold exactly as many names (or row
texts) as the run has rows: otherwise the form is rejected.

Within a run the pairing is the order that best fits, summed over rows:

* names printed apart: a name's wording against its target and actual (a
  count unit in both, ``率``/``度`` with a percentage, a timeliness word
  with ``及时``/``月底前`` …), and the category label printed just before
  the name against the template's order of categories;
* scores printed apart: the form's own arithmetic: a row with a
  偏差原因分析, or whose actual falls short of its target, lost points
  (for ``>=50期`` / ``35期`` and 3 points: 3 × 35 ÷ 50 = 2.1), one that met
  its target kept them;

plus a bonus for keeping neighbours in the printed order together (a block
of names moves as a whole). The rows so paired land with a
``pairing_uncertain`` warning: the structure alone does not fix the order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import numpy as np

from ingest import vocabulary as V
from ingest.layouts.pdftext_lines import COUNT_VALUE, Line, is_full, is_value_token, width
from ingest.layouts.pdftext_rows import CAT, NAMES_APART, POINTS_APART, TXT, Assembly, Item, Row
from ingest.records import FormError, Issue, Severity
from ingest.text import unwrap

_TEMPLATE = [l2 for l1 in V.TAXONOMY.values() for l2 in l1]
_RANK: dict[str | None, int] = {c: k for k, c in enumerate(_TEMPLATE)}  # a 二级 category's place in the template
_ADJACENT = 1.0
_BEAM = 300
# A run of rows printed apart is as long as a page's block of value lines
# (8 to 14 in 001_…). The beam search takes _BEAM × n² steps (a few hundredths
# of a second at this many rows) and keeps the texts used as bits of one
# 64-bit number with the last text's 6 bits; longer runs are refused as too
# complex.
MAX_APART_ROWS = 56
_DISPLACED = 0.1  # per position a name moves from its printed place
_INVERSION = 0.3  # per pair of names whose category labels come in the template's reverse order


@dataclass
class _Text:
    """A row's text printed apart: a name, or name/target/actual/reason."""

    name: str
    target: str | None = None
    actual: str | None = None
    reason: str | None = None
    hint: str | None = None
    line_no: int = 0


def pair_apart_rows(assembly: Assembly, seq: int) -> list[Issue]:
    runs = _runs(assembly)
    if not runs:
        return []
    warnings: list[Issue] = []
    used: set[int] = set()
    pool = _Pool(assembly.pool)
    for k, (mode, members) in enumerate(runs):
        first_idx = assembly.val_index[members[0]]
        last_idx = assembly.val_index[members[-1]]
        next_idx = assembly.val_index[runs[k + 1][1][0]] if k + 1 < len(runs) else None
        prev_idx = assembly.val_index[runs[k - 1][1][-1]] if k > 0 else -1
        after = pool.between(last_idx, next_idx)
        before = pool.between(prev_idx, first_idx)
        rows = [assembly.rows[m] for m in members]
        texts = None
        for segment in (after, before):
            segment = [(i, it) for i, it in segment if i not in used]
            found = _names(segment) if mode == NAMES_APART else _row_texts(segment)
            if len(found) == len(rows):
                texts = found
                used.update(i for i, it in segment if it.kind == TXT)
                break
        if texts is None:
            counts = (len(_names(after)), len(_names(before))) if mode == NAMES_APART else (
                len(_row_texts(after)), len(_row_texts(before)))
            what = "names" if mode == NAMES_APART else "row texts (name, target, actual)"
            raise FormError(
                "unpaired_rows",
                f"{len(rows)} indicator rows (value lines {rows[0].line_no}–{rows[-1].line_no}) were printed apart "
                f"from their {what}, but the text printed after them holds {counts[0]} and the text before "
                f"them {counts[1]}: the blocks cannot be reconciled",
                rows[0].line_no,
            )
        order, kept = _best_order(rows, texts, mode)
        for row, j in zip(rows, order):
            _apply(row, texts[j], mode)
        warnings.append(
            Issue(
                "pairing_uncertain",
                f"{len(rows)} rows (value lines {rows[0].line_no}–{rows[-1].line_no}) were printed apart from their "
                f"{'names' if mode == NAMES_APART else 'names, targets and actuals'}; they were paired "
                f"{'in printed order' if kept else 'in an order other than the printed one'} by "
                f"{'wording and category labels' if mode == NAMES_APART else 'the scores arithmetic'}: check them",
                rows[0].line_no,
                seq,
                Severity.WARNING,
                rows=tuple(r.line_no for r in rows),
            )
        )
    assembly.pool[:] = [(i, it) for i, it in assembly.pool if i not in used]
    return warnings


class _Pool:
    """The left-over items, found by their item index (in the pool's own order)."""

    def __init__(self, pool: list[tuple[int, Item]]):
        self.pool = pool
        self.order = sorted(range(len(pool)), key=lambda k: pool[k][0])
        self.keys = [pool[k][0] for k in self.order]

    def between(self, lo: int, hi: int | None) -> list[tuple[int, Item]]:
        """The items with ``lo < index < hi`` (``hi`` None: no bound)."""
        a = bisect_right(self.keys, lo)
        b = len(self.keys) if hi is None else bisect_left(self.keys, hi)
        return [self.pool[k] for k in sorted(self.order[a:b])]


def _runs(assembly: Assembly) -> list[tuple[str, list[int]]]:
    """Runs of consecutive apart rows of one mode, split where text lies between."""
    text_at = sorted({i for i, it in assembly.pool if it.kind == TXT})
    runs: list[tuple[str, list[int]]] = []
    for m, row in enumerate(assembly.rows):
        if row.mode not in (NAMES_APART, POINTS_APART):
            continue
        if runs and runs[-1][0] == row.mode and runs[-1][1][-1] == m - 1:
            lo, hi = assembly.val_index[m - 1], assembly.val_index[m]
            k = bisect_right(text_at, lo)
            if not (k < len(text_at) and text_at[k] < hi):
                runs[-1][1].append(m)
                continue
        runs.append((row.mode, [m]))
    return runs


# -- names printed apart --------------------------------------------------------


def _names(segment: list[tuple[int, Item]]) -> list[_Text]:
    """One name per text block; a category label printed before names is their hint."""
    out: list[_Text] = []
    hints = _Hints()
    fresh = True
    for _, it in segment:
        if it.kind == CAT:
            hints.label(it)
            fresh = True
            continue
        text = " ".join(it.tokens)
        hint = hints.for_text(it)
        if fresh or it.line.block_start:
            out.append(_Text(unwrap(text), hint=hint, line_no=it.line.no))
        else:
            out[-1].name += unwrap(text)
        fresh = False
    return out


def _name_fit(row: Row, text: _Text, rarity: dict[str, int] | None = None) -> float:
    """How well a name fits a row's target and actual (shared wording counts
    less the more names share it: ``rarity`` maps a character pair to the
    number of names holding it)."""
    rarity = rarity or {}
    values, unit, has_rate, has_time = _value_traits(row.target or "", row.actual or "")
    rate_name, count_name, timely_name, grams = _name_traits(text.name)
    score = 0.0
    if unit is not None:
        score += 2.0 if unit in text.name else (-1.0 if rate_name else 0.0)
    elif has_rate:
        score += 2.0 if rate_name else (-1.5 if count_name else -0.5)
    elif has_time:
        score += 2.0 if timely_name else -0.5
    else:
        score += -1.5 if (rate_name or count_name) else 0.5
    score += min(1.5, sum(0.5 / rarity.get(g, 1) for g in grams if g in values))
    return score


@lru_cache(maxsize=1 << 12)
def _value_traits(target: str, actual: str) -> tuple[str, str | None, bool, bool]:
    """A row's target and actual as a name is fitted to them: the text, its
    count unit, whether it holds a percentage, a timeliness word."""
    values = f"{target} {actual}"
    unit = COUNT_VALUE.search(values)
    return values, unit.group(1) if unit else None, "%" in values, any(w in values for w in V.TIME_WORDS)


@lru_cache(maxsize=1 << 12)
def _name_traits(name: str) -> tuple[bool, bool, bool, set[str]]:
    """A name's wording (a rate, a count, timeliness) and its character pairs (never changed)."""
    rate_name = name.endswith(("率", "度")) or "满意" in name
    count_name = any(w in name for w in ("人数", "人次", "次数", "数量", "学时"))
    timely_name = any(w in name for w in ("及时", "时间", "完成情况", "进度"))
    return rate_name, count_name, timely_name, {name[i : i + 2] for i in range(len(name) - 1)}


# -- row texts printed apart from their scores --------------------------------------


def _row_texts(segment: list[tuple[int, Item]]) -> list[_Text]:
    """Row texts in a stretch of text printed apart from their scores.

    ``name target actual`` lines are whole rows. A wrapped text is a name
    when it wraps at the 三级指标 column's width (the widest of the texts
    that wrap), else a target or actual; two such values in a row are a
    target and its actual. ``target actual`` pairs take the name printed
    just before them, or else the left-over name whose wording fits them
    best. A text worded like a reason right after a row is its
    偏差原因分析; a lone value fills a row that lacks its actual."""
    cells = _text_cells(segment)
    _mark_reasons(cells)
    _mark_values(cells)
    out: list[_Text] = []
    deferred: list[_Text] = []
    names: list[_Cell] = []
    orphans: list[str] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        if cell.kind == "row":
            text = _Text(cell.name or "", cell.target, cell.actual, cell.reason, cell.hint, cell.line_no)
            if cell.name is None:
                before = cells[k - 1] if k > 0 else None
                if before is not None and before.kind == "name" and before in names:
                    names.remove(before)
                    text.name, text.hint = before.text, before.hint or text.hint
                else:
                    deferred.append(text)
            out.append(text)
        elif cell.kind == "value":
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            actual = None
            if nxt is not None and nxt.kind in ("value", "name") and nxt.reason is None:
                actual = nxt.text
                k += 1
            text = _Text("", cell.text, actual, cells[k].reason, cell.hint, cell.line_no)
            deferred.append(text)
            out.append(text)
        elif cell.kind == "orphan":
            orphans.append(cell.text)
        elif cell.kind == "name":
            names.append(cell)
        k += 1
    for text in out:
        if text.actual is None and orphans:
            text.actual = orphans.pop(0)
    _match_deferred(deferred, names)
    out.extend(_Text(c.text, hint=c.hint, line_no=c.line_no) for c in names)
    return out


@dataclass
class _Cell:
    kind: str  # 'row' | 'text' → 'name' / 'value' | 'orphan' | 'reason'
    line_no: int
    hint: str | None
    text: str = ""
    lines: tuple[str, ...] = ()
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    reason: str | None = None


def _text_cells(segment: list[tuple[int, Item]]) -> list[_Cell]:
    out: list[_Cell] = []
    hints = _Hints()
    run: list[tuple[Line, str]] = []
    run_hint: list[str | None] = [None]

    def flush() -> None:
        if run:
            texts = tuple(t for _, t in run)
            out.append(_Cell("text", run[0][0].no, run_hint[0], "".join(unwrap(t) for t in texts), texts))
            run.clear()

    for _, it in segment:
        if it.kind == CAT:
            flush()
            hints.label(it)
            continue
        hint = hints.for_text(it)
        tokens = list(it.tokens)
        values = [is_value_token(t) for t in tokens]
        if len(tokens) >= 3:
            flush()
            name = unwrap(" ".join(tokens[:-2]))
            out.append(_Cell("row", it.line.no, hint, name=name, target=tokens[-2], actual=tokens[-1]))
        elif len(tokens) == 2 and (all(values) or tokens[0] == tokens[1]):
            flush()
            out.append(_Cell("row", it.line.no, hint, target=tokens[0], actual=tokens[1]))
        elif len(tokens) == 2 and not values[0] and values[1]:
            flush()
            out.append(_Cell("row", it.line.no, hint, name=tokens[0], target=tokens[1]))
        elif len(tokens) == 1 and values[0]:
            flush()
            out.append(_Cell("orphan", it.line.no, hint, tokens[0]))
        else:
            text = " ".join(tokens)
            if run and not _continues([t for _, t in run], text):
                flush()
            if not run:
                run_hint[0] = hint
            run.append((it.line, text))
    flush()
    return out


class _Hints:
    """The category label a text printed apart was printed under.

    A label on a line of its own heads the texts after it, up to the next
    label (a 一级 label alone ends the run: it heads no names of its own);
    a label printed at the start of a text's line is that text's alone."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.inline: tuple[Line, str | None] | None = None

    def label(self, item: Item) -> None:
        level2 = [c for c in item.cats if c in V.LEVEL2_PARENT]
        if len(item.line.tokens) > len(item.cats):  # printed on a text's line
            self.inline = (item.line, level2[-1] if level2 else None)
        else:
            self.current = level2[-1] if level2 else None

    def for_text(self, item: Item) -> str | None:
        if self.inline is not None and self.inline[0] is item.line:
            return self.inline[1]
        return self.current


def _continues(run: list[str], text: str) -> bool:
    col = max(width(t) for t in (*run, text))
    return is_full(run[-1], col, text)


def _mark_reasons(cells: list[_Cell]) -> None:
    for k, cell in enumerate(cells):
        if cell.kind == "text" and k > 0 and cells[k - 1].kind == "row" and _reads_like_reason(cell.text):
            cell.kind = "reason"
            cells[k - 1].reason = cell.text
    cells[:] = [c for c in cells if c.kind != "reason"]


def _mark_values(cells: list[_Cell]) -> None:
    """Tell names from wrapped targets/actuals by the column they wrap at."""
    wrapped = [width(c.lines[0]) for c in cells if c.kind == "text" and len(c.lines) > 1]
    name_width = max(wrapped, default=None)
    for k, cell in enumerate(cells):
        if cell.kind != "text":
            continue
        first = width(cell.lines[0])
        if name_width is not None and len(cell.lines) > 1 and first < name_width - 1.5:
            cell.kind = "value"
        else:
            cell.kind = "name"


def _match_deferred(deferred: list[_Text], names: list[_Cell]) -> None:
    """Give target/actual pairs without a name the left-over names that fit them best."""
    for text in sorted(deferred, key=lambda t: t.line_no):
        if not names:
            return
        row = Row(text.line_no, "0", "0", target=text.target, actual=text.actual)

        def fit(cell: _Cell) -> float:
            return _name_fit(row, _Text(cell.text)) - 0.001 * abs(cell.line_no - text.line_no)

        best = max(names, key=fit)
        names.remove(best)
        text.name, text.hint = best.text, best.hint or text.hint


@lru_cache(maxsize=1 << 12)
def _met(target: str | None, actual: str | None) -> tuple[bool | None, Decimal | None]:
    """Whether a numeric target was met, and actual ÷ target when it was not."""
    t = _number(target)
    a = _number(actual)
    if t is None or a is None or t == 0:
        return None, None
    text = target or ""
    at_most = any(c in text for c in "<≤≦＜")
    if at_most:
        return (a <= t), (t / a if a else None)
    return (a >= t), (a / t)


def _number(text: str | None) -> Decimal | None:
    if not text:
        return None
    m = re.search(r"\d+(\.\d+)?", text)
    if not m:
        return None
    try:
        return Decimal(m.group(0))
    except InvalidOperation:  # pragma: no cover
        return None


def _points_fit(row: Row, text: _Text) -> float:
    weight, score = Decimal(row.weight), Decimal(row.score)
    lost = score < weight
    fit = 0.0
    if text.reason:
        fit += 2.0 if lost else -2.0
    met, ratio = _met(text.target, text.actual)
    if met is True:
        fit += 1.0 if not lost else -1.5
    elif met is False:
        fit += 1.0 if lost else -0.5
        if lost and ratio is not None and abs(weight * ratio - score) <= Decimal("0.01") * weight + Decimal("0.005"):
            fit += 3.0
    elif not text.reason and lost:
        fit -= 0.5
    return fit


def _reads_like_reason(text: str) -> bool:
    return any(w in text for w in V.REASON_HINTS)


# -- the order ----------------------------------------------------------------------


def _best_order(rows: list[Row], texts: list[_Text], mode: str) -> tuple[list[int], bool]:
    """A beam search over orders: row by row, every partial order kept so far
    takes each unused text; of the partial orders that end with the same text
    having used the same texts only the best is kept, and of those the
    ``_BEAM`` best (``_BEAM`` × n² steps, done as array operations; the texts
    used are a bit mask, and with the last text one 64-bit number: a run is
    capped at MAX_APART_ROWS)."""
    n = len(rows)
    if n > MAX_APART_ROWS:
        raise FormError(
            "too_complex",
            f"{n} indicator rows (value lines {rows[0].line_no}–{rows[-1].line_no}) were printed apart from their "
            f"{'names' if mode == NAMES_APART else 'texts'}: more than the {MAX_APART_ROWS} the pairing weighs",
            rows[0].line_no,
        )
    if mode == NAMES_APART:
        rarity = _pair_counts(t.name for t in texts)
        scores = [[_name_fit(r, t, rarity) for t in texts] for r in rows]
    else:
        scores = [[_points_fit(r, t) for t in texts] for r in rows]
    # a row text printed apart keeps its category label nearby, a name
    # printed apart less reliably (names cluster around the wrong label)
    inversion = _INVERSION if mode == NAMES_APART else 5 * _INVERSION
    # higher[j]: the texts whose label comes after text j's in the template, as a bit mask
    # (0 when text j has no label: it inverts nothing)
    hr = [_RANK.get(t.hint, -1) for t in texts]
    higher = np.array([sum(1 << u for u in range(n) if hr[u] > hr[j]) if hr[j] >= 0 else 0 for j in range(n)],
                      dtype=np.int64)
    # adjacent[last + 1]: the bonus for each text after a beam whose last text is `last` (-1: none yet)
    adjacent = np.zeros((n + 1, n))
    for j in range(1, n):
        adjacent[j, j] = _ADJACENT
    js = np.arange(n, dtype=np.int64)
    bits = np.left_shift(np.int64(1), js)
    table = np.array(scores, dtype=float)
    displaced = _DISPLACED * np.abs(js[:, None] - js[None, :])  # [row, text]
    # the beams, in order: texts used (bit mask), last text, score; and per row
    # the (beam before, text) each kept beam came from
    used = np.zeros(1, dtype=np.int64)
    last = np.full(1, -1, dtype=np.int64)
    score = np.zeros(1)
    steps: list[tuple[np.ndarray, np.ndarray]] = []
    for i in range(n):
        # every beam extended by every unused text: [beam, text]
        # (adding the 0.0 of a bonus or penalty that does not apply leaves a score as it is)
        free = (used[:, None] & bits) == 0
        s = score[:, None] + table[i] - displaced[i]
        s = s + adjacent[last + 1]
        s = s - inversion * np.bitwise_count(used[:, None] & higher)
        s = np.where(free, s, -np.inf)
        # beams that used the same texts make the same states (texts used, last
        # text): each state keeps its best score, from the first beam (in beam
        # order) that reaches it, and stands where a loop over beams then
        # texts first makes it (its group's first beam, then its text)
        by_used = np.argsort(used, kind="stable")
        grouped = used[by_used]
        head = np.ones(len(grouped), dtype=bool)
        head[1:] = grouped[1:] != grouped[:-1]
        starts = np.flatnonzero(head)
        in_order = s[by_used]
        best = np.maximum.reduceat(in_order, starts, axis=0)
        reaching = np.where(in_order == best[np.cumsum(head) - 1], by_used[:, None], len(used))
        parent = np.minimum.reduceat(reaching, starts, axis=0)
        first_beam = by_used[starts]  # a stable sort keeps each group's beams in order: its first is its least
        group, text = np.nonzero(free[first_beam])
        s_new = best[group, text]
        # the _BEAM best states, ties in the order they were made
        pick = np.arange(len(s_new))
        if len(s_new) > _BEAM:
            cut = np.partition(s_new, len(s_new) - _BEAM)[len(s_new) - _BEAM]
            pick = np.flatnonzero(s_new >= cut)
        keep = pick[np.lexsort((text[pick], first_beam[group[pick]], -s_new[pick]))[:_BEAM]]
        steps.append((parent[group[keep], text[keep]], text[keep]))
        used = used[first_beam[group[keep]]] | bits[text[keep]]
        last, score = text[keep], s_new[keep]
    at = int(np.argmax(score))
    order_found: list[int] = []
    for beam_of, text in reversed(steps):
        order_found.append(int(text[at]))
        at = int(beam_of[at])
    order_found.reverse()
    return order_found, order_found == list(range(n))


def _pair_counts(names) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        for gram in {name[i : i + 2] for i in range(len(name) - 1)}:
            counts[gram] = counts.get(gram, 0) + 1
    return counts


def _apply(row: Row, text: _Text, mode: str) -> None:
    row.name = text.name
    row.hint = text.hint
    if mode == POINTS_APART:
        row.target, row.actual, row.reason = text.target, text.actual, text.reason

