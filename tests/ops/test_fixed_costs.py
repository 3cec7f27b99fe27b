"""A nightly `jixiao build` pays no fixed cost it does not need (issue 17, item 3).

- `jixiao --help` and `jixiao status` import none of the heavy libraries
  (dbt, Great Expectations, polars, DuckDB, pandas, pyspark);
- a build reuses the previous build's dbt parse (dbt's partial parsing), which
  dbt only does when the profile's connection values are the same: real
  builds, read through dbt's own log lines;
- the served landing zone shares the build's Parquet files (hard links), not
  copies of their bytes.

How long these take is the benchmark's business (bench/README.md), not a test's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import query, run_jixiao
from jixiao.paths import RAW_DIR
from jixiao.releases import Releases

HEAVY = {"dbt", "great_expectations", "polars", "duckdb", "pandas", "pyspark", "pyarrow", "streamlit"}
FULL_PARSE = "Unable to do partial parsing"
REUSED_PARSE = "Partial parsing enabled"  # dbt's debug line, in the build's dbt.log


def imported_packages(*args: str) -> set[str]:
    """The top-level packages `jixiao ARGS…` imports, from `python -X importtime`."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "jixiao.cli", *args],
        capture_output=True, text=True, env={**os.environ, "CI": "true"}, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = [line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert "jixiao.paths" in names, proc.stderr[-2000:]  # importtime did report
    return {name.split(".")[0] for name in names}


def test_help_imports_no_heavy_library():
    assert imported_packages("--help") & HEAVY == set()
    assert imported_packages("build", "--help") & HEAVY == set()


def test_status_imports_no_heavy_library(tmp_path):
    served = tmp_path / "jixiao.duckdb"
    assert imported_packages("status", "--db", str(served)) & HEAVY == set()
    status = run_jixiao("status", "--db", served)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "no builds recorded" in status.stdout


def dbt_log(build_dir: Path) -> str:
    return (build_dir / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nightly(tmp_path_factory) -> dict:
    """data/raw built, then one new document, built again, then `--full`."""
    root = tmp_path_factory.mktemp("nightly")
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    served = root / "served" / "jixiao.duckdb"
    first = run_jixiao("build", "--db", served, "--raw", raw)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    extra = root / "extra"
    made = run_jixiao("synth", "--forms", "5", "--seed", "17", "--out", extra)
    assert made.returncode == 0, made.stdout + made.stderr
    new = sorted((extra / "docs").iterdir())[0]
    shutil.copy(new, raw / "nightly.txt")
    second = run_jixiao("build", "--db", served, "--raw", raw)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    second_dir = Releases(served).last_build.resolve()

    full = run_jixiao("build", "--db", served, "--raw", raw, "--full")
    assert full.returncode == 0, full.stdout[-3000:] + full.stderr[-3000:]
    return {"served": served, "first": first, "second": second, "second_dir": second_dir, "full": full}


def test_the_first_build_parses_the_whole_project(nightly):
    assert f"{FULL_PARSE} because saved manifest not found" in nightly["first"].stdout


def test_a_nightly_build_reuses_the_previous_parse(nightly):
    second = nightly["second"]
    assert FULL_PARSE not in second.stdout, second.stdout[-3000:]
    assert REUSED_PARSE in dbt_log(nightly["second_dir"])
    # it is the nightly case: one new file parsed, and its forms are in the marts
    run = [r for r in Releases(nightly["served"]).history() if r["status"] == "success"][1]
    assert (run["files_new"], run["files_unchanged"]) == (1, 4)
    raw_forms = query(nightly["served"], "SELECT count(*) FROM raw.forms WHERE source_file = 'nightly.txt'")[0][0]
    assert raw_forms > 0
    assert query(nightly["served"], "SELECT count(*) FROM marts.fct_evaluation WHERE source_file = 'nightly.txt'") == [
        (raw_forms,)
    ]


def test_full_parses_the_whole_project_again(nightly):
    assert f"{FULL_PARSE} because saved manifest not found" in nightly["full"].stdout


def test_dbt_runs_on_the_build_through_one_path_and_the_served_file_is_a_file(nightly):
    releases = Releases(nightly["served"])
    newest = releases.kept()[0]
    assert releases.last_build.is_symlink() and releases.last_build.resolve() == newest.resolve()
    assert not nightly["served"].is_symlink()
    assert nightly["served"].samefile(newest / "jixiao.duckdb")
    assert releases.last_build not in releases.build_dirs()


def test_the_served_landing_zone_shares_the_builds_files(nightly):
    releases = Releases(nightly["served"])
    newest = releases.kept()[0]
    served_files = sorted(releases.landing.iterdir())
    assert served_files, "the landing zone is empty"
    for path in served_files:
        assert path.samefile(newest / "landing" / path.name)
