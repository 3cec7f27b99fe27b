"""The Great Expectations context: in memory, one SQL data source on the warehouse.

Nothing of GX is written into the repository: the context is ephemeral (its
suites come from :mod:`quality.rules`), and the only thing it writes is its
Data Docs site, into the directory the caller gives.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
import great_expectations.util as gx_util
import great_expectations.execution_engine.sqlalchemy_execution_engine as gx_sqlalchemy
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.datasource.fluent.interfaces import Batch
from great_expectations.datasource.fluent.sql_datasource import TableAsset
from great_expectations.validator.metrics_calculator import MetricsCalculator

MART_SCHEMA = "marts"
DATASOURCE_NAME = "jixiao_warehouse"
DOCS_SITE_NAME = "jixiao_quality"


class _DuckDBDialect(str, enum.Enum):
    """DuckDB's SQLAlchemy dialect name, in the shape GX's dialect tuple expects (a ``.value``)."""

    DUCKDB = "duckdb"


def keep_duckdb_connection() -> None:
    """Make GX keep one open connection for DuckDB, as it does for SQLite.

    GX 1.24 reads query results after closing the connection they came from
    unless the dialect is listed in ``_PERSISTED_CONNECTION_DIALECTS``; DuckDB
    isn't, and every SQL expectation then fails with ``MetricResolutionError:
    list index out of range`` (GX issues #10738, #11579). Idempotent.
    """
    dialects = gx_sqlalchemy._PERSISTED_CONNECTION_DIALECTS
    if _DuckDBDialect.DUCKDB not in dialects:
        gx_sqlalchemy._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDBDialect.DUCKDB)


def fast_decimal_serialisation() -> None:
    """Stop GX walking the call stack for every Decimal it serialises.

    GX 1.24's ``convert_decimal_to_float`` calls ``inspect.stack()`` for each
    Decimal in a validation result, only to tell whether its rule-based
    profiler is the caller (we never use it): at 10,000 forms that was 7 of
    the 12 seconds the checks took. With the profiler test answered "no" at
    once, the conversion itself is unchanged. Idempotent.
    """
    gx_util.stack = _no_frames


def _no_frames() -> list:
    return []


def quiet_unexpected_rows() -> None:
    """No progress bars when GX fetches a rule's unexpected rows.

    The context turns GX's progress bars off, but ``Batch.compute_metrics``
    (behind ``ValidationDefinition.get_unexpected_rows``, which
    quality.run calls when a rule has more than the 200 rows a result holds)
    builds its metrics calculator with ``show_progress_bars=True`` hard-coded
    in GX 1.24: a build over a large corpus wrote a tqdm bar per rule into its
    log. The calculator's own setter turns them off. Idempotent.
    """
    if getattr(Batch._get_metrics_calculator, "_jixiao_quiet", False):
        return
    build = Batch._get_metrics_calculator

    def quiet(self: Batch) -> MetricsCalculator:
        calculator = build(self)
        calculator.show_progress_bars = False
        return calculator

    quiet._jixiao_quiet = True  # type: ignore[attr-defined]
    Batch._get_metrics_calculator = quiet


@dataclass
class Warehouse:
    """A GX context reading the marts of one DuckDB file."""

    context: AbstractDataContext
    datasource: SQLDatasource
    batches: dict[str, BatchDefinition]  # mart table -> its whole-table batch


def _context_config(docs_dir: Path) -> DataContextConfig:
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            DOCS_SITE_NAME: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )


@contextmanager
def open_warehouse(db_path: Path, docs_dir: Path, tables: tuple[str, ...]) -> Iterator[Warehouse]:
    """A GX context with a read-only SQL data source on ``db_path`` and one asset per mart.

    On exit every DuckDB connection GX opened is closed, so the caller can open
    the file for writing in the same process (DuckDB refuses a second
    connection with another configuration while one is open).
    """
    keep_duckdb_connection()
    fast_decimal_serialisation()
    quiet_unexpected_rows()
    context = gx.get_context(project_config=_context_config(docs_dir), mode="ephemeral")
    datasource = context.data_sources.add_sql(
        name=DATASOURCE_NAME,
        connection_string=f"duckdb:///{db_path}",
        kwargs={"connect_args": {"read_only": True}},
    )
    try:
        batches = {
            table: _table_asset(datasource, table).add_batch_definition_whole_table(name=f"{table}_all")
            for table in tables
        }
        yield Warehouse(context=context, datasource=datasource, batches=batches)
    finally:
        _close(datasource)


def _table_asset(datasource: SQLDatasource, table: str) -> TableAsset:
    # GX 1.14 deprecated schema_name in favour of a schema in the connection
    # configuration, which a generic SQL data source on DuckDB has no way to
    # take (DuckDB refuses search_path as a connection option).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`schema_name` is deprecated", category=DeprecationWarning)
        return datasource.add_table_asset(name=table, table_name=table, schema_name=MART_SCHEMA)


def _close(datasource: SQLDatasource) -> None:
    """Close the persisted connection and dispose both engines GX made for the data source."""
    engine = datasource._execution_engine  # the validation engine, if one was made
    if engine is not None:
        if engine._connection is not None:
            engine._connection.close()
            engine._connection = None
        engine.engine.dispose()
    if datasource._engine is not None:  # the data source's own engine (asset checks)
        datasource._engine.dispose()
