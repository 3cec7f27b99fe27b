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


def lines(db: Path, folder: Path) -> int:
    """DuckDB's read_csv of every file below a folder as plain lines (one
    VARCHAR column, no quoting, a delimiter no text holds): the floor of the
    reading benchmark, the bare cost of getting those bytes into a table."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute(
            f"CREATE TABLE lines AS SELECT * FROM read_csv('{folder}/**/*', columns={{'line': 'VARCHAR'}}, "
            "delim='\x01', quote='', escape='', header=false, auto_detect=false, strict_mode=false)"
        ).fetchall()
        print(con.execute("SELECT count(*) FROM lines").fetchone()[0], "lines")
    return 0


def quality(db: Path, docs: Path) -> int:
    from quality.run import format_summary, run_quality

    report = run_quality(db, docs)
    print(format_summary(report))
    return 0 if report.gx_ok else 2


if __name__ == "__main__":
    step, *args = sys.argv[1:]
    sys.exit({"floor": floor, "lines": lines, "quality": quality}[step](*map(Path, args)))
