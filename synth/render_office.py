"""Render generated forms as office documents in the national template:
``xlsx`` (openpyxl), ``docx`` (python-docx), ``html`` (written here), and
``xls`` / ``ods`` / ``pdf`` converted from them by LibreOffice headless.

Every format shares one layout (:func:`layout`): the title and the year above
a ten-column table — 项目名称, 主管部门 / 实施单位, the 项目资金 block with its
label merged over five rows, 年度总体目标, the 绩效指标 table with its 一级 /
二级 cells merged down, 总分 and 评分等级. Spreadsheets store numbers as
numbers with a number format (the execution rate as a fraction under
``0.00%``, amounts under ``0.00`` / ``#,##0.00``); Word and web pages print
the same text a spreadsheet shows.

``render(forms, fmt)`` returns the document's bytes and the forms as they must
land from it, their line numbers those of the grids the sources make:
spreadsheets the sheet row, Word and web pages the grid row (paragraphs above
a table count as rows). A PDF is converted from the Word document; its forms
carry the Word document's line numbers (the PDF source numbers its own).
"""

from __future__ import annotations

import dataclasses
import html
import io
import random
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingest.records import Form
from synth.render_tabular import FUND_LABELS

FORMATS = ("xlsx", "xls", "ods", "docx", "html", "pdf")
STYLE = "national"  # the answer key's style of these documents
# Formats LibreOffice converts to, and the format each is converted from.
CONVERTED_FROM = {"xls": "xlsx", "ods": "xlsx", "pdf": "docx"}
WIDTH = 10  # columns of the national template's table
TITLE = "财政项目支出绩效自评表"
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
DEVIATION_HEADER = "偏差原因分析及改进措施"
BUDGET_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
NONE_MARK = "—"
# Word column widths (inches) on a landscape page: numbers stay on one line.
DOCX_WIDTHS = (0.6, 0.8, 0.9, 2.0, 1.1, 1.1, 0.8, 0.8, 0.95, 0.95)
TWIPS = 1440
SOFFICE_TIMEOUT = 600  # seconds for one LibreOffice batch
# Files per LibreOffice run: a 10,000-form corpus is ≈ 900 documents, and on a
# shared machine LibreOffice prints ≈ 7 Word files a minute to PDF: 100 a run
# outlasted SOFFICE_TIMEOUT.
SOFFICE_BATCH = 20
# LibreOffice runs at once, each with its own profile: one soffice prints on one
# core; on this 2-vCPU machine, idle, two runs printed 40 Word files to PDF in
# 0.8× the wall time of one run after the other.
SOFFICE_PARALLEL = 2


@dataclass(frozen=True)
class Placed:
    """One cell of the layout: its top-left position in the table, its spans,
    the text a reader sees and, for a number, the number and its format."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    number: float | None = None
    fmt: str | None = None


@dataclass(frozen=True)
class Layout:
    """One form: the lines above the table (title, year), the table's cells,
    the table's row count, and which table rows hold the form's parts."""

    head: tuple[str, ...]
    cells: tuple[Placed, ...]
    n_rows: int
    indicator_rows: tuple[int, ...]  # table row of each indicator, in indicator order


def _number(row: int, col: int, value: Decimal | None, fmt: str) -> Placed:
    if value is None:
        return Placed(row, col, "")
    if fmt == "0.00%":
        return Placed(row, col, f"{value:.2f}%", number=float(value / 100), fmt=fmt)
    if fmt == "General":
        return Placed(row, col, f"{value.normalize():f}", number=float(value), fmt=fmt)
    text = f"{value:,.2f}" if fmt == "#,##0.00" else f"{value:.2f}"  # 0.00
    return Placed(row, col, text, number=float(value), fmt=fmt)


def _runs(values: list[str | None]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive values."""
    runs: list[tuple[int, int]] = []
    for k, value in enumerate(values):
        if runs and values[runs[-1][0]] == value:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((k, 1))
    return runs


def layout(form: Form, amount_fmt: str = "0.00") -> Layout:
    """The national template's table for one form (rows 0-based)."""
    cells: list[Placed] = []
    add = cells.append
    add(Placed(0, 0, "项目名称", cols=2)), add(Placed(0, 2, form.project_name, cols=8))
    add(Placed(1, 0, "主管部门", cols=2)), add(Placed(1, 2, form.supervising_department or "", cols=3))
    add(Placed(1, 5, "实施单位", cols=2)), add(Placed(1, 7, form.implementing_unit or "", cols=3))
    add(Placed(2, 0, f"项目资金（{form.money_unit}）", rows=5, cols=2)), add(Placed(2, 2, "", cols=2))
    for k, label in enumerate(BUDGET_HEADER):
        add(Placed(2, 4 + k, label))
    for r, line in enumerate(form.budget_lines, start=3):
        add(Placed(r, 2, FUND_LABELS[line.fund_source], cols=2))
        for k, value in enumerate((line.initial_amount, line.full_year_amount, line.executed_amount)):
            add(_number(r, 4 + k, value, amount_fmt))
        if line.fund_source == "total":
            add(_number(r, 7, form.budget_weight, "0.00"))
            add(_number(r, 8, form.execution_rate_pct, "0.00%"))
            add(_number(r, 9, form.budget_score, "0.00"))
        else:
            for c in (7, 8, 9):
                add(Placed(r, c, NONE_MARK))
    add(Placed(7, 0, "年度总体目标", rows=2, cols=2))
    add(Placed(7, 2, "预期目标", cols=4)), add(Placed(7, 6, "实际完成情况", cols=4))
    add(Placed(8, 2, form.goal_planned or "", cols=4)), add(Placed(8, 6, form.goal_actual or "", cols=4))
    top = 9
    n = len(form.indicators)
    add(Placed(top, 0, "绩效指标", rows=n + 1))
    for k, label in enumerate(INDICATOR_HEADER, start=1):
        add(Placed(top, k, label))
    add(Placed(top, 8, DEVIATION_HEADER, cols=2))
    inds = form.indicators
    for start, length in _runs([i.level1 for i in inds]):
        add(Placed(top + 1 + start, 1, inds[start].level1 or "", rows=length))
    for start, length in _runs([f"{i.level1}\x00{i.level2}" for i in inds]):
        add(Placed(top + 1 + start, 2, inds[start].level2 or "", rows=length))
    for k, ind in enumerate(inds):
        r = top + 1 + k
        add(Placed(r, 3, ind.name)), add(Placed(r, 4, ind.target or "")), add(Placed(r, 5, ind.actual or ""))
        add(_number(r, 6, ind.weight, "General")), add(_number(r, 7, ind.score, "0.00"))
        add(Placed(r, 8, ind.deviation_reason or "", cols=2))
    total = top + 1 + n
    add(Placed(total, 0, "总分", cols=6)), add(_number(total, 6, form.total_weight, "General"))
    add(_number(total, 7, form.total_score, "0.00")), add(Placed(total, 8, "", cols=2))
    add(Placed(total + 1, 0, "评分等级", cols=2)), add(Placed(total + 1, 2, form.grade or "", cols=8))
    return Layout(
        head=(TITLE, f"（{form.year}年度）"),
        cells=tuple(cells),
        n_rows=total + 2,
        indicator_rows=tuple(top + 1 + k for k in range(n)),
    )


def _placed_form(form: Form, lay: Layout, first_line: int) -> Form:
    """The form as it lands when its first head line is grid line
    ``first_line`` and its table follows the head lines."""
    table_top = first_line + len(lay.head)
    return dataclasses.replace(
        form,
        line_start=first_line,
        line_end=table_top + lay.n_rows - 1,
        indicators=tuple(
            dataclasses.replace(ind, line_no=table_top + r) for ind, r in zip(form.indicators, lay.indicator_rows)
        ),
    )


# -- xlsx (openpyxl) -------------------------------------------------------------
def render_xlsx(forms: list[Form], *, stacked: bool = False, amount_fmt: str = "0.00") -> tuple[bytes, list[Form]]:
    """One form per sheet (``表1``, ``表2`` …), or all stacked in one sheet
    with two blank rows between them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    expected: list[Form] = []
    ws = None
    next_row = 1
    for k, form in enumerate(forms, start=1):
        if ws is None or not stacked:
            ws = wb.create_sheet(f"表{k}" if not stacked else "自评表")
            next_row = 1
        lay = layout(form, amount_fmt)
        top = next_row
        for j, line in enumerate(lay.head):
            ws.cell(top + j, 1, line).alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=top + j, start_column=1, end_row=top + j, end_column=WIDTH)
        table_top = top + len(lay.head)
        for p in lay.cells:
            cell = ws.cell(table_top + p.row, 1 + p.col)
            if p.number is not None:
                cell.value = p.number
                cell.number_format = p.fmt
            elif p.text:
                cell.value = p.text
                cell.data_type = "s"  # text as printed, even '=54(%)' (openpyxl would take it for a formula)
            if p.rows > 1 or p.cols > 1:
                ws.merge_cells(start_row=table_top + p.row, start_column=1 + p.col,
                               end_row=table_top + p.row + p.rows - 1, end_column=p.col + p.cols)
        expected.append(_placed_form(form, lay, top))
        next_row = table_top + lay.n_rows + 2
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), expected


# -- docx (python-docx) ----------------------------------------------------------
def _page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _tc(text: str, width: int, cols: int, vmerge: str | None):
    """A ``w:tc`` as Word writes a merged cell: ``w:gridSpan`` across columns,
    ``w:vMerge`` (``restart`` at the top, empty below) down rows."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc = OxmlElement("w:tc")
    pr = OxmlElement("w:tcPr")
    w = OxmlElement("w:tcW")
    w.set(qn("w:w"), str(width))
    w.set(qn("w:type"), "dxa")
    pr.append(w)
    if cols > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(cols))
        pr.append(span)
    if vmerge is not None:
        merge = OxmlElement("w:vMerge")
        if vmerge:
            merge.set(qn("w:val"), vmerge)
        pr.append(merge)
    tc.append(pr)
    p = OxmlElement("w:p")
    if text:
        r, t = OxmlElement("w:r"), OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        p.append(r)
    tc.append(p)
    return tc


def _docx_table(doc, lay: Layout, lo: int, hi: int) -> None:
    """Table rows ``lo``..``hi``-1 of a layout; a cell merged down across
    ``lo`` starts again (its text repeated) at the top of this table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    owner: dict[tuple[int, int], Placed] = {}
    for p in lay.cells:
        for r in range(p.row, p.row + p.rows):
            owner[(r, p.col)] = p
    table = doc.add_table(rows=0, cols=WIDTH)
    table.style = "Table Grid"
    tbl = table._tbl
    widths = [round(w * TWIPS) for w in DOCX_WIDTHS]
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(w))
    for r in range(lo, hi):
        tr = OxmlElement("w:tr")
        c = 0
        while c < WIDTH:
            p = owner[(r, c)]
            top = max(p.row, lo)
            bottom = min(p.row + p.rows, hi) - 1
            vmerge = None if top == bottom else "restart" if r == top else ""
            tr.append(_tc(p.text if r == top else "", sum(widths[c:c + p.cols]), p.cols, vmerge))
            c += p.cols
        tbl.append(tr)


def render_docx(forms: list[Form], *, split_after: int | None = None) -> tuple[bytes, list[Form]]:
    """Each form: its title and year as paragraphs, then its table, then a page
    break. With ``split_after`` = k, a form's table breaks after its k-th
    indicator: the rest follows in a second table after a page break (as a
    long form printed over two pages), with no title between."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Inches(11.69), Inches(8.27)  # A4 landscape
    section.left_margin = section.right_margin = Inches(0.8)
    expected: list[Form] = []
    for k, form in enumerate(forms):
        if k:
            _page_break(doc)
        lay = layout(form)
        for line in lay.head:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        cut = lay.n_rows
        if split_after is not None and 0 < split_after < len(form.indicators):
            cut = lay.indicator_rows[split_after]
        _docx_table(doc, lay, 0, cut)
        if cut < lay.n_rows:
            _page_break(doc)
            _docx_table(doc, lay, cut, lay.n_rows)
        expected.append(_placed_form(form, lay, 1))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), expected


# -- html ---------------------------------------------------------------------------
def render_html(forms: list[Form], *, encoding: str = "utf-8", declare: bool = True) -> tuple[bytes, list[Form]]:
    """A page as government sites publish them: each form's title and year in
    paragraphs, then a ``<table>`` with ``rowspan`` / ``colspan``. ``encoding``
    ``utf-8`` / ``gbk`` / ``gb2312`` / ``gb18030``; ``declare`` whether a
    ``<meta charset>`` says so."""
    out = ["<!DOCTYPE html>", "<html>", "<head>"]
    if declare:
        out.append(f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">')
    out += ["<title>项目支出绩效自评</title>", "</head>", "<body>"]
    expected: list[Form] = []
    for form in forms:
        lay = layout(form)
        out.append(f'<p align="center"><b>{html.escape(lay.head[0])}</b></p>')
        out += [f'<p align="center">{html.escape(line)}</p>' for line in lay.head[1:]]
        out.append('<table border="1" cellspacing="0">')
        by_row: dict[int, list[Placed]] = {}
        for p in lay.cells:
            by_row.setdefault(p.row, []).append(p)
        for r in range(lay.n_rows):
            tds = []
            for p in sorted(by_row.get(r, []), key=lambda c: c.col):
                span = (f' rowspan="{p.rows}"' if p.rows > 1 else "") + (f' colspan="{p.cols}"' if p.cols > 1 else "")
                tds.append(f"<td{span}>{html.escape(p.text) or '&nbsp;'}</td>")
            out.append(f"<tr>{''.join(tds)}</tr>")
        out += ["</table>", "<br>"]
        expected.append(_placed_form(form, lay, 1))
    out += ["</body>", "</html>"]
    # pages declaring GB2312 are GBK in fact (it has 一 — and more); a character the charset lacks
    # is written as a character reference, as editors do
    codec = "gbk" if encoding == "gb2312" else encoding
    return "\n".join(out).encode(codec, errors="xmlcharrefreplace"), expected


# -- LibreOffice conversions ------------------------------------------------------
def convert(files: dict[str, bytes], fmt: str) -> dict[str, bytes]:
    """Convert documents (name -> bytes) with LibreOffice headless, one run per
    SOFFICE_BATCH files, SOFFICE_PARALLEL runs at once; returns name (with the
    new extension) -> bytes."""
    names = list(files)
    batches = [{n: files[n] for n in names[start:start + SOFFICE_BATCH]}
               for start in range(0, len(names), SOFFICE_BATCH)]
    result: dict[str, bytes] = {}
    with ThreadPoolExecutor(max(1, min(SOFFICE_PARALLEL, len(batches)))) as pool:
        for converted in pool.map(lambda batch: _convert_batch(batch, fmt), batches):
            result.update(converted)
    return result


def _convert_batch(files: dict[str, bytes], fmt: str) -> dict[str, bytes]:
    """One LibreOffice run; a private profile and HOME keep concurrent runs apart."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make system-deps`")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        root = Path(tmp)
        src, out, home = root / "in", root / "out", root / "home"
        for d in (src, out, home):
            d.mkdir()
        paths = []
        for name, data in files.items():
            (src / name).write_bytes(data)
            paths.append(str(src / name))
        proc = subprocess.run(
            [soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out), *paths],
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
            timeout=SOFFICE_TIMEOUT,
        )
        result = {}
        for name in files:
            target = out / f"{Path(name).stem}.{fmt}"
            if not target.exists():
                raise RuntimeError(f"LibreOffice did not convert {name} to {fmt}: {proc.stderr.strip()[-500:]}")
            result[target.name] = target.read_bytes()
        return result


def render_native(forms: list[Form], fmt: str, rng: random.Random | None = None) -> tuple[bytes, list[Form]]:
    """A document in a format written here (xlsx, docx, html); ``rng`` varies
    what a publisher would vary (stacked sheets, number formats, a table split
    by a page break, the page's encoding)."""
    rng = rng or random.Random(0)
    if fmt == "xlsx":
        stacked = len(forms) > 1 and rng.random() < 0.3
        return render_xlsx(forms, stacked=stacked, amount_fmt=rng.choice(["0.00", "#,##0.00"]))
    if fmt == "docx":
        return render_docx(forms, split_after=rng.choice([None, None, 3, 5]))
    if fmt == "html":
        return render_html(forms, encoding=rng.choice(["utf-8", "utf-8", "gbk", "gb2312"]), declare=rng.random() < 0.7)
    raise ValueError(f"not a format written natively: {fmt}")


def render(forms: list[Form], fmt: str, rng: random.Random | None = None) -> tuple[bytes, list[Form]]:
    """One document holding ``forms`` in ``fmt`` (one of FORMATS)."""
    if fmt in CONVERTED_FROM:
        data, expected = render_native(forms, CONVERTED_FROM[fmt], rng)
        name = f"form.{CONVERTED_FROM[fmt]}"
        return convert({name: data}, fmt)[f"form.{fmt}"], expected
    return render_native(forms, fmt, rng)


__all__ = ["CONVERTED_FROM", "FORMATS", "STYLE", "Layout", "Placed", "convert", "layout", "render", "render_docx",
           "render_html", "render_native", "render_xlsx"]
