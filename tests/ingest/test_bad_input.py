"""Bad input never crashes a batch and never loses data.

Each case is a real file written to a temporary folder and ingested by the
real `jixiao ingest` command into a real DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clitools import query, run_ingest
from jixiao.paths import RAW_DIR

MINHANG = RAW_DIR / "002_42c27752b8eae618.txt"
CITY_2020 = RAW_DIR / "000_0e1cca4759df0cce.txt"


def minhang_lines() -> list[str]:
    return MINHANG.read_text(encoding="utf-8").split("\n")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_empty_binary_and_formless_files_are_recorded_and_good_files_still_land(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary")
    (folder / "notes.txt").write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    (folder / CITY_2020.name).write_bytes(CITY_2020.read_bytes())
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, folder)

    assert proc.returncode == 1
    assert "4 files, 2 forms landed, 3 rejected" in proc.stdout
    errors = query(db, "SELECT source_file, form_seq, error_code FROM raw.ingest_errors ORDER BY source_file")
    assert errors == [
        ("empty.txt", None, "empty_file"),
        ("notes.txt", None, "no_form"),
        # a file that begins as a PDF is read as one now (issue 14): these bytes are no PDF's
        ("scan.pdf", None, "corrupt_pdf"),
    ]
    for source, code in (("empty.txt", "empty_file"), ("scan.pdf", "corrupt_pdf"), ("notes.txt", "no_form")):
        assert f"rejected {source} ({code})" in proc.stdout
    assert query(db, "SELECT count(*) FROM raw.forms") == [(2,)]


@pytest.mark.parametrize(
    ("case", "seq", "code", "line"),
    [
        # form 1 of 002: 年度资金总额 49.52 misprinted as 49.5x2 (line 10)
        ("unreadable_number", 1, "unreadable_number", 10),
        # form 2: its 总分 row (line 46) is gone
        ("missing_total", 2, "missing_total", None),
        # form 3: every indicator row (lines 62-71) is gone
        ("missing_indicators", 3, "missing_indicator_table", None),
        # form 4: a weight that is not a number (line 90: 10.00 -> 1O.00)
        ("unreadable_weight", 4, "unreadable_indicator_row", 90),
    ],
)
def test_a_broken_form_is_rejected_whole_and_the_others_land(tmp_path, case, seq, code, line):
    lines = minhang_lines()
    if case == "unreadable_number":
        lines[9] = lines[9].replace("49.52", "49.5x2", 1)
    elif case == "missing_total":
        assert lines[45].startswith("总分")
        del lines[45]
    elif case == "missing_indicators":
        assert lines[61].startswith("一级指标") and lines[71].startswith("总分")
        del lines[62:71]
    elif case == "unreadable_weight":
        assert "公务员招录系统及设备准备完成率" in lines[89]
        lines[89] = lines[89].replace("10.00", "1O.00", 1)
    path = write(tmp_path / "minhang.txt", lines)
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, path)

    assert proc.returncode == 1
    assert "29 forms landed, 1 rejected" in proc.stdout
    errors = query(db, "SELECT form_seq, error_code, line_no, message FROM raw.ingest_errors WHERE severity = 'error'")
    assert len(errors) == 1
    got_seq, got_code, got_line, message = errors[0]
    assert (got_seq, got_code) == (seq, code)
    if line is not None:
        assert got_line == line
    assert message
    assert f"form {seq}" in proc.stdout and code in proc.stdout
    # nothing of the rejected form landed anywhere
    assert query(db, "SELECT count(*) FROM raw.forms WHERE form_seq = $s", s=seq) == [(0,)]
    assert query(db, "SELECT count(DISTINCT form_id) FROM raw.budget_lines") == [(29,)]
    assert query(db, "SELECT count(DISTINCT form_id) FROM raw.indicators") == [(29,)]


def test_truncated_file_keeps_its_complete_forms(tmp_path):
    lines = minhang_lines()
    # cut inside form 2's indicator table (after line 40)
    path = write(tmp_path / "truncated.txt", lines[:40])
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, path)

    assert proc.returncode == 1
    assert query(db, "SELECT form_seq, project_name FROM raw.forms") == [(1, "闵行区创新创业大赛专项经费")]
    # a form the document's end cuts off is `truncated` (issue 13: refused saying what is missing and where)
    assert query(db, "SELECT form_seq, error_code FROM raw.ingest_errors WHERE severity = 'error'") == [
        (2, "truncated")
    ]


def _landed(db: Path) -> list[tuple]:
    """Everything landed, without the ids that depend on the file's bytes."""
    return query(
        db,
        """
        SELECT f.form_seq, f.year, f.project_name, f.supervising_department, f.implementing_unit,
               f.total_score, f.grade, f.goal_planned, f.goal_actual,
               list((b.fund_source, b.initial_yuan, b.full_year_yuan, b.executed_yuan) ORDER BY b.fund_source),
               (SELECT list((i.indicator_seq, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
                             i.deviation_reason, i.line_no) ORDER BY i.indicator_seq)
                FROM raw.indicators i WHERE i.form_id = f.form_id)
        FROM raw.forms f JOIN raw.budget_lines b USING (form_id)
        GROUP BY ALL ORDER BY f.form_seq
        """,
    )


def test_gbk_and_crlf_copies_land_the_same_forms(tmp_path):
    text = MINHANG.read_text(encoding="utf-8")
    gbk = tmp_path / "gbk" / "minhang.txt"
    crlf = tmp_path / "crlf" / "minhang.txt"
    bom = tmp_path / "bom" / "minhang.txt"
    for path in (gbk, crlf, bom):
        path.parent.mkdir()
    gbk.write_bytes(text.encode("gb18030"))
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    dbs = {}
    for name, path in (("utf8", MINHANG), ("gbk", gbk), ("crlf", crlf), ("bom", bom)):
        dbs[name] = tmp_path / f"{name}.duckdb"
        assert run_ingest(dbs[name], path).returncode == 0

    reference = _landed(dbs["utf8"])
    assert len(reference) == 30
    for name in ("gbk", "crlf", "bom"):
        assert _landed(dbs[name]) == reference, name
    assert query(dbs["gbk"], "SELECT encoding FROM raw.source_files") == [("gb18030",)]
    assert query(dbs["bom"], "SELECT encoding FROM raw.source_files") == [("utf-8-bom",)]
