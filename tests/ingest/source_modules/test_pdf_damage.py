"""Damaged PDFs are refused or read, never crash: a batch of downloads must go on.

Bytes of a real PDF (printed by LibreOffice) overwritten at random places, or
cut at a random length: the PDF source either reads grids or raises FormError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources import pdf
from support.pdf_files import render_all

CODES = {"corrupt_pdf", "no_form", "scanned_pdf", "encrypted_pdf"}


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.getbasetemp() / "pdf_cases")


def outcome(data: bytes) -> str:
    try:
        grids = pdf.read(data)
    except FormError as refused:
        assert refused.code in CODES, refused.code
        assert refused.message
        return refused.code
    assert grids and all(isinstance(g, Grid) for g in grids)
    return "read"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_overwritten_bytes_are_read_or_refused(pdfs, data):
    original = pdfs["long"].read_bytes()
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 20), label="places")):
        at = data.draw(st.integers(0, len(original) - 1), label="at")
        chunk = data.draw(st.binary(min_size=1, max_size=64), label="bytes")
        damaged[at:at + len(chunk)] = chunk
    outcome(bytes(damaged[: len(original)]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keep=st.integers(min_value=1, max_value=99))
def test_a_pdf_cut_anywhere_is_refused_as_corrupt(pdfs, keep):
    original = pdfs["two"].read_bytes()
    cut = original[: len(original) * keep // 100]
    assert pdf.sniff(cut)
    assert outcome(cut) == "corrupt_pdf"


def test_a_page_drawn_over_with_more_lines_than_a_table_has_is_read_from_its_words(pdfs):
    """5,600 horizontal and 5,600 vertical strokes (more pairs than layout.MAX_LINE_PAIRS):
    the page is a drawing, its lines are not searched for cells (that search grows with
    horizontal × vertical lines); its text still comes, from word positions."""
    from ingest.grid import ROWS_BROKEN
    from ingest.pdfread.layout import MAX_LINE_PAIRS

    assert (70 * 80) ** 2 > 4 * MAX_LINE_PAIRS
    (grid,) = pdf.read(pdfs["hatched"].read_bytes())
    assert grid.row_breaks == ROWS_BROKEN
    texts = [c.text for c in grid.cells()]
    assert texts.count("财政项目支出绩效自评表") == 2
    assert "中小学校舍维修改造项目" in texts and "农村饮水安全巩固提升工程" in texts
