"""Steps the benchmark runs in their own process (``python -m bench.steps``).

Run as a module, not ``python -c``: pyspark (the optional Spark extra, which
Great Expectations imports when it is installed) exits a process whose
``__main__`` has neither ``__spec__`` nor ``__file__``, taking it for doctests.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The tables of ingest.landing.SCHEMAS, named here rather than imported: the floor
# step's process must hold DuckDB alone (no polars) for its memory to be the floor's.
TABLES = ("forms", "budget_lines", "indicators", "ingest_errors", "source_files")


def floor(db: Path, tsv: Path) -> int:
    """DuckDB's read_csv of the landed rows flattened to TSV: the bare cost of landing those bytes."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        for table in TABLES:
            con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv('{tsv / (table + '.tsv')}', delim='\t', header=true)"
            ).fetchall()
    return 0


def quality(db: Path, docs: Path) -> int:
    from quality.run import format_summary, run_quality

    report = run_quality(db, docs)
    print(format_summary(report))
    return 0 if report.gx_ok else 2


if __name__ == "__main__":
    step, *args = sys.argv[1:]
    sys.exit({"floor": floor, "quality": quality}[step](*map(Path, args)))
