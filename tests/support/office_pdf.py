"""Render forms in the national template as real office documents, then PDF.

A small stand-in for ``synth/render_office.py`` (issue 14, written by another
helper) until that merges: an :class:`ingest.records.Form` becomes rows of a
worksheet in the national template with real merged cells (openpyxl), and
LibreOffice headless prints the workbook to PDF. ``ruled=False`` prints the
same table without borders (a PDF whose table has no ruling lines).

Also the bad files the PDF source must refuse: encrypted (``qpdf``), cut
off, a scan (page images only: ``pdftoppm`` then Pillow), and a long PDF
that holds no form.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ingest.records import Form

FUND_LABELS = {
    "total": "年度资金总额",
    "current_year_appropriation": "其中：当年财政拨款",
    "prior_year_carryover": "上年结转资金",
    "other": "其他资金",
}
COLUMN_WIDTHS = (6, 8, 10, 18, 10, 10, 5, 5, 16)  # A..I, in characters
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
FONT = Font(name="Noto Sans CJK SC", size=9)
TITLE_FONT = Font(name="Noto Sans CJK SC", size=14, bold=True)


def _num(value) -> str:
    return "" if value is None else f"{value}"


def write_form(ws: Worksheet, form: Form, top: int, *, ruled: bool = True, title: bool = True) -> int:
    """Write ``form`` into ``ws`` from row ``top`` (1-based); the row after it.

    Columns A-I: 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因.
    Merged: the title and year across A:I, 项目名称's value B:I, the 项目资金 label
    down its five rows, 预期目标 / 实际完成情况 and their texts, 绩效指标 down the
    indicator rows, each 一级 / 二级 category down its run of rows.
    """
    r = top
    table_rows: list[int] = []

    lines_of_row: dict[int, int] = {}

    def put(row: int, col: int, value: str, span_cols: int = 1, span_rows: int = 1) -> None:
        cell = ws.cell(row=row, column=col)
        if value != "":
            cell.value = value
            cell.data_type = "s"  # text as printed: "=100%" is not a formula
        cell.alignment, cell.font = WRAP, FONT
        if span_cols > 1 or span_rows > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + span_rows - 1, end_column=col + span_cols - 1)
        if span_rows == 1:  # LibreOffice keeps the heights it is given: make room for wrapped text
            width = sum(COLUMN_WIDTHS[col - 1 : col - 1 + span_cols])
            lines = -(-sum(2 if ord(ch) > 0x2E80 else 1 for ch in value) // max(width - 1, 1))
            lines_of_row[row] = max(lines_of_row.get(row, 1), lines)

    if title:
        ws.cell(row=r, column=1, value="财政项目支出绩效自评表").font = TITLE_FONT
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        r += 1
        ws.cell(row=r, column=1, value=f"({form.year}年度)").font = FONT
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        r += 1
    first = r
    put(r, 1, "项目名称", span_cols=2), put(r, 3, form.project_name, span_cols=7)
    r += 1
    put(r, 1, "主管部门", span_cols=2), put(r, 3, form.supervising_department or "", span_cols=2)
    put(r, 5, "实施单位", span_cols=2), put(r, 7, form.implementing_unit or "", span_cols=3)
    r += 1
    put(r, 1, f"项目资金（{form.money_unit}）", span_cols=2, span_rows=1 + len(form.budget_lines))
    for col, label in enumerate(("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=3):
        put(r, col, label)
    r += 1
    for line in form.budget_lines:
        total = line.fund_source == "total"
        put(r, 3, FUND_LABELS[line.fund_source])
        put(r, 4, _num(line.initial_amount)), put(r, 5, _num(line.full_year_amount)), put(r, 6, _num(line.executed_amount))
        put(r, 7, _num(form.budget_weight) if total else "—")
        put(r, 8, f"{form.execution_rate_pct}%" if total else "—")
        put(r, 9, _num(form.budget_score) if total else "—")
        r += 1
    put(r, 1, "年度总体目标", span_cols=2, span_rows=2)
    put(r, 3, "预期目标", span_cols=3), put(r, 6, "实际完成情况", span_cols=4)
    put(r + 1, 3, form.goal_planned or "", span_cols=3), put(r + 1, 6, form.goal_actual or "", span_cols=4)
    r += 2
    header = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    put(r, 1, "绩效指标", span_rows=1 + len(form.indicators))
    for col, label in enumerate(header, start=2):
        put(r, col, label)
    r += 1
    inds = form.indicators
    k = 0
    while k < len(inds):  # runs of the same 一级 / 二级 category are merged cells
        run1 = next((j for j in range(k, len(inds)) if inds[j].level1 != inds[k].level1), len(inds)) - k
        put(r, 2, inds[k].level1 or "", span_rows=run1)
        j = k
        while j < k + run1:
            run2 = next((m for m in range(j, k + run1) if inds[m].level2 != inds[j].level2), k + run1) - j
            put(r + (j - k), 3, inds[j].level2 or "", span_rows=run2)
            for m in range(j, j + run2):
                ind = inds[m]
                row = r + (m - k)
                put(row, 4, ind.name), put(row, 5, ind.target or ""), put(row, 6, ind.actual or "")
                put(row, 7, _num(ind.weight)), put(row, 8, _num(ind.score)), put(row, 9, ind.deviation_reason or "")
            j += run2
        r += run1
        k += run1
    put(r, 1, "总分", span_cols=6), put(r, 7, _num(form.total_weight)), put(r, 8, _num(form.total_score)), put(r, 9, "")
    r += 1
    if form.grade:
        put(r, 1, "评分等级", span_cols=2), put(r, 3, form.grade, span_cols=7)
        r += 1
    table_rows = list(range(first, r))
    for row, lines in lines_of_row.items():
        ws.row_dimensions[row].height = 13 * max(lines, 1) + 4
    if ruled:
        for row in table_rows:
            for col in range(1, 10):
                ws.cell(row=row, column=col).border = BOX
    return r


def workbook(
    sheets: Sequence[Sequence[Form]], *, ruled: bool = True, gap_rows: int = 2, page_numbers: bool = False,
    running_head: str | None = None, running_foot: str | None = None,
) -> Workbook:
    """One sheet per entry, its forms stacked with ``gap_rows`` empty rows between;
    ``page_numbers`` prints ``第 N 页`` in each page's footer, ``running_head`` /
    ``running_foot`` a text at the top / bottom of every page."""
    wb = Workbook()
    wb.remove(wb.active)
    for n, forms in enumerate(sheets, start=1):
        ws = wb.create_sheet(f"Sheet{n}")
        for col, width in enumerate(COLUMN_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.scale = 75  # the nine columns fit A4's width; long forms run onto more pages
        if page_numbers:
            ws.oddFooter.center.text = "第 &P 页"
        if running_head:
            ws.oddHeader.center.text = running_head
        if running_foot:
            ws.oddFooter.left.text = running_foot
        row = 1
        for form in forms:
            row = write_form(ws, form, row, ruled=ruled) + gap_rows
    return wb


def indicator_table_docx(form: Form, repeat: int = 2, running_head: str | None = None):
    """A Word document (python-docx): ``running_head`` in every page's header, the title and year as paragraphs, then one
    table — 项目名称, a header row, the form's indicators ``repeat`` times, with
    绩效指标 merged down the first column. Word processors let a row break
    across pages, so a long table splits rows as well as merged cells."""
    from docx import Document

    doc = Document()
    if running_head:
        doc.sections[0].header.paragraphs[0].text = running_head
    doc.add_paragraph("财政项目支出绩效自评表")
    doc.add_paragraph(f"({form.year}年度)")
    rows = list(form.indicators) * repeat
    table = doc.add_table(rows=2 + len(rows), cols=6)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目名称"
    table.cell(0, 2).merge(table.cell(0, 5)).text = form.project_name
    for col, label in enumerate(("绩效指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")):
        table.cell(1, col).text = label
    for r, ind in enumerate(rows, start=2):
        for col, value in enumerate((ind.name, ind.target or "", ind.actual or "", _num(ind.weight), _num(ind.score)), 1):
            table.cell(r, col).text = value
    table.cell(2, 0).merge(table.cell(1 + len(rows), 0)).text = "绩效指标"
    return doc


def soffice_convert(sources: Iterable[Path], outdir: Path, fmt: str = "pdf") -> list[Path]:
    """Convert office files with LibreOffice headless (its profile in a temp HOME)."""
    sources = list(sources)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo_home_") as home:
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{home}/profile",
             "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
            check=True, capture_output=True, env={**os.environ, "HOME": home}, timeout=600,
        )
    outs = [outdir / f"{s.stem}.{fmt}" for s in sources]
    missing = [p for p in outs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no {missing}")
    return outs


def forms_pdf(sheets: Sequence[Sequence[Form]], path: Path, *, ruled: bool = True, page_numbers: bool = False) -> Path:
    """The forms printed to PDF through a real .xlsx and LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="xlsx_") as tmp:
        xlsx = Path(tmp) / f"{path.stem}.xlsx"
        workbook(sheets, ruled=ruled, page_numbers=page_numbers).save(xlsx)
        (pdf,) = soffice_convert([xlsx], Path(tmp) / "out")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(pdf, path)
    return path


# -- bad files ---------------------------------------------------------------
def encrypted(pdf: Path, out: Path, user_password: str = "secret", owner_password: str = "owner") -> Path:
    """``pdf`` encrypted with AES-256 by qpdf (Debian's qpdf, installed by ``make system-deps``).
    An empty user password gives a PDF that opens without one (owner restrictions only)."""
    subprocess.run(["qpdf", "--encrypt", user_password, owner_password, "256", "--", str(pdf), str(out)], check=True)
    return out


def truncated(pdf: Path, out: Path, keep: float = 0.6) -> Path:
    data = pdf.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


def damaged(pdf: Path, out: Path) -> Path:
    """``pdf`` with everything between its header line and its last 100 bytes overwritten."""
    data = pdf.read_bytes()
    head = data.index(b"\n") + 1
    out.write_bytes(data[:head] + b"\x00" * (len(data) - head - 100) + data[-100:])
    return out


def joined(pdfs: Sequence[Path], out: Path) -> Path:
    """The pages of ``pdfs`` one after another in one file (qpdf)."""
    subprocess.run(["qpdf", "--empty", "--pages", *map(str, pdfs), "--", str(out)], check=True)
    return out


def rotated(pdf: Path, out: Path) -> Path:
    """``pdf`` with every page's /Rotate set to 90 (shown sideways; qpdf)."""
    subprocess.run(["qpdf", "--rotate=+90", str(pdf), str(out)], check=True)
    return out


def in_form_xobjects(pdf: Path, out: Path, scale: float = 0.5, dx: float = 100, dy: float = 50) -> Path:
    """Each page of ``pdf`` drawn on a new page as one form XObject, scaled by
    ``scale`` and moved by (dx, dy) points, as some PDF writers and imposition
    tools do (made with PDFium through pypdfium2)."""
    import pypdfium2 as pdfium

    src, dest = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    for index in range(len(src)):
        width, height = src[index].get_size()
        page = dest.new_page(width, height)
        drawn = src.page_as_xobject(index, dest).as_pageobject()
        drawn.transform(pdfium.PdfMatrix().scale(scale, scale).translate(dx, dy))
        page.insert_obj(drawn)
        page.gen_content()
    dest.save(out)
    return out


def hatched(pdf: Path, out: Path, columns: int = 70, rows: int = 80) -> Path:
    """``pdf`` with its first page covered by ``columns`` × ``rows`` pairs of short
    strokes (a horizontal and a vertical, 3.5 and 5 pt, far enough apart that no two
    join into one line), drawn with PDFium: more lines than any form's table has."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    for i in range(columns):
        for j in range(rows):
            x, y = 10 + i * 8, 20 + j * 10
            for x0, y0, x1, y1 in ((x, y, x + 3.5, y), (x, y + 4, x, y + 9)):
                path = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
                pdfium_c.FPDFPath_LineTo(path, x1, y1)
                pdfium_c.FPDFPath_SetDrawMode(path, 0, 1)
                pdfium_c.FPDFPage_InsertObject(page.raw, path)
    page.gen_content()
    doc.save(out)
    return out


def stamped(pdf: Path, out: Path, text: str = "Scanned by CamScanner") -> Path:
    """``pdf`` with a line of text stamped at the foot of each page, as scanner apps do
    (PDFium's standard Helvetica, through pypdfium2)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf)
    for index in range(len(doc)):
        page = doc[index]
        stamp = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(9))
        chars = (ctypes.c_ushort * (len(text) + 1))(*map(ord, text), 0)
        pdfium_c.FPDFText_SetText(stamp, chars)
        pdfium_c.FPDFPageObj_Transform(stamp, 1, 0, 0, 1, 20, 20)
        pdfium_c.FPDFPage_InsertObject(page.raw, stamp)
        page.gen_content()
    doc.save(out)
    return out


def scanned(pdf: Path, out: Path, dpi: int = 100) -> Path:
    """Each page of ``pdf`` as an image (pdftoppm), wrapped back into a PDF
    by Pillow: a PDF of page images with no text layer, as a scanner makes."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="scan_") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/page"], check=True)
        pages = [Image.open(p) for p in sorted(Path(tmp).glob("page*.png"))]
        pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out


def repeated(pdf: Path, out: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages: ``pdf``'s pages over and over (qpdf)."""
    have = int(subprocess.run(["qpdf", "--show-npages", str(pdf)], check=True, capture_output=True, text=True).stdout)
    times = -(-pages // have)
    with tempfile.TemporaryDirectory(prefix="qpdf_") as tmp:
        long = Path(tmp) / "long.pdf"
        subprocess.run(["qpdf", "--empty", "--pages", *([str(pdf)] * times), "--", str(long)], check=True)
        subprocess.run(["qpdf", "--empty", "--pages", str(long), f"1-{pages}", "--", str(out)], check=True)
    return out


def prose_pdf(paragraphs: Sequence[str], path: Path) -> Path:
    """A Word document of plain paragraphs (python-docx), printed to PDF by LibreOffice."""
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    with tempfile.TemporaryDirectory(prefix="docx_") as tmp:
        src = Path(tmp) / f"{path.stem}.docx"
        doc.save(src)
        (pdf,) = soffice_convert([src], Path(tmp) / "out")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(pdf, path)
    return path
