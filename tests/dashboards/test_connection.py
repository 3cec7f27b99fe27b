"""The dashboard's connection: read-only, locked down, and following a build's file swap."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from dashboards.connection import Warehouse, WarehouseUnavailable

from .conftest import Built


@pytest.fixture
def served(full: Built, tmp_path: Path) -> Path:
    """A private copy of the full warehouse, as if it were data/jixiao.duckdb."""
    path = tmp_path / "jixiao.duckdb"
    shutil.copy(full.db, path)
    return path


@pytest.fixture
def wh(served: Path):
    """The app's connection object on the served file, closed after the test."""
    warehouse = Warehouse(served)
    yield warehouse
    warehouse.close()


def forms(wh: Warehouse) -> int:
    return wh.query("SELECT count(*) AS n FROM marts.fct_evaluation").item()


@pytest.fixture
def n_full(full: Built) -> int:
    """Forms in the full warehouse (39 in the tab-separated documents, plus the 2022 document's)."""
    return full.scalar("SELECT count(*) FROM marts.fct_evaluation")


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE marts.x AS SELECT 1 AS a",
        "DELETE FROM marts.fct_evaluation",
        "ATTACH '{other}' AS other",
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY marts.fct_evaluation TO '{out}'",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
    ],
)
def test_no_statement_can_write_attach_or_read_other_files(
    wh: Warehouse, training_center: Built, tmp_path: Path, statement: str, n_full: int
) -> None:
    sql = statement.format(other=training_center.db, out=tmp_path / "leak.csv")
    with pytest.raises(duckdb.Error):
        wh.query(sql)
    assert not (tmp_path / "leak.csv").exists()
    assert forms(wh) == n_full  # the connection still serves the marts afterwards


def test_other_readers_are_not_blocked(wh: Warehouse, served: Path, n_full: int) -> None:
    """The app takes a reader's lock only: other readers are never blocked. (A writer on the
    same file would be; builds therefore write a new file and swap it in — next test.)"""
    assert forms(wh) == n_full
    other = subprocess.run(
        [sys.executable, "-c",
         "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True);"
         "print(c.sql('select count(*) from marts.fct_evaluation').fetchall()[0][0])", str(served)],
        capture_output=True, text=True,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == str(n_full)


def test_after_os_replace_the_next_query_reads_the_new_file(
    wh: Warehouse, served: Path, training_center: Built, tmp_path: Path, n_full: int
) -> None:
    assert forms(wh) == n_full and wh.opened == 1
    staged = tmp_path / "jixiao.duckdb.new"
    shutil.copy(training_center.db, staged)
    os.replace(staged, served)  # what a build does at its end
    # the 7 forms of 上海市干部培训中心 (data/raw/003…), not those of the old file
    assert forms(wh) == 7
    assert wh.opened == 2
    assert forms(wh) == 7 and wh.opened == 2  # no reopening while the file is unchanged


def test_a_swap_waits_for_queries_running_on_the_old_file(
    wh: Warehouse, served: Path, training_center: Built, tmp_path: Path, n_full: int
) -> None:
    holding, release, seen = threading.Event(), threading.Event(), []
    try:

        def long_reader() -> None:
            with wh.cursor() as cur:
                holding.set()
                release.wait(10)
                seen.append(cur.sql("SELECT count(*) FROM marts.fct_evaluation").fetchall()[0][0])

        reader = threading.Thread(target=long_reader)
        reader.start()
        assert holding.wait(10)
        shutil.copy(training_center.db, tmp_path / "b.duckdb")
        os.replace(tmp_path / "b.duckdb", served)
        newer = threading.Thread(target=lambda: seen.append(forms(wh)))
        newer.start()
        newer.join(0.5)
        assert newer.is_alive(), "a query on the new file must wait for the running one"
        release.set()
        reader.join(10)
        newer.join(10)
        assert seen == [n_full, 7]  # the running query finished on the old file, the next saw the new one
    finally:
        release.set()


def test_missing_warehouse_is_reported(tmp_path: Path) -> None:
    with pytest.raises(WarehouseUnavailable):
        Warehouse(tmp_path / "nothing.duckdb").query("SELECT 1")
