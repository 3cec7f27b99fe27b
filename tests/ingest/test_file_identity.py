"""A file's identity: its path relative to the folder given to `jixiao ingest`.

Same-named files in different subfolders never collide; a flat folder keeps
today's names; a file named directly keeps its name; the same content under
a new name (a file moved to another subfolder) replaces its old rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from clitools import query, run_ingest
from ingest.pipeline import ingest
from jixiao.orchestrate import copy_warehouse
from jixiao.paths import RAW_DIR

CITY_2020 = RAW_DIR / "000_0e1cca4759df0cce.txt"  # 2 forms: 公务员管理工作经费, 组织部门建设和管理工作经费
CENTER = RAW_DIR / "003_dc4befe519062102.txt"  # 7 forms


def landed(db: Path) -> list[tuple]:
    return query(db, "SELECT source_file, count(*) FROM raw.forms GROUP BY ALL ORDER BY 1")


def test_same_named_files_in_different_subfolders_both_land_under_their_relative_paths(tmp_path):
    folder = tmp_path / "raw"
    for sub, source in (("2020", CITY_2020), ("2023", CENTER)):
        (folder / sub).mkdir(parents=True)
        shutil.copy(source, folder / sub / "自评表.txt")
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, folder)

    assert proc.returncode == 0, proc.stdout
    assert landed(db) == [("2020/自评表.txt", 2), ("2023/自评表.txt", 7)]
    assert query(db, "SELECT source_file FROM raw.source_files ORDER BY 1") == [("2020/自评表.txt",), ("2023/自评表.txt",)]
    assert "parsed 2023/自评表.txt: 7 forms landed" in proc.stderr + proc.stdout


def test_a_file_named_directly_keeps_its_name(tmp_path):
    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    shutil.copy(CITY_2020, nested / "a.txt")
    db = tmp_path / "j.duckdb"
    assert run_ingest(db, nested / "a.txt").returncode == 0
    assert landed(db) == [("a.txt", 2)]


def test_a_file_moved_to_another_subfolder_replaces_its_old_rows(tmp_path):
    folder = tmp_path / "raw"
    (folder / "inbox").mkdir(parents=True)
    (folder / "2020").mkdir()
    shutil.copy(CITY_2020, folder / "inbox" / "city.txt")
    shutil.copy(CENTER, folder / "2020" / "center.txt")
    db = tmp_path / "j.duckdb"
    assert run_ingest(db, folder).returncode == 0
    ids_before = query(db, "SELECT form_id FROM raw.forms WHERE source_file = 'inbox/city.txt' ORDER BY 1")

    # filed away under 2020/ and renamed: the same content, a new name
    (folder / "inbox" / "city.txt").rename(folder / "2020" / "city_2020.txt")
    assert run_ingest(db, folder).returncode == 0
    assert landed(db) == [("2020/center.txt", 7), ("2020/city_2020.txt", 2)]
    assert query(db, "SELECT form_id FROM raw.forms WHERE source_file = '2020/city_2020.txt' ORDER BY 1") == ids_before
    assert query(db, "SELECT count(*) FROM raw.forms WHERE source_file = 'inbox/city.txt'") == [(0,)]


def test_incremental_ingest_of_subfolders_parses_only_new_and_changed_files(tmp_path):
    folder = tmp_path / "raw"
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True)
        shutil.copy(CITY_2020, folder / sub / "form.txt")
    # b/form.txt must differ from a/form.txt: the same content is one set of forms
    text = (folder / "b" / "form.txt").read_text(encoding="utf-8").replace("100\t98.42", "100\t98.40")
    (folder / "b" / "form.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "j.duckdb"
    first = ingest([folder], db, incremental=True, prune_missing=True)
    assert (first.files_new, first.forms_landed) == (2, 4)

    (folder / "c").mkdir()
    shutil.copy(CENTER, folder / "c" / "form.txt")
    again = ingest([folder], db, incremental=True, prune_missing=True)
    assert (again.files_seen, again.files_new, again.files_unchanged) == (3, 1, 2)
    assert [r.source_file for r in again.results] == ["c/form.txt"]

    (folder / "a" / "form.txt").unlink()
    pruned = ingest([folder], db, incremental=True, prune_missing=True)
    assert (pruned.files_removed, pruned.files_unchanged) == (1, 2)
    assert landed(db) == [("b/form.txt", 2), ("c/form.txt", 7)]

    # a build starts from a byte copy of this warehouse: nothing to parse again
    build = tmp_path / "build.duckdb"
    assert copy_warehouse(db, build)
    seeded = ingest([folder], build, incremental=True, prune_missing=True)
    assert (seeded.files_unchanged, seeded.results) == (2, [])
    assert landed(build) == [("b/form.txt", 2), ("c/form.txt", 7)]


def test_two_copies_of_the_same_content_land_its_forms_once(tmp_path):
    folder = tmp_path / "raw"
    for sub in ("inbox", "archive"):
        (folder / sub).mkdir(parents=True)
        shutil.copy(CENTER, folder / sub / "center.txt")
    db = tmp_path / "j.duckdb"
    assert run_ingest(db, folder).returncode == 0
    # the later copy (inbox/ sorts after archive/) replaced the earlier one, as a renamed file would
    assert landed(db) == [("inbox/center.txt", 7)]
    assert query(db, "SELECT count(*), count(DISTINCT form_id) FROM raw.forms") == [(7, 7)]
    assert query(db, "SELECT count(*) FROM raw.indicators") == query(
        db, "SELECT count(*) FROM (SELECT DISTINCT form_id, indicator_seq FROM raw.indicators)")


def test_a_copy_of_landed_content_under_another_name_stays_put_across_nightly_runs(tmp_path):
    """Re-running is idempotent: a second copy of content already landed under a name still in the
    folder is left as it is, so the forms do not move between the two names from one run to the next."""
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(CENTER, folder / "center.txt")
    db = tmp_path / "j.duckdb"
    ingest([folder], db, incremental=True, prune_missing=True)
    shutil.copy(CENTER, folder / "copy_of_center.txt")
    for _ in range(2):
        report = ingest([folder], db, incremental=True, prune_missing=True)
        assert (report.files_seen, report.files_unchanged, len(report.results)) == (2, 2, 0)
        assert landed(db) == [("center.txt", 7)]
