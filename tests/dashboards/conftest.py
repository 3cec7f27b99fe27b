"""Warehouses for the dashboard tests, built the real way in a subprocess
(ingest -> dbt build -> quality checks), and the app under Streamlit's AppTest.

- ``full``: every document in data/raw/, with marts.dq_findings and the Data Docs.
- ``training_center``: only the 上海市干部培训中心 document, no quality run
  (the warehouse a second build swaps in; and a warehouse without dq_findings).

Builds run in their own process: dbt-duckdb and GX keep DuckDB handles open in
the process that ran them, and a process may open one DuckDB file with one
configuration only (the dashboard's is read-only with external access off).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.connection import get_warehouse
from jixiao.paths import PROJECT_ROOT, RAW_DIR

APP = PROJECT_ROOT / "dashboards" / "app.py"
TRAINING_CENTER_DOC = RAW_DIR / "003_dc4befe519062102.txt"

_BUILD = """
import sys
from pathlib import Path
from jixiao.build import run_dbt, run_ingest
db, work, with_quality, *sources = sys.argv[1:]
db, work = Path(db), Path(work)
run_ingest(db, [Path(s) for s in sources])
outcome = run_dbt(["build"], db, target_dir=work / "target")
assert outcome.success, outcome.summary
if with_quality == "yes":
    from quality.run import run_quality
    report = run_quality(db, work / "quality_docs")
    assert report.gx_ok, report.errors
"""


@dataclass(frozen=True)
class Built:
    db: Path
    workdir: Path

    @property
    def data_docs(self) -> Path:
        return self.workdir / "quality_docs" / "index.html"

    def sql(self, query: str, params: dict | None = None) -> pl.DataFrame:
        """A query on the marts, written in the test (independent of dashboards/queries.py),
        over the same read-only connection the app uses in this process."""
        return get_warehouse(self.db).query(query, params).with_columns(pl.col(pl.Decimal).cast(pl.Float64))

    def scalar(self, query: str, params: dict | None = None):
        return self.sql(query, params).item()


def build(workdir: Path, sources: list[Path], *, quality: bool) -> Built:
    db = workdir / "jixiao.duckdb"
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(db), str(workdir), "yes" if quality else "no", *map(str, sources)],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Built(db, workdir)


@pytest.fixture(scope="session")
def full(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("dash_full"), [RAW_DIR], quality=True)


@pytest.fixture(scope="session")
def training_center(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("dash_training_center"), [TRAINING_CENTER_DOC], quality=False)


@pytest.fixture
def app(full: Built, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app (entry script) over the full warehouse, not yet run."""
    monkeypatch.setenv("JIXIAO_DB", str(full.db))
    monkeypatch.setenv("JIXIAO_DATA_DOCS", str(full.data_docs))
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
