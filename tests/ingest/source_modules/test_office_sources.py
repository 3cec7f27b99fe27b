"""The spreadsheet, Word and web-page sources: a form written by hand
(tests/office_forms.py), rendered by real office software, read into grids
with its merged cells, its numbers as printed and where each cell came from;
generated forms read back holding their answer key's values; bad files
refused with a clear code."""

from __future__ import annotations

import io
import random
from dataclasses import asdict

import pytest
from docx import Document as WordDocument

from ingest.grid import ROWS_RELIABLE, Grid
from ingest.records import FormError
from ingest.sources import FILE_SOURCES, docx, html, numfmt, ods, sniff_file, xls, xlsx
from jixiao.paths import RAW_DIR
from office_forms import TITLE, assert_grids_hold, hand_form
from synth import bad_files, render_office
from synth.generate import Generator
from synth.parts import harvest

SHEET_SOURCES = {"xlsx": xlsx, "xls": xls, "ods": ods}


@pytest.fixture(scope="module")
def hand_docs() -> dict[str, bytes]:
    """The hand-made form in every format this module reads."""
    book, _ = render_office.render_xlsx([hand_form()])
    word, _ = render_office.render_docx([hand_form()])
    page, _ = render_office.render_html([hand_form()], encoding="gbk", declare=False)
    docs = {"xlsx": book, "docx": word, "html": page}
    for fmt in ("xls", "ods"):
        docs[fmt] = render_office.convert({"hand.xlsx": book}, fmt)[f"hand.{fmt}"]
    return docs


def by_ref(grids: list[Grid]) -> dict[str, tuple[str, int, int]]:
    return {c.ref: (c.text, c.row_span, c.col_span) for g in grids for c in g.cells()}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_sheet_lands_with_its_merges_numbers_as_printed_and_cell_refs(hand_docs, fmt):
    data = hand_docs[fmt]
    assert sniff_file(data) is SHEET_SOURCES[fmt]
    grids = SHEET_SOURCES[fmt].read(data)
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.source, grid.source_format, grid.label, grid.row_breaks) == (fmt, fmt, "表1", ROWS_RELIABLE)
    cells = by_ref(grids)
    # transcribed from the form: a title merged across the ten columns, the 项目资金 label over 5 rows x 2 columns
    assert cells["表1!A1"] == (TITLE, 1, 10)
    assert cells["表1!A2"] == ("（2022年度）", 1, 10)
    assert cells["表1!A3"] == ("项目名称", 1, 2)
    assert cells["表1!C3"] == ("社区养老服务中心运营补贴", 1, 8)
    assert cells["表1!A5"] == ("项目资金（万元）", 5, 2)
    # numbers as printed: 0.9838 under 0.00% is 98.38%, 1219 under 0.00 is 1219.00, weight 10 under 0.00
    assert [cells[f"表1!{c}6"][0] for c in "CEFGHIJ"] == [
        "年度资金总额", "1200.00", "1219.00", "1199.25", "10.00", "98.38%", "9.84"]
    assert cells["表1!E8"][0] == "0.00"
    # the indicator table: 绩效指标 over the header and 6 rows, 产出指标 over 3, 数量指标 over 2
    assert cells["表1!A12"] == ("绩效指标", 7, 1)
    assert cells["表1!B13"] == ("产出指标", 3, 1)
    assert cells["表1!C13"] == ("数量指标", 2, 1)
    assert [cells[f"表1!{c}13"][0] for c in "DEFGH"] == ["服务老人人数", "≥300人", "343人", "20", "20.00"]
    assert [cells[f"表1!{c}15"][0] for c in "DEFGHI"] == [
        "服务质量达标率", "≥95%", "76%", "15", "12.00", "部分站点人员不足，已补招"]
    assert cells["表1!A19"] == ("总分", 1, 6)
    assert (cells["表1!G19"][0], cells["表1!H19"][0]) == ("100", "96.84")
    assert cells["表1!C20"] == ("优", 1, 8)
    # positions a merge covers are absent; blank cells inside the used range are kept as ""
    for covered in ("表1!B1", "表1!B3", "表1!A6", "表1!B9", "表1!A13", "表1!B14", "表1!J19"):
        assert covered not in cells
    assert cells["表1!C5"] == ("", 1, 2)
    # rows carry the sheet's row numbers
    row = next(r for r in grid.rows if r.line_no == 13)
    assert row.ref == "表1!13:13" and {c.line_no for c in row.cells} == {13}
    assert [r.line_no for r in grid.rows] == list(range(1, 21))


def test_a_word_table_lands_with_the_title_above_it_and_its_merges(hand_docs):
    data = hand_docs["docx"]
    assert sniff_file(data) is docx
    grids = docx.read(data)
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.source, grid.source_format, grid.label) == ("docx", "docx", "table 1")
    assert [r.texts for r in grid.rows[:2]] == [[TITLE], ["（2022年度）"]]
    assert [r.ref for r in grid.rows[:3]] == ["paragraph 1", "paragraph 2", "table 1, row 1"]
    cells = by_ref(grids)
    assert cells["table 1, row 3, cell 1"] == ("项目资金（万元）", 5, 2)  # vMerge down 5 rows, gridSpan 2
    assert [cells[f"table 1, row 4, cell {c}"][0] for c in (3, 5, 6, 7, 8, 9, 10)] == [
        "年度资金总额", "1200.00", "1219.00", "1199.25", "10.00", "98.38%", "9.84"]
    assert cells["table 1, row 10, cell 1"] == ("绩效指标", 7, 1)
    assert cells["table 1, row 11, cell 2"] == ("产出指标", 3, 1)
    assert cells["table 1, row 11, cell 3"] == ("数量指标", 2, 1)
    assert "table 1, row 12, cell 2" not in cells and "table 1, row 4, cell 1" not in cells
    assert [r.line_no for r in grid.rows] == list(range(1, 21))


def test_a_web_page_in_undeclared_gbk_lands_with_rowspans_and_colspans(hand_docs):
    data = hand_docs["html"]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # GBK bytes, and no charset declared
    assert sniff_file(data) is html
    grids = html.read(data)
    assert len(grids) == 1
    grid = grids[0]
    assert [r.texts for r in grid.rows[:2]] == [[TITLE], ["（2022年度）"]]
    cells = by_ref(grids)
    assert cells["table 1, row 3, cell 1"] == ("项目资金（万元）", 5, 2)
    assert cells["table 1, row 4, cell 9"][0] == "98.38%"
    assert cells["table 1, row 11, cell 2"] == ("产出指标", 3, 1)
    assert cells["table 1, row 13, cell 9"] == ("部分站点人员不足，已补招", 1, 2)


def test_html_declared_charsets_and_text_around_nested_tables():
    page = (
        '<html><head><meta charset="gb2312"><title>页面</title></head><body>'
        "<table><tr><td><h3>某局2021年度项目支出绩效自评表</h3><p>单位：万元</p>"
        '<table border="1"><tr><td rowspan="2">项目名称</td><td colspan="2">道路养护</td></tr>'
        "<tr><td>甲</td><td>乙<br>丙</td></tr></table>"
        "</td></tr></table><p>填表人：张三</p></body></html>"
    ).encode("gb18030")
    grids = html.read(page)
    assert len(grids) == 1
    assert [r.texts for r in grids[0].rows] == [
        ["某局2021年度项目支出绩效自评表"], ["单位：万元"], ["项目名称", "道路养护"], ["甲", "乙\n丙"], ["填表人：张三"]]
    cells = by_ref(grids)
    assert cells["table 2, row 1, cell 1"] == ("项目名称", 2, 1)
    assert cells["table 2, row 2, cell 2"] == ("甲", 1, 1)  # placed after the rowspan
    utf8_declared_gbk = page.replace(b"gb2312", b"utf-8")  # a wrong declaration is not believed
    assert html.read(utf8_declared_gbk)[0].rows[0].texts == ["某局2021年度项目支出绩效自评表"]


def test_a_word_form_split_by_a_page_break_is_one_grid():
    form = hand_form()
    data, expected = render_office.render_docx([form, form], split_after=3)
    grids = docx.read(data)
    assert [g.label for g in grids] == ["table 1-2", "table 3-4"]
    assert [len(g) for g in grids] == [20, 20]
    second_part = next(r for r in grids[0].rows if r.ref == "table 2, row 1")
    assert second_part.line_no == 16  # the 4th indicator: the rows go on across the break
    assert second_part.texts[:4] == ["绩效指标", "效益指标", "社会效益指标", "老年人生活质量"]
    assert_grids_hold(grids, [asdict(f) for f in expected])


def test_stacked_forms_stay_in_one_sheet_with_sheet_row_numbers():
    form = hand_form()
    data, expected = render_office.render_xlsx([form, form, form], stacked=True, amount_fmt="#,##0.00")
    grids = xlsx.read(data)
    assert len(grids) == 1 and grids[0].label == "自评表"
    assert [f.line_start for f in expected] == [1, 23, 45]  # 20 rows a form, two blank rows between
    cells = by_ref(grids)
    assert cells["自评表!F28"][0] == "1,219.00"
    assert cells["自评表!A45"] == (TITLE, 1, 10)
    assert_grids_hold(grids, [asdict(f) for f in expected])


@pytest.fixture(scope="module")
def generated():
    rng = random.Random(23)
    gen = Generator(harvest(RAW_DIR), rng)
    return [gen.form(rng.choice([2021, 2022]), rng.choice(["万元", "元"]), "national").form for _ in range(4)]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "xls", "ods"])
def test_generated_documents_read_back_holding_their_answer_key(generated, fmt):
    data, expected = render_office.render(generated, fmt, random.Random(5))
    source = sniff_file(data)
    assert source is not None and source.NAME == fmt
    grids = source.read(data)
    assert {g.source_format for g in grids} == {fmt}
    assert assert_grids_hold(grids, [asdict(f) for f in expected]) == sum(len(f.indicators) for f in generated)


@pytest.mark.parametrize(("value", "code", "printed"), [
    (0.9838, "0.00%", "98.38%"), (1219, "0.00", "1219.00"), (1219.0, "General", "1219"), (38.0, None, "38"),
    (11618500, "#,##0.00", "11,618,500.00"), (0.5, "0%", "50%"), (-5, "#,##0.00;(#,##0.00)", "(5.00)"),
    (0, '#,##0.00;-#,##0.00;"-"', "-"), (44927, 'yyyy"年"m"月"d"日"', "2023年1月1日"), (5, '0"人"', "5人"),
    (0.1 + 0.2, "General", "0.3"), (0.9, "[$-804]0.00%", "90.00%"), (3.14159, "0.00E+00", "3.14E+00"),
])
def test_numbers_print_as_their_format_shows_them(value, code, printed):
    assert numfmt.format_value(value, code) == printed


# -- bad files ------------------------------------------------------------------------
def _refused(data: bytes) -> FormError:
    source = sniff_file(data)
    assert source is not None, "a damaged office file must not be taken for text"
    with pytest.raises(FormError) as err:
        source.read(data)
    return err.value


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "xls", "ods"])
def test_a_truncated_file_is_refused_as_corrupt(hand_docs, fmt):
    data = hand_docs[fmt]
    err = _refused(data[: len(data) // 2])
    assert err.code == "corrupt_file"
    assert "damaged or truncated" in err.message


def test_a_workbook_with_a_damaged_sheet_is_refused_as_corrupt(hand_docs):
    data = bad_files.with_member_cut(hand_docs["xlsx"], "xl/worksheets/", keep=1 / 3)  # XML stops mid-element
    assert _refused(data).code == "corrupt_file"


def test_a_zip_bomb_posing_as_a_workbook_is_refused_before_inflating(hand_docs):
    data = bad_files.with_member(hand_docs["xlsx"], "xl/media/image1.bin", zero_mb=64)
    assert len(data) < 200_000
    err = _refused(data)
    assert err.code == "zip_bomb"
    assert "xl/media/image1.bin" in err.message


def test_a_workbook_with_a_million_empty_rows_reads_only_its_used_range(hand_docs):
    data = bad_files.with_empty_rows(hand_docs["xlsx"], 1_000_000, first_row=21)
    grids = xlsx.read(data)
    assert len(grids) == 1
    assert [r.line_no for r in grids[0].rows] == list(range(1, 21))
    assert by_ref(grids)["表1!I6"][0] == "98.38%"


def test_a_web_page_with_no_table_is_refused():
    page = "<html><body><h1>2022年度部门决算公开</h1><p>详见附件。</p></body></html>".encode()
    err = _refused(page)
    assert err.code == "no_table"


def test_a_legacy_word_document_is_refused_with_what_to_save_it_as(hand_docs):
    doc = render_office.convert({"hand.docx": hand_docs["docx"]}, "doc")["hand.doc"]
    err = _refused(doc)
    assert err.code == "legacy_format"
    assert ".docx" in err.message and "save it as" in err.message


def test_every_file_source_declares_its_protocol():
    for source in FILE_SOURCES:
        assert isinstance(source.NAME, str) and isinstance(source.FORMAT, str)
        assert callable(source.sniff) and callable(source.read)
        assert source.sniff(b"") is False
        assert source.sniff("项目名称\t道路养护\n".encode()) is False


@pytest.mark.parametrize(("encoding", "declare"), [("utf-8", False), ("gbk", True), ("gb2312", True),
                                                   ("gb2312", False), ("gb18030", False)])
def test_web_pages_in_every_chinese_encoding_read_back(generated, encoding, declare):
    data, expected = render_office.render_html(generated, encoding=encoding, declare=declare)
    assert (b"charset=" + encoding.encode() in data) == declare
    assert html.decode(data)[0].count(TITLE) == len(generated)
    assert_grids_hold(html.read(data), [asdict(f) for f in expected])


def test_word_tables_join_across_a_continuation_mark_and_split_at_text():
    doc = WordDocument()
    doc.add_paragraph("部门预算项目支出绩效自评表")
    first = doc.add_table(rows=1, cols=2)
    first.cell(0, 0).text, first.cell(0, 1).text = "项目名称", "道路养护"
    doc.add_paragraph("")
    doc.add_paragraph("（续表）")
    second = doc.add_table(rows=2, cols=3)
    second.cell(0, 0).merge(second.cell(1, 0)).text = "产出指标"
    second.cell(0, 1).merge(second.cell(0, 2)).text = "数量指标"
    inner = second.cell(1, 2).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "附表"
    doc.add_paragraph("说明：以下为另一项目")
    third = doc.add_table(rows=1, cols=1)
    third.cell(0, 0).text = "项目名称"
    buf = io.BytesIO()
    doc.save(buf)
    grids = docx.read(buf.getvalue())
    assert [g.label for g in grids] == ["table 1-3", "table 4"]
    assert [r.ref for r in grids[0].rows] == [
        "paragraph 1", "table 1, row 1", "paragraph 3", "table 2, row 1", "table 2, row 2", "table 3, row 1"]
    cells = by_ref(grids)
    assert cells["table 2, row 1, cell 1"] == ("产出指标", 2, 1)
    assert cells["table 2, row 1, cell 2"] == ("数量指标", 1, 2)
    assert cells["table 3, row 1, cell 1"] == ("附表", 1, 1)  # the nested table, after its table
    assert [r.texts for r in grids[1].rows] == [["说明：以下为另一项目"], ["项目名称"]]


def test_a_stray_value_at_the_last_cell_of_a_sheet_keeps_only_the_filled_cells(hand_docs):
    """A value at XFD1048576 makes a dense reader lay out 17 billion cells
    (python-calamine aborts the process); the form's cells are read, with a warning."""
    grids = xlsx.read(bad_files.with_stray_value(hand_docs["xlsx"], "XFD1048576"))
    assert [i.code for i in grids[0].issues] == ["sparse_sheet"]
    cells = by_ref(grids)
    assert cells["表1!I6"][0] == "98.38%" and cells["表1!XFD1048576"][0] == "x"
    assert cells["表1!A5"] == ("项目资金（万元）", 5, 2)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "xls", "ods", "html"])
def test_damaged_bytes_give_grids_or_a_form_error_and_nothing_else(hand_docs, fmt):
    rng = random.Random(fmt)
    original = hand_docs[fmt]
    for _ in range(40):
        data = bytearray(original)
        for _ in range(rng.choice([1, 3, 10, 50])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        source = sniff_file(bytes(data))
        if source is None:
            continue  # no longer recognisable: the text sources will say it is not text
        try:
            grids = source.read(bytes(data))
        except FormError as err:
            assert err.code and err.message
        else:
            assert all(isinstance(g, Grid) for g in grids)


def test_a_value_whose_cell_the_byte_scan_cannot_place_is_read_by_a_whole_parse(hand_docs):
    """Whitespace other than a space after ``<c`` is legal XML: the scan then
    cannot tell which row the value is in, and the sheet is parsed whole."""
    odd = b'<row r="100"><c\tr="A100" t="inlineStr"><is><t>\xe5\xa4\x87\xe6\xb3\xa8</t></is></c></row>'
    data = bad_files.with_member_replaced(hand_docs["xlsx"], "xl/worksheets/sheet1.xml", b"</sheetData>",
                                          odd + b"</sheetData>")
    grid = xlsx.read(data)[0]
    assert (grid.rows[-1].ref, grid.rows[-1].texts[0]) == ("表1!100:100", "备注")
    assert by_ref([grid])["表1!I6"][0] == "98.38%"


def test_a_word_page_header_comes_first_in_the_grid():
    doc = WordDocument()
    doc.sections[0].header.paragraphs[0].text = "某区民政局2022年度"
    doc.add_paragraph("项目支出绩效自评表")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目名称", "养老服务"
    buf = io.BytesIO()
    doc.save(buf)
    grid = docx.read(buf.getvalue())[0]
    assert [(r.ref, r.texts) for r in grid.rows] == [
        ("header 1", ["某区民政局2022年度"]), ("paragraph 1", ["项目支出绩效自评表"]),
        ("table 1, row 1", ["项目名称", "养老服务"])]
