"""Incremental ingest: only new or changed files are parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ingest.pipeline import ingest
from jixiao.orchestrate import copy_warehouse
from jixiao.paths import RAW_DIR

TABULAR = ["000_0e1cca4759df0cce.txt", "002_42c27752b8eae618.txt", "003_dc4befe519062102.txt"]


def forms_by_file(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.sql("SELECT source_file, count(*) FROM raw.forms GROUP BY ALL").fetchall())


def test_new_changed_unchanged_and_removed_files(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in TABULAR[:2]:
        shutil.copy(RAW_DIR / name, folder / name)
    db = tmp_path / "j.duckdb"
    first = ingest([folder], db, incremental=True, prune_missing=True)
    assert (first.files_seen, first.files_new, first.files_unchanged) == (2, 2, 0)
    assert first.forms_landed == 32

    # nightly: one new file arrives, nothing else changed
    shutil.copy(RAW_DIR / TABULAR[2], folder / TABULAR[2])
    nightly = ingest([folder], db, incremental=True, prune_missing=True)
    assert (nightly.files_seen, nightly.files_new, nightly.files_changed, nightly.files_unchanged) == (3, 1, 0, 2)
    assert [r.source_file for r in nightly.results] == [TABULAR[2]]
    assert forms_by_file(db) == {TABULAR[0]: 2, TABULAR[1]: 30, TABULAR[2]: 7}

    # a corrected edition of 000 and the removal of 002
    text = (folder / TABULAR[0]).read_text(encoding="utf-8").replace("100\t98.42", "100\t98.40")
    (folder / TABULAR[0]).write_text(text, encoding="utf-8")
    (folder / TABULAR[1]).unlink()
    again = ingest([folder], db, incremental=True, prune_missing=True)
    assert (again.files_changed, again.files_removed, again.files_unchanged) == (1, 1, 1)
    assert forms_by_file(db) == {TABULAR[0]: 2, TABULAR[2]: 7}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM raw.indicators").fetchall() == [(41 + 28 + 10 + 8 + 14 + 14 + 13 + 13 + 12,)]


def test_a_build_from_a_copy_of_an_earlier_warehouse_parses_nothing_again(tmp_path):
    served = tmp_path / "served.duckdb"
    ingest([RAW_DIR / name for name in TABULAR], served)
    build = tmp_path / "build.duckdb"
    assert copy_warehouse(served, build)
    report = ingest([RAW_DIR / name for name in TABULAR], build, incremental=True)
    assert report.files_unchanged == 3 and report.results == []
    assert forms_by_file(build) == {TABULAR[0]: 2, TABULAR[1]: 30, TABULAR[2]: 7}


def test_an_unreadable_earlier_warehouse_is_not_copied_and_everything_is_parsed(tmp_path):
    served = tmp_path / "served.duckdb"
    served.write_bytes(b"not a duckdb file")
    build = tmp_path / "build.duckdb"
    assert not copy_warehouse(served, build)
    assert not build.exists()
    report = ingest([RAW_DIR / name for name in TABULAR], build, incremental=True)
    assert (report.files_new, report.forms_landed) == (3, 2 + 30 + 7)
