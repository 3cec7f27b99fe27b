"""The PDFs of the PDF tests, rendered once per test session.

Each is made by real office software (openpyxl / python-docx → LibreOffice
headless → PDF; bad files with qpdf, pdftoppm and Pillow) from the forms
written by hand in ``pdf_cases``.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from docx import Document

from support import office_pdf
from support.pdf_cases import LONG, SHORT_A, SHORT_B

# Printed at the top and the bottom of every page of ``headed``.
RUNNING_HEAD = "某区2022年度项目支出绩效自评结果公开"
RUNNING_FOOT = "某区财政局"
# The header of every page of ``word``: no form label in it, so its later pages hold none.
WORD_HEAD = "某区部门预算公开附件"
# A report of plain paragraphs, with no form in it.
PROSE = [f"第{k}节 本单位年度工作情况说明。" + "全年围绕中心工作，认真履行职责，各项工作有序推进。" * 12 for k in range(1, 41)]


@functools.cache
def render_all(folder: Path) -> dict[str, Path]:
    """name → PDF: ``long`` (one form over two pages, page numbers in the footer),
    ``headed`` (``long`` with a running head and foot on each page too),
    ``two`` (two forms on one page), ``sheets`` (the same two forms, one sheet each: each begins a
    page with the same title in the same place), ``words`` (a form printed without rules),
    ``prose`` (a report, no form), ``word`` (a Word table of 50 indicator rows over
    three pages, rows broken across pages, a running head without form labels), ``appendix`` (the report, then ``two``),
    ``encrypted`` (needs a password), ``restricted`` (owner password only),
    ``truncated``, ``damaged`` (its body overwritten), ``scan`` (page images),
    ``stamped_scan`` (the scan with a scanner app's line of text on each page),
    ``pages500`` (500 pages of the report), ``rotated`` (``two`` shown sideways),
    ``xobject`` (``long``'s pages each drawn as one form XObject, half size, moved by 100, 50),
    ``hatched`` (``two`` under 11,200 short strokes)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pdf_cases_") as tmp:
        src = Path(tmp)
        office_pdf.workbook([[LONG]], page_numbers=True).save(src / "long.xlsx")
        office_pdf.workbook([[LONG]], page_numbers=True, running_head=RUNNING_HEAD, running_foot=RUNNING_FOOT).save(
            src / "headed.xlsx"
        )
        office_pdf.workbook([[SHORT_A, SHORT_B]]).save(src / "two.xlsx")
        office_pdf.workbook([[SHORT_A], [SHORT_B]]).save(src / "sheets.xlsx")
        office_pdf.workbook([[SHORT_B]], ruled=False).save(src / "words.xlsx")
        doc = Document()
        for text in PROSE:
            doc.add_paragraph(text)
        doc.save(src / "prose.docx")
        office_pdf.indicator_table_docx(LONG, repeat=2, running_head=WORD_HEAD).save(src / "word.docx")
        office_pdf.soffice_convert(
            [src / f"{name}.xlsx" for name in ("long", "headed", "two", "sheets", "words")]
            + [src / "prose.docx", src / "word.docx"],
            folder,
        )
    files = {name: folder / f"{name}.pdf" for name in ("long", "headed", "two", "sheets", "words", "prose", "word")}
    files["appendix"] = office_pdf.joined([files["prose"], files["two"]], folder / "appendix.pdf")
    files["encrypted"] = office_pdf.encrypted(files["two"], folder / "encrypted.pdf")
    files["restricted"] = office_pdf.encrypted(files["two"], folder / "restricted.pdf", user_password="")
    files["truncated"] = office_pdf.truncated(files["two"], folder / "truncated.pdf")
    files["damaged"] = office_pdf.damaged(files["two"], folder / "damaged.pdf")
    files["scan"] = office_pdf.scanned(files["long"], folder / "scan.pdf")
    files["stamped_scan"] = office_pdf.stamped(files["scan"], folder / "stamped_scan.pdf")
    files["rotated"] = office_pdf.rotated(files["two"], folder / "rotated.pdf")
    files["xobject"] = office_pdf.in_form_xobjects(files["long"], folder / "xobject.pdf")
    files["hatched"] = office_pdf.hatched(files["two"], folder / "hatched.pdf")
    files["pages500"] = office_pdf.repeated(files["prose"], folder / "pages500.pdf", 500)
    return files
