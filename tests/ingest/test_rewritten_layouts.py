"""The tab-separated documents rewritten as other text sources land the same forms.

`000_…`, `002_…` and `003_…` with their tabs turned into runs of spaces
(fixed runs, and expanded to tab stops as an editor does), and each rewritten
as a markdown pipe table, land the same forms field for field as the
original: the same names, targets, actuals, weights, scores, categories,
money, lines — only the source (and so each value's provenance) differs.
"""

from __future__ import annotations

import dataclasses

import pytest

from ingest.pipeline import parse_bytes
from jixiao.paths import RAW_DIR

TABULAR = ["000_0e1cca4759df0cce.txt", "002_42c27752b8eae618.txt", "003_dc4befe519062102.txt"]


def spaces(line: str) -> str:
    return line.replace("\t", "    ")


def tab_stops(line: str) -> str:
    return line.expandtabs(8)


def markdown_table(text: str) -> str:
    """The document as one markdown table, as a converter writes it: every
    line a row of the same width, a separator under the first, blank lines
    dropped (line numbers change; nothing else may)."""
    rows = [line.split("\t") for line in text.split("\n") if line.strip()]
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


def _without_lines(form):
    rows = tuple(dataclasses.replace(i, line_no=0) for i in form.indicators)
    return dataclasses.replace(form, line_start=0, line_end=0, indicators=rows)


def _essence(result):
    forms = [dataclasses.replace(f, warnings=()) for f in result.forms]
    warnings = [sorted(w.code for w in f.warnings) for f in result.forms]
    errors = [(i.form_seq, i.code) for i in result.issues if i.severity.value == "error"]
    return forms, warnings, errors


@pytest.mark.parametrize("name", TABULAR)
@pytest.mark.parametrize("rewrite", [spaces, tab_stops], ids=lambda f: f.__name__)
def test_rewritten_document_lands_the_same_forms(name, rewrite):
    text = (RAW_DIR / name).read_text(encoding="utf-8")
    original = parse_bytes(name, text.encode("utf-8"))
    assert original.layout == "tabular"
    rewritten_text = "\n".join(rewrite(line) for line in text.split("\n"))
    assert "\t" not in rewritten_text
    rewritten = parse_bytes(name, rewritten_text.encode("utf-8"))
    assert rewritten.layout != "tabular"
    forms, warnings, errors = _essence(rewritten)
    want_forms, want_warnings, want_errors = _essence(original)
    assert errors == want_errors == []
    assert len(forms) == len(want_forms) > 0
    for got, want in zip(forms, want_forms):
        assert got == want, (got.form_seq, got.project_name)
    assert warnings == want_warnings


@pytest.mark.parametrize("name", TABULAR)
def test_document_rewritten_as_a_markdown_table_lands_the_same_forms(name):
    text = (RAW_DIR / name).read_text(encoding="utf-8")
    original = parse_bytes(name, text.encode("utf-8"))
    rewritten = parse_bytes(name, markdown_table(text).encode("utf-8"))
    assert rewritten.layout == "pipe"
    forms, warnings, errors = _essence(rewritten)
    want_forms, want_warnings, want_errors = _essence(original)
    assert errors == want_errors == []
    assert [_without_lines(f) for f in forms] == [_without_lines(f) for f in want_forms]
    assert warnings == want_warnings
