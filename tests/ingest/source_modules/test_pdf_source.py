"""The PDF source on PDFs made by real office software (LibreOffice from .xlsx / .docx).

What each PDF prints is written by hand in ``tests/support/pdf_cases.py``; the
expected cells below are that text and the layout the workbook was given
(merged ranges, column widths), never the parser's output.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ingest.grid import ROWS_BROKEN, ROWS_RELIABLE, Cell, Grid, Row
from ingest.records import FormError
from ingest.sources import FILE_SOURCES, pdf, sniff_file
from support.office_pdf import COLUMN_WIDTHS
from support.pdf_cases import LONG, SHORT_A, SHORT_B
from support.pdf_files import RUNNING_FOOT, RUNNING_HEAD, WORD_HEAD, render_all

REF = re.compile(r"^p\.(\d+) \[(-?\d+\.\d) (-?\d+\.\d) (-?\d+\.\d) (-?\d+\.\d)\]$")
A4 = (595.3, 841.9)  # points: the page size LibreOffice printed


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.getbasetemp() / "pdf_cases")


def grid_of(path: Path) -> Grid:
    (grid,) = pdf.read(path.read_bytes())
    return grid


def row_with(grid: Grid, text: str) -> Row:
    """The row holding a cell of exactly this text (exactly one)."""
    (row,) = [r for r in grid.rows if text in r.texts]
    return row


def cell(grid: Grid, text: str) -> Cell:
    (found,) = [c for c in grid.cells() if c.text == text]
    return found


def box(c: Cell | Row) -> tuple[int, tuple[float, float, float, float]]:
    m = REF.match(c.ref)
    assert m, c.ref
    return int(m.group(1)), tuple(float(v) for v in m.groups()[1:])


def _s(value) -> str:
    return "" if value is None else f"{value}"


def indicator_texts(ind) -> list[str]:
    return [ind.name, ind.target or "", ind.actual or "", _s(ind.weight), _s(ind.score), ind.deviation_reason or ""]


# -- detection -----------------------------------------------------------------
def test_pdf_is_a_file_source_detected_by_its_magic_bytes(pdfs):
    assert pdf in FILE_SOURCES
    assert pdf.NAME == "pdf" and pdf.FORMAT == "pdf"
    assert sniff_file(pdfs["two"].read_bytes()) is pdf
    assert sniff_file(b"\xef\xbb\xbf%PDF-1.7\n" + pdfs["two"].read_bytes()[9:]) is pdf  # a BOM before the header
    assert not pdf.sniff("项目名称\t某项目\n".encode())
    assert not pdf.sniff(b"PK\x03\x04" + b"\0" * 2000 + b"%PDF-")  # the marker beyond the first KB


# -- a ruled form over two pages ------------------------------------------------------
def test_a_form_over_two_pages_is_one_grid_of_its_cells(pdfs):
    grid = grid_of(pdfs["long"])
    assert (grid.source, grid.source_format, grid.label, grid.row_breaks) == ("pdf", "pdf", "p.1-2", ROWS_RELIABLE)
    texts = [r.texts for r in grid.rows]
    assert texts[0] == ["财政项目支出绩效自评表"]
    assert texts[1] == ["(2022年度)"]
    assert texts[2] == ["项目名称", "社区居家养老服务补贴项目"]
    assert texts[3] == ["主管部门", "上海市某区民政局", "实施单位", "上海市某区养老服务指导中心"]
    assert texts[4] == ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert texts[5] == ["年度资金总额", "1200.00", "1150.00", "1098.25", "10", "95.50%", "9.55"]
    assert texts[6] == ["其中：当年财政拨款", "1200.00", "1150.00", "1098.25", "—", "—", "—"]  # wrapped in its cell
    assert texts[7] == ["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"]
    assert texts[9] == ["年度总体目标", "预期目标", "实际完成情况"]
    assert texts[10] == [LONG.goal_planned, LONG.goal_actual]
    assert texts[11] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                         "偏差原因分析及改进措施"]
    assert texts[-2] == ["总分", "100", "98.96", ""]
    assert texts[-1] == ["评分等级", "优"]
    # every indicator is one row: name in the 三级指标 column, then target, actual, weight, score, reason
    for ind in LONG.indicators:
        row = row_with(grid, ind.name)
        tail = [c for c in row.cells if c.col >= 3]
        assert [c.text for c in tail] == indicator_texts(ind)
        assert [c.col for c in tail] == [3, 4, 5, 6, 7, 8]
    assert len(grid.rows) == 2 + 2 + 5 + 2 + 1 + len(LONG.indicators) + 2
    assert not any("页" in c.text for c in grid.cells())  # the footer's page numbers are no cell


def test_merged_cells_are_one_cell_with_spans_even_across_the_page_break(pdfs):
    grid = grid_of(pdfs["long"])

    def spans(text: str) -> tuple[int, int]:
        return cell(grid, text).row_span, cell(grid, text).col_span

    assert spans("项目名称") == (1, 2)
    assert spans("社区居家养老服务补贴项目") == (1, 7)
    assert spans("项目资金（万元）") == (5, 2)
    assert spans("年度总体目标") == (2, 2)
    assert spans("总分") == (1, 6)
    # 绩效指标 runs down the header and all 25 indicator rows, over both pages
    assert spans("绩效指标") == (26, 1)
    assert spans("产出指标") == (14, 1)
    assert spans("效益指标") == (8, 1)
    assert spans("数量指标") == (6, 1)
    assert spans("社会效益指标") == (4, 1)
    # the 满意度指标 cells start on page 1 and end on page 2: one cell each
    assert spans("满意度指标") == (3, 1)
    assert spans("服务对象满意度指标") == (3, 1)
    assert box(cell(grid, "满意度指标"))[0] == 1
    assert box(cell(grid, "家属满意度"))[0] == 2
    assert [c.text for c in grid.cells()].count("满意度指标") == 1


def test_refs_give_page_and_box_and_line_no_the_grid_row(pdfs):
    grid = grid_of(pdfs["long"])
    for k, row in enumerate(grid.rows):
        assert row.index == k and row.line_no == k + 1
        for c in row.cells:
            assert c.row == k and c.line_no == k + 1
            page, (x0, y0, x1, y1) = box(c)
            assert page in (1, 2)
            assert 0 <= x0 < x1 <= A4[0] and 0 <= y0 < y1 <= A4[1]
    # page 1 holds the rows down to 服务对象满意度, page 2 the rest
    assert box(row_with(grid, "服务对象满意度"))[0] == 1
    assert [box(r)[0] for r in grid.rows[-4:]] == [2, 2, 2, 2]
    # PDF coordinates: y grows up the page, so each row's box lies below the one before it on its page
    page2 = [box(r)[1] for r in grid.rows[-4:]]
    assert all(a[1] >= b[3] - 0.1 for a, b in zip(page2, page2[1:]))
    # the columns are as wide as the workbook made them (about 7 px a character + 5 px of padding)
    header = row_with(grid, "一级指标")
    name, weight = box(cell(grid, "三级指标"))[1], box(next(c for c in header.cells if c.text == "分值"))[1]
    ratio = (name[2] - name[0]) / (weight[2] - weight[0])
    expected = (COLUMN_WIDTHS[3] * 7 + 5) / (COLUMN_WIDTHS[6] * 7 + 5)
    assert ratio == pytest.approx(expected, rel=0.1)
    # a cell's box holds its text: pdftotext finds the word inside it
    page, (x0, y0, x1, y1) = box(cell(grid, "家属满意度"))
    words = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(pdfs["long"]), "-"],
                           capture_output=True, text=True, check=True).stdout
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">家属满意度</word>', words)
    assert m, "pdftotext sees the word"
    wx0, wy0, wx1, wy1 = map(float, m.groups())  # pdftotext counts y from the top
    assert x0 <= wx0 and wx1 <= x1 and y0 <= A4[1] - wy1 and A4[1] - wy0 <= y1


def test_running_heads_and_feet_come_once_and_do_not_stop_the_join(pdfs):
    """A head and a foot printed on both pages are given once, first (a head may be the
    only place a form's year is printed); the table still runs on over the break."""
    headed, plain = grid_of(pdfs["headed"]), grid_of(pdfs["long"])
    assert headed.label == "p.1-2"
    texts = [r.texts for r in headed.rows]
    assert [RUNNING_HEAD] in texts[:2]
    (foot,) = [t for t in texts if any(RUNNING_FOOT in x for x in t)]  # the foot's line also holds 第 1 页
    assert foot in texts[:2] and foot[0].startswith(RUNNING_FOOT) and "页" in foot[0]
    assert texts[2:] == [r.texts for r in plain.rows]
    assert cell(headed, "绩效指标").row_span == 26


# -- two forms in one file -----------------------------------------------------------
def test_two_forms_on_one_page_are_one_grid_in_reading_order(pdfs):
    grid = grid_of(pdfs["two"])
    assert (grid.label, grid.row_breaks) == ("p.1", ROWS_RELIABLE)
    texts = [r.texts for r in grid.rows]
    assert [k for k, t in enumerate(texts) if t == ["财政项目支出绩效自评表"]] == [0, 19]
    assert texts[1] == texts[20] == ["(2022年度)"]
    assert [t[1] for t in texts if t[0] == "项目名称"] == ["中小学校舍维修改造项目", "农村饮水安全巩固提升工程"]
    assert [t[0] for t in texts if t[0].startswith("项目资金")] == ["项目资金（元）", "项目资金（万元）"]
    assert texts[5] == ["年度资金总额", "850000.00", "850000.00", "836400.00", "10", "98.40%", "9.84"]
    assert [t for t in texts if t[0] == "总分"] == [["总分", "100", "99.84", ""], ["总分", "100", "95.50", ""]]
    for form in (SHORT_A, SHORT_B):
        for ind in form.indicators:
            assert row_with(grid, ind.name).texts[-6:] == indicator_texts(ind)
    assert cell(grid, "部分管网因征地未完成施工，次年续建").col == 8  # wrapped over two lines in its cell
    assert [r.texts for r in grid.rows if r.texts[0] == "评分等级"] == [["评分等级", "优"], ["评分等级", "优"]]


def test_a_word_table_over_three_pages_keeps_rows_broken_by_the_page_whole(pdfs):
    """Writer (like Word) breaks a long row across the page end and closes every
    cell there with a rule: the pieces of a row are one row again, and the merged
    绩效指标 cell, printed once, spans every indicator row on every page."""
    grid = grid_of(pdfs["word"])
    assert (grid.label, grid.row_breaks) == ("p.1-3", ROWS_RELIABLE)  # pages 2 and 3 hold no form label
    texts = [r.texts for r in grid.rows]
    assert texts[:5] == [
        [WORD_HEAD], ["财政项目支出绩效自评表"], ["(2022年度)"], ["项目名称", "社区居家养老服务补贴项目"],
        ["绩效指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ]
    expected = [[ind.name, ind.target, ind.actual, f"{ind.weight}", f"{ind.score}"] for ind in LONG.indicators] * 2
    assert [t[-5:] for t in texts[5:]] == expected
    assert len(grid.rows) == 5 + 2 * len(LONG.indicators)
    label = [c for c in grid.cells() if c.text == "绩效指标" and c.col == 0 and c.row == 5]
    assert [(c.row_span, c.col_span) for c in label] == [(2 * len(LONG.indicators), 1)]
    assert {box(r)[0] for r in grid.rows} == {1, 2, 3}


def test_a_pdf_that_only_restricts_copying_is_read_like_the_open_one(pdfs):
    restricted, plain = grid_of(pdfs["restricted"]), grid_of(pdfs["two"])
    assert [r.texts for r in restricted.rows] == [r.texts for r in plain.rows]


def test_forms_in_a_long_report_are_found_on_their_pages(pdfs):
    prose_pages = int(subprocess.run(["qpdf", "--show-npages", str(pdfs["prose"])], capture_output=True, text=True,
                                     check=True).stdout)
    assert prose_pages > 1
    (grid,) = pdf.read(pdfs["appendix"].read_bytes())
    assert grid.label == f"p.{prose_pages + 1}"
    assert [r.texts for r in grid.rows] == [r.texts for r in grid_of(pdfs["two"]).rows]
    assert all(c.ref.startswith(f"p.{prose_pages + 1} [") for c in grid.cells())


def test_pages_drawn_inside_form_xobjects_are_read_where_they_show(pdfs):
    """The whole page one form XObject, at half size, moved 100 pt right and 50 pt up."""
    drawn, plain = grid_of(pdfs["xobject"]), grid_of(pdfs["long"])
    assert (drawn.label, drawn.row_breaks) == ("p.1-2", ROWS_RELIABLE)
    assert [r.texts for r in drawn.rows] == [r.texts for r in plain.rows]
    assert [(c.row, c.col, c.row_span, c.col_span) for c in drawn.cells()] == [
        (c.row, c.col, c.row_span, c.col_span) for c in plain.cells()
    ]
    for a, b in zip(drawn.cells(), plain.cells()):
        (page_a, box_a), (page_b, box_b) = box(a), box(b)
        assert page_a == page_b
        expected = (box_b[0] * 0.5 + 100, box_b[1] * 0.5 + 50, box_b[2] * 0.5 + 100, box_b[3] * 0.5 + 50)
        assert box_a == pytest.approx(expected, abs=0.15)


def test_a_page_turned_by_its_rotate_entry_reads_the_same(pdfs):
    turned, plain = grid_of(pdfs["rotated"]), grid_of(pdfs["two"])
    assert [r.texts for r in turned.rows] == [r.texts for r in plain.rows]
    assert [c.ref for c in turned.cells()] == [c.ref for c in plain.cells()]  # the page's own coordinates


# -- a table printed without rules -----------------------------------------------------------
def test_a_form_without_rules_is_read_from_word_positions(pdfs):
    grid = grid_of(pdfs["words"])
    assert (grid.label, grid.row_breaks) == ("p.1", ROWS_BROKEN)
    texts = [r.texts for r in grid.rows]
    assert texts[0] == ["财政项目支出绩效自评表"] and texts[1] == ["(2022年度)"]
    assert ["项目名称", "农村饮水安全巩固提升工程"] in texts
    assert ["主管部门", "某县水利局", "实施单位", "某县农村供水管理站"] in texts
    assert ["年度资金总额", "300.00", "320.00", "256.00", "10", "80.00%", "8.00"] in texts
    header = row_with(grid, "三级指标")
    assert header.texts == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    column = {c.text: c.col for c in header.cells}
    # an indicator's cells stand in the columns of the header above them
    for ind in SHORT_B.indicators[1:]:
        row = row_with(grid, ind.name)
        values = {c.text: c.col for c in row.cells}
        assert values[ind.name] == column["三级指标"]
        assert values[ind.target] == column["年度指标值"]
        assert values[ind.actual] == column["实际完成值"]
        assert [c.text for c in row.cells][-4:] == [ind.target, ind.actual, f"{ind.weight}", f"{ind.score}"]
    # text wrapped inside a cell comes as pieces on their own lines, in reading order
    flat = "".join(c.text for c in grid.cells())
    assert "其中：当年财政" in flat and "部分管网因征地未完成施工" in flat
    assert ["总分", "100", "95.50"] in texts and ["评分等级", "优"] in texts
    for c in grid.cells():
        page, (x0, y0, x1, y1) = box(c)
        assert page == 1 and x0 < x1 and y0 < y1
    for row in grid.rows:
        cols = [c.col for c in row.cells]
        assert cols == sorted(set(cols))


def test_the_cell_search_finds_what_pdfplumbers_finds(pdfs):
    """layout._cells is pdfplumber's intersections_to_cells made faster: the same cells, on every page."""
    import pypdfium2 as pdfium
    from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

    from ingest.pdfread import layout
    from ingest.pdfread.extract import read_page

    pages = 0
    for name in ("long", "two", "word", "words"):
        doc = pdfium.PdfDocument(pdfs[name])
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            content = read_page(page, textpage, index + 1)
            edges = merge_edges([e for e in content.edges if layout._length(e) >= layout.MIN_EDGE], 3, 3, 3, 3)
            points = edges_to_intersections(merge_edges(edges + layout._frames(edges), 3, 3, 3, 3), 3, 3)
            assert layout._cells(points) == intersections_to_cells(points), (name, index + 1)
            pages += 1
            textpage.close()
            page.close()
        doc.close()
    assert pages == 7


# -- refused ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, code, words",
    [
        ("encrypted", "encrypted_pdf", "password"),
        ("truncated", "corrupt_pdf", "cut off"),
        ("damaged", "corrupt_pdf", "damaged"),
        ("scan", "scanned_pdf", "no text layer"),
        ("stamped_scan", "scanned_pdf", "needs OCR"),  # a scanner app's one line of text does not make it text
        ("pages500", "no_form", "500 pages"),
        ("prose", "no_form", "自评表"),
    ],
)
def test_bad_pdfs_are_refused_with_a_reason(pdfs, name, code, words):
    with pytest.raises(FormError) as refused:
        pdf.read(pdfs[name].read_bytes())
    assert refused.value.code == code
    assert words in refused.value.message


def test_a_scan_is_refused_as_needing_ocr_not_as_no_form(pdfs):
    with pytest.raises(FormError) as refused:
        pdf.read(pdfs["scan"].read_bytes())
    assert refused.value.code == "scanned_pdf"
    assert "it is a scan and needs OCR" in refused.value.message
    assert "pages 1-2 of 2" in refused.value.message  # the two pages of the long form, as images

