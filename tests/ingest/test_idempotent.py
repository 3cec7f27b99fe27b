"""Re-running an ingest is idempotent; changed files replace their forms."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ingest.pipeline import ingest
from jixiao.paths import RAW_DIR

CITY_2020 = RAW_DIR / "000_0e1cca4759df0cce.txt"


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.sql(f"SELECT count(*) FROM raw.{t}").fetchall()[0][0]
            for t in ("forms", "budget_lines", "indicators", "source_files")
        }


def test_ingesting_the_same_file_twice_leaves_one_copy(tmp_path):
    db = tmp_path / "j.duckdb"
    ingest([CITY_2020], db)
    first = counts(db)
    ingest([CITY_2020], db)
    # 2 forms, 4 fund sources each, 41 + 28 indicators
    assert counts(db) == first == {"forms": 2, "budget_lines": 8, "indicators": 69, "source_files": 1}


def test_same_content_gives_the_same_form_ids(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    ingest([CITY_2020], a)
    ingest([CITY_2020], b)
    ids = []
    for db in (a, b):
        with duckdb.connect(str(db), read_only=True) as con:
            ids.append(con.sql("SELECT form_id FROM raw.forms ORDER BY form_seq").fetchall())
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 2


def test_a_changed_file_replaces_its_earlier_forms(tmp_path):
    db = tmp_path / "j.duckdb"
    path = tmp_path / CITY_2020.name
    shutil.copy(CITY_2020, path)
    ingest([path], db)
    # the second form's total score is corrected in a new edition of the file
    path.write_text(CITY_2020.read_text(encoding="utf-8").replace("100\t98.42", "100\t98.40"), encoding="utf-8")
    ingest([path], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql("SELECT form_seq, total_score FROM raw.forms ORDER BY form_seq").fetchall()
        orphans = con.sql(
            "SELECT count(*) FROM raw.indicators WHERE form_id NOT IN (SELECT form_id FROM raw.forms)"
        ).fetchall()
    assert [(s, str(t)) for s, t in rows] == [(1, "92.1400"), (2, "98.4000")]
    assert orphans == [(0,)]
    assert counts(db)["indicators"] == 69


def test_different_files_with_the_same_project_are_kept_apart(tmp_path):
    db = tmp_path / "j.duckdb"
    other = tmp_path / "copy_from_another_archive.txt"
    other.write_text(CITY_2020.read_text(encoding="utf-8").replace("92.14", "92.15"), encoding="utf-8")
    ingest([CITY_2020, other], db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "SELECT source_file, count(DISTINCT form_id) FROM raw.forms "
            "WHERE project_name = '公务员管理工作经费' GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert rows == [(CITY_2020.name, 1), (other.name, 1)]
    assert counts(db)["forms"] == 4
