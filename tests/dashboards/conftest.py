"""Warehouses for the dashboard tests, built the real way, and the app under Streamlit's AppTest.

- ``full``: ``jixiao build`` of data/raw/ (ingest, dbt build, quality checks, swap,
  ops.build_runs, Data Docs).
- ``training_center``: ``jixiao build`` of the 上海市干部培训中心 document alone
  (the warehouse a later build swaps in, in the connection tests).
- ``dbt_only``: ingest and ``dbt build`` without the quality step (no marts.dq_findings,
  no ops.build_runs), as a warehouse built by hand would be.

Builds run in their own processes: dbt-duckdb and GX keep DuckDB handles open in
the process that ran them, and a process may open one DuckDB file with one
configuration only (the dashboard's is read-only with external access off).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from clitools import run_jixiao
from dashboards.connection import get_warehouse
from jixiao.paths import PROJECT_ROOT, RAW_DIR

APP = PROJECT_ROOT / "dashboards" / "app.py"
TRAINING_CENTER_DOC = RAW_DIR / "003_dc4befe519062102.txt"
CITY_2020_DOC = RAW_DIR / "000_0e1cca4759df0cce.txt"

_DBT_ONLY = """
import sys
from pathlib import Path
from jixiao.build import run_dbt, run_ingest
db, work, *sources = map(Path, sys.argv[1:])
if __name__ == "__main__":
    run_ingest(db, sources)
    outcome = run_dbt(["build"], db, target_dir=work / "target")
    assert outcome.success, outcome.summary
"""


@dataclass(frozen=True)
class Built:
    db: Path

    def sql(self, query: str, params: dict | None = None) -> pl.DataFrame:
        """A query on the marts, written in the test (independent of dashboards/queries.py),
        over the same read-only connection the app uses in this process."""
        return get_warehouse(self.db).query(query, params).with_columns(pl.col(pl.Decimal).cast(pl.Float64))

    def scalar(self, query: str, params: dict | None = None):
        return self.sql(query, params).item()

    @property
    def data_docs(self) -> Path:
        """The Data Docs the build recorded in ops.build_runs."""
        return Path(self.scalar("SELECT data_docs FROM ops.build_runs ORDER BY finished_at DESC LIMIT 1"))


def jixiao_build(db: Path, raw: Path | None = None) -> Built:
    """``jixiao build --db DB [--raw DIR]``: the bundled documents land whole (exit 0)."""
    done = run_jixiao("build", "--db", db, *(["--raw", raw] if raw else []))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Built(db)


def raw_folder(folder: Path, *documents: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        shutil.copy(doc, folder / doc.name)
    return folder



@pytest.fixture(autouse=True)
def main_module_kept() -> Iterator[None]:
    """AppTest runs the page as this process's ``__main__`` and leaves it there;
    a worker process started later (ingest parses files in a pool) re-runs the
    parent's ``__main__`` first — the Streamlit page — and dies. Put it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def full(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return jixiao_build(tmp_path_factory.mktemp("dash_full") / "jixiao.duckdb")


@pytest.fixture(scope="session")
def training_center(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("dash_training_center")
    return jixiao_build(work / "jixiao.duckdb", raw_folder(work / "raw", TRAINING_CENTER_DOC))


@pytest.fixture(scope="session")
def dbt_only(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("dash_dbt_only")
    db = work / "jixiao.duckdb"
    done = subprocess.run(
        [sys.executable, "-c", _DBT_ONLY, str(db), str(work), str(TRAINING_CENTER_DOC)],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Built(db)


@pytest.fixture
def app(full: Built, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app (entry script) over the full warehouse, not yet run."""
    monkeypatch.setenv("JIXIAO_DB", str(full.db))
    yield AppTest.from_file(str(APP), default_timeout=60)


def run_clean(at: AppTest) -> AppTest:
    """Run and insist on no exception and no error box."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def frame(df_element) -> pl.DataFrame:
    """An st.dataframe element's data as polars."""
    return pl.from_pandas(df_element.value)


def table_by_columns(at: AppTest, *columns: str) -> pl.DataFrame:
    """The one dataframe on the page whose columns start with ``columns``."""
    found = [frame(d) for d in at.dataframe if list(frame(d).columns[: len(columns)]) == list(columns)]
    assert len(found) == 1, f"{len(found)} tables start with {columns}"
    return found[0]
