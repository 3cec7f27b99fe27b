"""Helpers shared by the tests: run the real `jixiao` command, read a warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb


def run_jixiao(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`jixiao ARGS…` in a subprocess, as in CI (plain progress lines)."""
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", **(env or {})},
        check=False,
    )


def run_ingest(db: Path, *paths: Path) -> subprocess.CompletedProcess:
    return run_jixiao("ingest", "--db", db, *paths)


def query(db: Path, sql: str, **params) -> list[tuple]:
    """Rows of a query on a warehouse opened read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql, params=params or None).fetchall()
