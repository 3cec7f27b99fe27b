"""A warehouse built the real way: data/raw/ ingested into a temporary DuckDB
file, then the real ``dbt build`` on it (models, unit tests, data tests) —
the session's ``bundled_build`` (tests/conftest.py), shared with tests/quality
and tests/spark. The quality suites ran on it too: marts also holds dq_findings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from jixiao.build import DbtOutcome


@dataclass(frozen=True)
class BuiltWarehouse:
    db_path: Path
    target_dir: Path
    outcome: DbtOutcome


@pytest.fixture(scope="session")
def built_warehouse(bundled_build) -> BuiltWarehouse:
    return BuiltWarehouse(bundled_build.db, bundled_build.target_dir, bundled_build.dbt)


class Warehouse:
    """Queries on a read-only connection to the built warehouse."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def rows(self, query: str, *params) -> list[tuple]:
        return self.con.execute(query, list(params)).fetchall()

    def one(self, query: str, *params) -> tuple:
        found = self.rows(query, *params)
        assert len(found) == 1, f"expected one row, got {len(found)}: {found}"
        return found[0]

    def scalar(self, query: str, *params):
        return self.one(query, *params)[0]

    def columns(self, schema: str, table: str) -> list[str]:
        return [
            name
            for (name,) in self.rows(
                "select column_name from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                schema,
                table,
            )
        ]


@pytest.fixture(scope="session")
def warehouse(built_warehouse: BuiltWarehouse) -> Iterator[Warehouse]:
    """The built warehouse, read-only."""
    assert built_warehouse.outcome.success, built_warehouse.outcome.failures
    con = duckdb.connect(str(built_warehouse.db_path), read_only=True)
    yield Warehouse(con)
    con.close()
