"""Shared fixtures: the bundled documents and a warehouse built from them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jixiao.paths import RAW_DIR

if TYPE_CHECKING:  # imported in the fixture: collecting tests that never build stays quick
    from ingest.pipeline import IngestReport
    from jixiao.build import DbtOutcome
    from quality.report import QualityReport

DOCS = {
    "2020": RAW_DIR / "000_0e1cca4759df0cce.txt",
    "2022": RAW_DIR / "001_13e9ac82ec5acbf2.txt",
    "minhang": RAW_DIR / "002_42c27752b8eae618.txt",
    "training_center": RAW_DIR / "003_dc4befe519062102.txt",
}


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW_DIR


@dataclass(frozen=True)
class BundledBuild:
    """data/raw/ built once, as ``jixiao build`` does, in a folder of its own."""

    db: Path  # the warehouse: raw, marts and marts.dq_findings
    target_dir: Path  # dbt's target/ (run_results.json, manifest.json)
    landing: Path  # ingest's Parquet landing zone, beside the warehouse
    docs_dir: Path  # the quality suites' data docs
    ingest: IngestReport
    dbt: DbtOutcome
    quality: QualityReport


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> BundledBuild:
    """Ingest → ``dbt build`` → the quality suites on data/raw/, in process.

    No assertions here: the tests (and the fixtures derived from this one in
    tests/dbt, tests/quality and tests/spark) check each outcome.
    """
    from ingest.pipeline import landing_dir_for
    from jixiao.build import run_dbt, run_ingest
    from quality.run import run_quality

    folder = tmp_path_factory.mktemp("bundled_build")
    db = folder / "jixiao.duckdb"
    ingest = run_ingest(db)
    dbt = run_dbt(["build"], db, target_dir=folder / "target")
    quality = run_quality(db, folder / "quality_docs")
    return BundledBuild(
        db=db,
        target_dir=folder / "target",
        landing=landing_dir_for(db),
        docs_dir=folder / "quality_docs",
        ingest=ingest,
        dbt=dbt,
        quality=quality,
    )
