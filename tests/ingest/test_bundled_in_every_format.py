"""The 48 bundled forms, rendered to every published format by real office
software (openpyxl, python-docx, an HTML writer; LibreOffice for xls, ods and
pdf), land field for field as their text versions do (issue 14): the same
money, scores, indicators and categories — only where each value was read
(line numbers, provenance) differs."""

from __future__ import annotations

import dataclasses
import random

import pytest

from ingest.pipeline import parse_bytes
from jixiao.paths import RAW_DIR
from synth.render_office import FORMATS, render

DOCUMENTS = sorted(p.name for p in RAW_DIR.glob("*.txt"))


def _value(form):
    """A form without where it was read (its lines, warnings, confidence) and
    without what a format cannot carry: line breaks inside a cell (a web page
    folds them into spaces), a year a text version infers where the rendered
    title prints it."""
    rows = tuple(dataclasses.replace(i, line_no=0, uncertain_reason=None, deviation_reason=_folded(i.deviation_reason),
                                     name=_folded(i.name), target=_folded(i.target), actual=_folded(i.actual))
                 for i in form.indicators)
    return dataclasses.replace(
        form, line_start=0, line_end=0, indicators=rows, warnings=(), form_seq=0, parse_confidence=1.0,
        year_source=None, goal_planned=_folded(form.goal_planned), goal_actual=_folded(form.goal_actual))


def _folded(text: str | None) -> str | None:
    """A text without its white space (a cell wraps where its width ends: a
    PDF cannot tell a wrap at a space from one inside a word, a web page folds
    line breaks into one space)."""
    return "".join(text.split()) if text else text


@pytest.fixture(scope="module")
def text_forms():
    found = {name: parse_bytes(name, (RAW_DIR / name).read_bytes()).forms for name in DOCUMENTS}
    assert sum(len(f) for f in found.values()) == 48  # 2 + 9 + 30 + 7, as the documents print them
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_bundled_forms_land_alike_in_every_format(text_forms, fmt):
    for name, forms in text_forms.items():
        data, _ = render(forms, fmt, random.Random(7))
        result = parse_bytes(f"{name}.{fmt}", data)
        assert result.source_format == fmt
        assert [i for i in result.issues if i.severity.value == "error"] == [], (name, fmt)
        assert [_value(f) for f in result.forms] == [_value(f) for f in forms], (name, fmt)
