"""The ``jixiao`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jixiao.paths import RAW_DIR, warehouse_path


SPARK_EXTRA = "pip install -e '.[spark]'"


def spark_conf(args: argparse.Namespace) -> dict[str, str]:
    """The Spark settings (``--conf``) of a command run with ``--engine spark``.
    Raises ValueError, with the message for the user, for Spark options
    without ``--engine spark``, a malformed ``--conf``, or no Spark extra."""
    spark_options = [f"--{name}" for name in ("master", "conf", "landing") if getattr(args, name, None)]
    if args.engine != "spark":
        if spark_options:
            raise ValueError(f"{' and '.join(spark_options)} only apply with --engine spark")
        return {}
    try:
        from jixiao.spark import parse_conf
    except ImportError as err:
        raise ValueError(f"--engine spark needs the Spark extra ({SPARK_EXTRA}): {err}") from err
    return parse_conf(args.conf or [])


def _add_engine_options(p: argparse.ArgumentParser, duckdb_does: str, spark_does: str) -> None:
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help=f"duckdb: {duckdb_does} (default); spark: {spark_does} ({SPARK_EXTRA})")
    p.add_argument("--master", help="spark: master URL (default: $JIXIAO_SPARK_MASTER or local[*])")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="spark: a Spark setting (repeatable)")


def _add_limit_options(p: argparse.ArgumentParser) -> None:
    from ingest.limits import Limits

    d = Limits()
    p.add_argument("--file-timeout", type=float, metavar="S",
                   help=f"seconds one file may take to parse (default: $JIXIAO_FILE_TIMEOUT or {d.file_timeout:g})")
    p.add_argument("--file-memory", type=int, metavar="MB",
                   help=f"memory one file's parse may take, in MB (default: $JIXIAO_FILE_MEMORY or {d.file_memory})")
    p.add_argument("--max-file-size", type=int, metavar="MB",
                   help=f"larger files are refused unread (default: $JIXIAO_MAX_FILE_SIZE or {d.max_file_size})")
    p.add_argument("--workers", type=int, metavar="N",
                   help=f"files parsed at the same time (default: $JIXIAO_WORKERS or {d.workers})")


def limits_of(args: argparse.Namespace):
    """The per-file limits of a command: its flags, else the environment, else
    the defaults. Raises ValueError, with the message for the user."""
    from ingest.limits import Limits

    return Limits.from_env(**{name: getattr(args, name, None)
                              for name in ("file_timeout", "file_memory", "max_file_size", "workers")})


def _ingest(args: argparse.Namespace) -> int:
    try:
        conf = spark_conf(args)
        limits = limits_of(args)
    except ValueError as err:
        print(f"jixiao ingest: {err}", file=sys.stderr)
        return 2
    if args.engine == "spark":
        from jixiao.spark import ingest_command

        return ingest_command(args, conf, limits)
    from ingest.pipeline import ingest
    from jixiao.progress import Progress

    paths = [Path(p) for p in args.paths] or [RAW_DIR]
    db = warehouse_path(args.db)
    progress = Progress()
    try:
        report = ingest(paths, db, on_start=progress.start, on_done=progress, limits=limits)
    except FileNotFoundError as err:  # a path given that does not exist: nothing was written
        print(f"jixiao ingest: {err}", file=sys.stderr)
        return 2
    print_ingest_summary(report)
    return report.exit_code


def print_ingest_summary(report) -> None:
    results = report.results
    print(
        f"ingest: {len(results)} files, {report.forms_landed} forms landed, "
        f"{len({(f, i.form_seq) for f, i in report.rejections})} rejected, {len(report.warnings)} warnings"
    )
    print_rejections(report.rejections)
    print(f"warehouse: {report.db_path}  (tables raw.forms, raw.budget_lines, raw.indicators, raw.ingest_errors)")
    if report.landing_files:
        print(f"landing zone: {report.landing_files[0].parent}")


def print_rejections(rejections) -> None:
    """One line per rejected file or form: where, and why."""
    for source, issue in rejections:
        where = f"form {issue.form_seq}, " if issue.form_seq else ""
        line = f"line {issue.line_no}: " if issue.line_no else ""
        print(f"  rejected {source} ({where}{line}{issue.code}): {issue.message}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="jixiao (绩效): fiscal performance self-evaluation warehouse")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse documents and land their forms in the raw schema")
    p.add_argument("paths", nargs="*", help="files or folders (default: data/raw/)")
    p.add_argument("--db", help="DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    _add_engine_options(p, "parse on this machine, land in --db and its landing/",
                        "parse in Spark tasks, land the Parquet landing zone only")
    p.add_argument("--landing", help="spark: the Parquet landing zone, a folder or URI (default: landing/ beside --db)")
    _add_limit_options(p)
    p.set_defaults(func=_ingest)

    p = sub.add_parser(
        "build",
        help="build a new warehouse from data/raw/ (ingest, dbt build, quality checks) and swap it in atomically",
    )
    p.add_argument("--db", help="the served DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    p.add_argument("--raw", help="folder of source documents (default: data/raw/)")
    p.add_argument("--wait", action="store_true", help="wait for a running build instead of exiting at once")
    p.add_argument("--full", action="store_true",
                   help="parse every file again and rebuild every model, instead of only the new or changed files "
                        "and the forms they touch")
    _add_engine_options(p, "ingest and dbt on this machine",
                        "ingest and dbt on Spark (always a full build), served as the same DuckDB file")
    _add_limit_options(p)
    p.set_defaults(func=_lazy("jixiao.orchestrate", "build_command"))

    p = sub.add_parser("rollback", help="serve the previous build again")
    p.add_argument("--db", help="the served DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    p.set_defaults(func=_lazy("jixiao.orchestrate", "rollback_command"))

    p = sub.add_parser("status", help="print the build history")
    p.add_argument("--db", help="the served DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    p.add_argument("--limit", type=int, default=20, help="how many builds to show (default 20)")
    p.set_defaults(func=_lazy("jixiao.orchestrate", "status_command"))

    p = sub.add_parser("docs", help="generate the dbt documentation site (target/)")
    p.add_argument("--db", help="DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    p.set_defaults(func=_lazy("jixiao.build", "docs_command"))

    p = sub.add_parser("dashboard", help="serve the Streamlit dashboard over the warehouse")
    p.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    p.add_argument("--db", help="DuckDB file (default: $JIXIAO_DB or data/jixiao.duckdb)")
    p.set_defaults(func=_lazy("dashboards.serve", "dashboard_command"))

    p = sub.add_parser("synth", help="write a synthetic corpus with an answer key (for tests and benchmarks)")
    p.add_argument("--forms", type=int, required=True, help="number of forms")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    p.add_argument("--out", required=True, help="output folder (docs/ and answer_key.json)")
    p.add_argument("--format", default="text", choices=["text", "xlsx", "xls", "ods", "docx", "html", "pdf"],
                   help="document format: text (default; tab-separated and pdftotext-style) or an office format "
                        "in the national template (xls, ods, pdf through LibreOffice headless)")
    p.set_defaults(func=_lazy("synth.corpus", "synth_command"))
    return parser


def _lazy(module: str, function: str):
    """Import a command's module only when that command runs (fast start-up)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), function)(args)

    return run


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status. Without ``argv`` this is
    the command line itself (the ``jixiao`` script, ``python -m jixiao.cli``):
    the process then ends as soon as the command is done (jixiao.process)."""
    args = build_parser().parse_args(argv)
    status = args.func(args)
    if argv is None:
        from jixiao.process import end_process

        end_process(status)
    return status


if __name__ == "__main__":
    sys.exit(main())
