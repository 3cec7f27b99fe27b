"""Form-level helpers shared by all layouts: titles, splitting, years."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from ingest.records import Form, Issue, Severity
from ingest.text import squash, year_in_narrative
from ingest.vocabulary import FUND_SOURCE_PREFIXES, FUND_SOURCES, MONEY_UNITS, TITLE_PREFIX, TITLE_SUFFIXES

# the unit the 项目资金 label names, ``项目资金(万元)``, in squashed text
MONEY_UNIT = re.compile(rf"\(({'|'.join(sorted(MONEY_UNITS, key=len, reverse=True))})\)")


def is_title(line: str) -> bool:
    """A 财政项目支出绩效自评表 title line (also …自我评价 / …自评价)."""
    if TITLE_PREFIX[0] not in line:
        return False  # fast path (财 has no compatibility variant NFKC would fold)
    text = squash(line)
    if not text.startswith(TITLE_PREFIX):
        return False
    rest = text[len(TITLE_PREFIX):]
    return any(rest.startswith(suffix) for suffix in TITLE_SUFFIXES)


def title_lines(lines: list[str]) -> list[int]:
    """0-based indexes of the title lines."""
    return [i for i, line in enumerate(lines) if is_title(line)]


def fund_source(cell: str) -> str | None:
    """The fund source a 项目资金 row label names (``其中：当年财政拨款`` ->
    'current_year_appropriation'), or None."""
    text = squash(cell).rstrip(":")
    for prefix in FUND_SOURCE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip(":")
    return FUND_SOURCES.get(text)


def no_form_issue() -> Issue:
    """The file-level issue of a file that holds no form title."""
    return Issue("no_form", "no 财政项目支出绩效自评表 title found: the file holds no form")


def unread_line_issue(line_no: int, text: str, seq: int) -> Issue:
    """The warning for a line of a form that no part of the parser could place."""
    return Issue(
        "unrecognized_line",
        f"line {line_no} was not recognised as part of the form and was not read: {text[:60]!r}",
        line_no,
        seq,
        Severity.WARNING,
    )


def year_with_source(
    title_year: int | None, goal_actual: str | None, goal_planned: str | None, title_line: int, seq: int
) -> tuple[int | None, str | None, list[Issue]]:
    """The form's year and where it was read: its title (or the year line by
    it), else the 年度总体目标 narrative (with a warning), else none (the
    document may still supply one: :func:`infer_document_years`)."""
    if title_year is not None:
        return title_year, "title", []
    year = year_in_narrative(goal_actual, goal_planned)
    if year is None:
        return None, None, []
    message = f"the title names no year; {year} is read from the 年度总体目标 narrative"
    return year, "narrative", [Issue("year_inferred_from_narrative", message, title_line, seq, Severity.WARNING)]


def split_at_titles(lines: list[str]) -> list[tuple[int, int]]:
    """Spans [start, end) of the forms, each from its title to the next one."""
    starts = title_lines(lines)
    return [(s, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, s in enumerate(starts)]


def last_text_line(lines: list[str], start: int, end: int) -> int:
    """0-based index of the last non-blank line in [start, end)."""
    for i in range(end - 1, start - 1, -1):
        if lines[i].strip():
            return i
    return start


def infer_document_years(forms: list[Form]) -> list[Form]:
    """Give forms whose own text names no year the year the other forms of
    the same document agree on (the most common one), recorded as
    ``year_source = 'document'`` with a warning."""
    known = Counter(f.year for f in forms if f.year is not None)
    if not known:
        return forms
    (year, _), *rest = known.most_common()
    out = []
    for form in forms:
        if form.year is None:
            warning = Issue(
                code="year_inferred_from_document",
                message=(
                    f"form {form.form_seq} ({form.project_name}) names no year in its title or "
                    f"narrative; {year} is taken from the other forms of the same document"
                ),
                line_no=form.line_start,
                form_seq=form.form_seq,
                severity=Severity.WARNING,
            )
            form = dataclasses.replace(
                form, year=year, year_source="document", warnings=(*form.warnings, warning)
            )
        out.append(form)
    return out
