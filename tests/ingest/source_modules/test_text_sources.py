"""The text sources of issue 13 (pipe, cell_lines, spaced): each sample's grid.

Expected cells are transcribed by hand from the files under tests/samples/
(the line numbers are the file's own, as ``cat -n`` shows them). The bundled
documents rewritten (tabs as spaces, as markdown pipe tables) are compared
with the tab-separated line each row came from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.grid import ROWS_BROKEN, ROWS_NONE, ROWS_RELIABLE, Grid, Row
from ingest.sources import TEXT_SOURCES, cell_lines, detect_text, pipe, spaced
from jixiao.paths import RAW_DIR

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OTHER = SAMPLES / "other-governments"
LAYOUT = SAMPLES / "pdftotext-layout"
MINE = (pipe, cell_lines, spaced)

BUNDLED = {
    "000": "000_0e1cca4759df0cce.txt",
    "001": "001_13e9ac82ec5acbf2.txt",
    "002": "002_42c27752b8eae618.txt",
    "003": "003_dc4befe519062102.txt",
}
TABBED = ("000", "002", "003")


def _grid(source, path: Path) -> Grid:
    grids = source.read(path.read_text(encoding="utf-8"))
    assert len(grids) == 1
    grid = grids[0]
    assert grid.source == source.NAME
    for index, row in enumerate(grid.rows):
        assert row.index == index
        assert [(c.row, c.col) for c in row.cells] == [(index, k) for k in range(len(row.cells))]
    return grid


def _row(grid: Grid, line_no: int) -> Row:
    rows = [row for row in grid.rows if row.line_no == line_no]
    assert len(rows) == 1, f"one row read from line {line_no}"
    return rows[0]


def _cells(row: Row) -> list[tuple[str, str]]:
    return [(c.text, c.ref) for c in row.cells]


def _line_cells(line_no: int, texts: list[str]) -> list[tuple[str, str]]:
    return [(t, f"line {line_no}, cell {k}") for k, t in enumerate(texts, start=1)]


# ---------------------------------------------------------------- pipe tables


def test_pipe_yongde_rows_broken_and_merged():
    grid = _grid(pipe, OTHER / "yn_yongde_minglang_2022.txt")
    assert grid.row_breaks == ROWS_BROKEN
    # line 16: | 质量指标 | 营养改善计划覆盖率 | ≧ | 100 | % | 100% | 10 | 10 |
    assert _cells(_row(grid, 16)) == _line_cells(16, ["质量指标", "营养改善计划覆盖率", "≧", "100", "%", "100%", "10", "10"])
    # line 18 prints its operator as ═
    assert _row(grid, 18).texts == ["成本指标", "生均补助标准达标率", "═", "100", "%", "100%", "10", "10"]
    # line 1 has no leading pipe; the four `|` lines after it are its empty cells
    assert _cells(_row(grid, 1)) == _line_cells(1, ["2022年度项目支出绩效自评表", "部门:临沧市永德县明朗中学"]) + [
        ("", f"line {n}") for n in range(2, 6)
    ]
    assert _row(grid, 1).ref == "lines 1-5"
    # 生态效益 指标 (line 23) followed by seven `|` lines (24-30): its seven blank cells
    assert _cells(_row(grid, 23)) == [("生态效益 指标", "line 23, cell 1")] + [("", f"line {n}") for n in range(24, 31)]
    assert _row(grid, 10).texts == ["—", "上年结转 资金", "", ""]
    assert _row(grid, 13).texts == ["—"]
    # the last row, with the closing `|` of line 35
    assert _row(grid, 34).texts == ["其他需要说明事项", "无", "总分", "100", "96", "优", ""]
    # no row was read from a `|` line
    assert {row.line_no for row in grid.rows} == {1, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 31, 32, 33, 34}


def test_pipe_huangshi_markdown_with_empty_cell_runs():
    grid = _grid(pipe, OTHER / "hb_huangshi_lib_2022.md")
    assert grid.row_breaks == ROWS_BROKEN
    # page boilerplate above the table: one cell, the whole line
    assert _cells(_row(grid, 1)) == [("作者:暂无 上传时间:2023-08-14 浏览次数:次 返回上级", "line 1")]
    assert _cells(_row(grid, 3)) == [("2022年度共享工程项目自评表", "line 3")]
    # `项目名称 | 共享工程 | ||||||||`: ten pipes, the last one the border: ten cells
    assert _cells(_row(grid, 6)) == _line_cells(6, ["项目名称", "共享工程"] + [""] * 8)
    assert _row(grid, 14).texts == ["产出指标(40分)", "数量指标", "一个存储备份器", "25TB", "25TB", "10"] + [""] * 4
    # a row continued on the next line (the merged 二级指标 cell left out)
    assert _row(grid, 15).texts == ["WIFI布点全覆盖", "100%覆盖", "100%覆盖"] + [""] * 7
    assert _row(grid, 11).texts == [
        "预算执行情况(万元) (20分)",
        "预算数(A)",
        "执行数(B)",
        "执行率(B/A)",
        "得分 (20分*执行率)",
    ] + [""] * 5


def test_pipe_daying_runs_of_empty_cells():
    grid = _grid(pipe, OTHER / "sc_daying_sfj_2023.md")
    assert grid.row_breaks == ROWS_BROKEN
    assert _cells(_row(grid, 2)) == _line_cells(
        2, ["产出指标", "经济成本指标", "成本控制数", "≤", "30", "万元", "完成", "90", "90", "", ""]
    )
    assert _row(grid, 8).texts == ["部门预算项目支出绩效自评表(2023年度)"] + [""] * 10
    assert _row(grid, 16).texts == ["其中:财政资金", "0.00", "3.36", "3.36", "100.00%", "/", "/"] + [""] * 4
    assert _row(grid, 21).texts == ["产出指标", "质量指标", "完成安可产品购买并按要求支付资金", "=", "100"]


def _markdown(tsv: str, *, separator: bool) -> str:
    """The tab-separated text as a pipe table, one `| a | b |` line per line
    (blank lines kept); with ``separator``, a markdown table proper: no blank
    lines, rows padded to one width, a `|---|` line under the first."""
    rows = [line.split("\t") if line.strip() else None for line in tsv.split("\n")]
    width = max(len(r) for r in rows if r is not None)
    out: list[str] = []
    for cells in rows:
        if cells is None:
            if not separator:
                out.append("")
            continue
        if separator:
            cells = cells + [""] * (width - len(cells))
        out.append("| " + " | ".join(c.strip().replace("|", "\\|") for c in cells) + " |")
        if separator and len(out) == 1:
            out.append("|" + "---|" * width)
    return "\n".join(out)


def _markdown_delimiter(lines: list[str], n: int) -> bool:
    """Whether tab-separated line n (0-based), written as a pipe line with the
    blank lines kept, is what markdown reads as a table's delimiter row: dashes
    only, right under a first pipe line (after a blank line) as wide as it. 002's line 555,
    ``------ / ---`` under ``评分等级 / 优``, is one."""
    cells = [c.strip() for c in lines[n].split("\t")]
    return (
        n >= 2
        and not lines[n - 2].strip()
        and all(len(c) >= 3 and set(c) == {"-"} for c in cells)
        and len(lines[n - 1].split("\t")) == len(cells)
    )


@pytest.mark.parametrize("doc", TABBED)
@pytest.mark.parametrize("proper", [False, True], ids=["pipe-lines", "markdown-table"])
def test_pipe_bundled_rewritten_as_markdown(doc, proper, tmp_path):
    tsv = (RAW_DIR / BUNDLED[doc]).read_text(encoding="utf-8")
    path = tmp_path / f"{doc}.md"
    path.write_text(_markdown(tsv, separator=proper), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert detect_text(text.split("\n")) is pipe
    grid = _grid(pipe, path)
    assert grid.row_breaks == (ROWS_RELIABLE if proper else ROWS_BROKEN)
    lines = tsv.split("\n")
    tsv_lines = [
        line for n, line in enumerate(lines) if line.strip() and (proper or not _markdown_delimiter(lines, n))
    ]
    assert len(grid.rows) == len(tsv_lines)
    for row, line in zip(grid.rows, tsv_lines, strict=True):
        expected = [c.strip() for c in line.split("\t")]
        assert row.texts[: len(expected)] == expected
        assert not any(row.texts[len(expected) :])


# ------------------------------------------------------------- cell per line


def test_cell_lines_qingshen_one_cell_per_line():
    path = OTHER / "sc_qingshen_fgj_2023.txt"
    grid = _grid(cell_lines, path)
    assert grid.row_breaks == ROWS_NONE
    assert all(len(row) == 1 for row in grid.rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(grid.rows) == sum(1 for line in lines if line.strip())
    by_line = {row.line_no: row.cells[0] for row in grid.rows}
    assert (by_line[1].text, by_line[1].ref) == ("报表编号:510000_0013zp", "line 1")
    assert [by_line[n].text for n in range(2, 7)] == [""] * 5
    assert by_line[12].text == "实施单位 (盖章)"
    # the first indicator row (lines 80-87): 完成值, 得分 and the reason blank as published
    assert [(by_line[n].text, by_line[n].ref) for n in range(80, 88)] == [
        ("发放(缴纳)覆盖率", "line 80"),
        ("=", "line 81"),
        ("100", "line 82"),
        ("%", "line 83"),
        ("", "line 84"),
        ("60", "line 85"),
        ("", "line 86"),
        ("", "line 87"),
    ]
    # the stream keeps the file's order
    assert [row.line_no for row in grid.rows] == sorted(row.line_no for row in grid.rows)


def test_cell_lines_langfang_one_cell_per_paragraph():
    grid = _grid(cell_lines, OTHER / "he_langfang_spgcxx_2019.txt")
    assert grid.row_breaks == ROWS_NONE
    stream = [(row.cells[0].text, row.cells[0].ref) for row in grid.rows]
    # a cell over two lines, then an NBSP paragraph: an empty cell
    start = stream.index(("项目资金\n(万元)", "lines 21-22"))
    assert stream[start + 1 : start + 4] == [("", "line 24"), ("年初", "line 26"), ("预算数", "line 28")]
    start = stream.index(("年度资金总额", "line 44"))
    assert stream[start : start + 8] == [
        ("年度资金总额", "line 44"),
        ("43.2", "line 46"),
        ("43.2", "line 48"),
        ("37.24", "line 50"),
        ("10", "line 52"),
        ("86%", "line 54"),
        ("9", "line 56"),
        ("其中:当年财政拨款", "line 58"),
    ]
    # NBSP indentation is not text
    assert ("上年结转资金", "line 68") in stream
    # four blank lines (97-100) are one separator, not empty cells
    start = stream.index(("37.24", "line 96"))
    assert stream[start + 1] == ("一级指标", "line 101")
    # a placeholder row: 指标2, five empty cells, ……
    start = stream.index(("指标2", "line 137"))
    assert stream[start + 1 : start + 7] == [("", f"line {n}") for n in (139, 141, 143, 145, 147)] + [("……", "line 149")]


# ---------------------------------------------------------- space separated


def test_spaced_tianchang_single_spaces():
    grid = _grid(spaced, OTHER / "ah_tianchang_slj_2022.txt")
    assert grid.row_breaks == ROWS_BROKEN
    assert _cells(_row(grid, 1)) == _line_cells(1, ["天长市水利局水旱灾害防御股项目支出绩效自评"])
    assert _row(grid, 11).texts == ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
    assert _cells(_row(grid, 12)) == _line_cells(12, ["年度资金总额:", "880", "880", "880", "10", "10"])
    assert _row(grid, 13).texts == ["其中:本年财政拨款", "880", "880", "880", "-", "-"]
    assert _row(grid, 26).texts == ["数量指标", "指标1:完成中型灌区节水改造项目数量", "1", "1", "10", "10"]
    assert _row(grid, 55).texts == ["指标1:/", "/", "/"]
    assert _row(grid, 70).texts == ["总分", "100", "100"]


def _contains(texts: list[str], part: list[str]) -> bool:
    return any(texts[i : i + len(part)] == part for i in range(len(texts) - len(part) + 1))


def test_spaced_guichi_flattened_onto_one_line():
    grid = _grid(spaced, OTHER / "ah_guichi_tangxi_2022.txt")
    assert grid.row_breaks == ROWS_NONE
    assert len(grid.rows) == 1
    texts = grid.rows[0].texts
    assert _contains(texts, ["项目名称", "委托业务项目", "主管部门", "219-池州市贵池区棠溪镇人民政府"])
    assert _contains(texts, ["年度资金总额:", "0", "0", "0", "10", "0", "0", "其中:本年财政拨款", "90", "89.974", "89.974"])
    assert _contains(texts, ["基建工程委托业务项目数量", "≥50个", "50", "8", "8"])
    assert [c.ref for c in grid.rows[0].cells[:3]] == ["line 1, cell 1", "line 1, cell 2", "line 1, cell 3"]


def test_spaced_pdftotext_layout_columns():
    grid = _grid(spaced, LAYOUT / "003_dc4befe519062102.layout.txt")
    assert grid.row_breaks == ROWS_BROKEN
    assert _cells(_row(grid, 13)) == _line_cells(
        13, ["产出指标", "数量指标", "衬衫数量", "≥84.00(件)", "84.00(件)", "10.00", "10.00"]
    )
    # 西服数量 stands under 三级指标 (x=43); lines 12-13 start cells at x=0 and
    # x=15, lines 15 and 18 at x=15: two empty cells before it
    assert _row(grid, 14).texts == ["", "", "西服数量", "≥56.00(套)", "56.00(套)", "10.00", "10.00"]
    assert _row(grid, 15).texts == ["", "质量指标", "服装尺码适配率", "≥95(%)", "99.00(%)", "10.00", "10.00"]
    # a space inside a cell stays (=100 (%)); a single space before x=86, where
    # lines 59, 60, 63 and 64 start a column, separates two cells
    assert _row(grid, 60).texts == ["产出指标", "数量指标", "活动开展计划完成率", "=100 (%)", "100.00 (%)", "10.00", "10.00"]
    assert _row(grid, 61).texts == ["", "", "宣传品制作", "≥100.00 (件)", "0.00 (件)", "2.00", "0.00", "由于经费有限未制作宣传品"]
    assert _row(grid, 2).texts == ["项目名称", "机关事业单位运行保障经费"]


def _rewrite(tsv: str, how: str) -> str:
    rewrite = {
        "spaces": lambda line: line.replace("\t", "    "),
        "expandtabs": lambda line: line.expandtabs(8),
        "expandtabs-rstripped": lambda line: line.expandtabs(8).rstrip(),
    }[how]
    return "\n".join(rewrite(line) for line in tsv.split("\n"))


@pytest.mark.parametrize("doc", TABBED)
@pytest.mark.parametrize("how", ["spaces", "expandtabs"])
def test_spaced_bundled_with_tabs_as_spaces(doc, how, tmp_path):
    """Tabs replaced by four spaces, or expanded to tab stops: every line
    reads back as its tab-separated line, empty cells included."""
    tsv = (RAW_DIR / BUNDLED[doc]).read_text(encoding="utf-8")
    path = tmp_path / f"{doc}.txt"
    path.write_text(_rewrite(tsv, how), encoding="utf-8")
    assert detect_text(path.read_text(encoding="utf-8").split("\n")) is spaced
    grid = _grid(spaced, path)
    assert grid.row_breaks == ROWS_RELIABLE
    rows = {row.line_no: row for row in grid.rows}
    for n, line in enumerate(tsv.split("\n"), start=1):
        if not line.strip():
            assert n not in rows
            continue
        assert _cells(rows[n]) == _line_cells(n, [c.strip() for c in line.split("\t")])


@pytest.mark.parametrize("doc", TABBED)
def test_spaced_expanded_tabs_without_their_trailing_tabs(doc):
    """expandtabs(8) with each line's trailing spaces stripped: the widths of
    the rows no longer tell whether a single space before a tab stop is a tab;
    such spaces stay inside cells (two cells read as one), and no cell is ever
    split where the tab-separated line has none."""
    tsv = (RAW_DIR / BUNDLED[doc]).read_text(encoding="utf-8")
    (grid,) = spaced.read(_rewrite(tsv, "expandtabs-rstripped"))
    rows = {row.line_no: row for row in grid.rows}
    for n, line in enumerate(tsv.split("\n"), start=1):
        if line.strip():
            want = [c.strip() for c in line.split("\t") if c.strip()]
            got = [c for c in rows[n].texts if c]
            assert " ".join(got) == " ".join(want), f"line {n}"
            assert len(got) <= len(want), f"line {n}"


def test_spaced_000_indicator_rows_as_in_the_tsv():
    """000 with its tabs turned into runs of spaces: each indicator row (the
    lines from a 三级指标 header to 总分) gives the non-empty cells of its
    tab-separated line, in order."""
    tsv = (RAW_DIR / BUNDLED["000"]).read_text(encoding="utf-8").split("\n")
    for how in ("spaces", "expandtabs"):
        grid = spaced.read(_rewrite("\n".join(tsv), how))[0]
        rows = {row.line_no: row for row in grid.rows}
        # rows of 000's first indicator table (lines 17, 18 and 25), transcribed by hand
        assert [c for c in rows[17].texts if c] == ["产出指标", "数量指标", "社会民意调查有效户数", "12800户", "12800户", "2", "2"]
        assert [c for c in rows[18].texts if c] == ["参公过渡人数", "950人", "1022人", "2", "2"]
        assert [c for c in rows[25].texts if c] == [
            "绩效指标",
            "产出指标",
            "数量指标",
            "处级领导干部任职培训班人数",
            "200人",
            "90人",
            "3",
            "1.5",
            "因疫情原因，党校资源受限，班次减少，将在今年任职培训工作中予以充分考虑。",
        ]
        checked = 0
        indicator = False
        for n, line in enumerate(tsv, start=1):
            if "三级指标" in line:
                indicator = True
                continue
            if indicator and line.strip():
                assert [c for c in rows[n].texts if c] == [c.strip() for c in line.split("\t") if c.strip()], (how, n)
                checked += 1
            if line.startswith("总分"):
                indicator = False
        assert checked >= 60  # both forms' indicator tables


# --------------------------------------------------------------- detection

SAMPLE_SOURCE = {
    "yn_yongde_minglang_2022.txt": "pipe",
    "hb_huangshi_lib_2022.md": "pipe",
    "sc_daying_sfj_2023.md": "pipe",
    "sc_qingshen_fgj_2023.txt": "cell_lines",
    "he_langfang_spgcxx_2019.txt": "cell_lines",
    "ah_tianchang_slj_2022.txt": "spaced",
    "ah_guichi_tangxi_2022.txt": "spaced",
    "sx_jishan_zhaidian_wsy_2021_xlsx.txt": "spaced",
    # cells run together with no delimiter (OCR, flattened HTML): plain lines,
    # read as one-row-per-line text at spaced's lowest score
    "sh_songjiang_jiuting_2020.txt": "spaced",
    "nx_yinchuan_jyj_2021_ocr.txt": "spaced",
    "cq_kexuecheng_rongmeiti_2021_dept_ocr.txt": "spaced",
}


def test_every_sample_has_an_expected_source():
    samples = {p.name for p in OTHER.iterdir() if p.name != "SOURCES.md"}
    assert samples == set(SAMPLE_SOURCE)


@pytest.mark.parametrize("name", sorted(SAMPLE_SOURCE))
def test_detect_text_picks_the_source(name):
    lines = (OTHER / name).read_text(encoding="utf-8").split("\n")
    assert detect_text(lines).NAME == SAMPLE_SOURCE[name]


@pytest.mark.parametrize("name", ["000_0e1cca4759df0cce.layout.txt", "003_dc4befe519062102.layout.txt"])
def test_detect_text_layout(name):
    assert detect_text((LAYOUT / name).read_text(encoding="utf-8").split("\n")) is spaced


@pytest.mark.parametrize("doc", sorted(BUNDLED))
def test_bundled_documents_are_not_claimed(doc):
    """The tab-separated documents belong to the tab-separated source and
    001's scrambled pdftotext text to the scrambled-text source: these three
    sources score them 0, so any positive score of those wins."""
    lines = (RAW_DIR / BUNDLED[doc]).read_text(encoding="utf-8").split("\n")
    assert [source.detect(lines) for source in MINE] == [0.0, 0.0, 0.0]
    chosen = detect_text(lines)
    # 001 is read by the scrambled-text reconstruction, which no text source claims
    assert (chosen.NAME if chosen else None) == (None if doc == "001" else "tabular")


def test_sources_registered():
    assert all(source in TEXT_SOURCES for source in MINE)
    assert [source.NAME for source in MINE] == ["pipe", "cell_lines", "spaced"]


# ------------------------------------------------------------ any table

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORD_CHARS = st.text(alphabet="项目资金年度指标值万元%≥=()0123456789.ABCab|", min_size=1, max_size=6)
_CELL = st.one_of(st.just(""), st.lists(_WORD_CHARS, min_size=1, max_size=3).map(" ".join))
_TABLE = st.lists(
    st.lists(_CELL, min_size=1, max_size=9).filter(lambda cells: any(cells)), min_size=1, max_size=25
)


@settings(max_examples=60, deadline=None)
@given(_TABLE)
def test_pipe_reads_any_table_written_as_pipe_lines(table):
    """Cells with spaces and pipes inside, empty cells anywhere: a table
    written `| a | b |` (pipes escaped) reads back cell for cell."""
    text = "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in table)
    (grid,) = pipe.read(text)
    assert [row.texts for row in grid.rows] == table
    assert [row.line_no for row in grid.rows] == list(range(1, len(table) + 1))


@settings(max_examples=60, deadline=None)
@given(_TABLE.filter(lambda t: sum(max(0, sum(1 for c in row if c) - 1) for row in t) >= 12))
def test_spaced_reads_any_table_with_tabs_replaced_by_spaces(table):
    """A tab-separated table (cells with single spaces inside, empty cells
    anywhere) with each tab turned into four spaces reads back cell for cell,
    given the evidence spaced asks for: a dozen gaps between two cells
    (indentation alone does not show a tab width)."""
    table = [[c.replace("|", "/") for c in row] for row in table]
    text = "\n".join("    ".join(row) for row in table)
    (grid,) = spaced.read(text)
    assert grid.row_breaks == ROWS_RELIABLE
    assert [row.texts for row in grid.rows] == table


@settings(max_examples=60, deadline=None)
@given(st.lists(_CELL.map(lambda c: c.replace("|", "/")), min_size=1, max_size=60))
def test_cell_lines_reads_any_cell_stream(cells):
    """Cells written one a line with a closing ` |` (an empty cell a `|`
    alone), or one a paragraph (an empty cell a no-break space), read back in
    order, one row each."""
    for text in (
        "\n".join(f"{c} |" if c else "|" for c in cells),
        "\n\n".join(c or "\u00a0" for c in cells),
    ):
        (grid,) = cell_lines.read(text)
        assert grid.row_breaks == ROWS_NONE
        assert [row.texts for row in grid.rows] == [[c] for c in cells]


@settings(max_examples=60, deadline=None)
@given(_TABLE.filter(lambda t: sum(max(0, sum(1 for c in row if c) - 1) for row in t) >= 16))
def test_spaced_never_splits_a_cell_of_a_table_with_expanded_tabs(table):
    """Any tab-separated table as a spreadsheet exports it (every row as wide,
    trailing tabs kept) expanded to tab stops of 8, once spaced recognises the
    tab stops (rows reliable; with fewer than ten gaps between two cells it
    reads the text as aligned columns): each line reads back as its cells, or
    with cells that a single space before a tab stop left undecided joined;
    never with a cell split where the table has none."""
    width = max(len(row) for row in table)
    table = [[c.replace("|", "/") for c in row] + [""] * (width - len(row)) for row in table]
    text = "\n".join("\t".join(row).expandtabs(8) for row in table)
    (grid,) = spaced.read(text)
    assume(grid.row_breaks == ROWS_RELIABLE)
    for row, cells in zip(grid.rows, (r for r in table if any(r)), strict=True):
        got, want = [c for c in row.texts if c], [c for c in cells if c]
        assert " ".join(got) == " ".join(want)
        assert len(got) <= len(want)
