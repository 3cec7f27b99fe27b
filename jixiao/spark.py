"""jixiao on Apache Spark: the session, and ``jixiao ingest --engine spark``.

Locally Spark runs in this process's JVM (``local[*]``: every core), fully
offline: no packages are downloaded, the UI is off, the driver binds to
127.0.0.1. ``--master`` (or ``$JIXIAO_SPARK_MASTER``) points at a cluster
(``spark://host:7077``, ``yarn``, ``k8s://…``); other settings come from
``--conf KEY=VALUE`` or the usual ``$SPARK_CONF_DIR/spark-defaults.conf``.
On a cluster, the executors need Python with polars and pyarrow; jixiao
ships its parsers (the ``ingest`` package) to them itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyspark.sql import SparkSession

from jixiao.cli import print_rejections
from jixiao.paths import PROJECT_ROOT, RAW_DIR, warehouse_path

LOCAL_MASTER = "local[*]"
# Settings every jixiao session gets: UTC, and Parquet timestamps as DuckDB
# writes them (INT64 microseconds, adjusted to UTC) rather than Spark's INT96.
SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
# Only for a local session: no UI, no network beyond the loopback, the
# driver has room for 100k forms.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.memory": "2g",
    "spark.sql.shuffle.partitions": "8",
}


def master_url(master: str | None = None) -> str:
    return master or os.environ.get("JIXIAO_SPARK_MASTER") or LOCAL_MASTER


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def parse_conf(items: Iterable[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings (``--conf``) as a dict."""
    conf = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--conf wants KEY=VALUE, got {item!r}")
        conf[key.strip()] = value
    return conf


def spark_session(
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    warehouse_dir: Path | None = None,
) -> SparkSession:
    """The jixiao Spark session (created once per process; dbt-spark's
    ``method: session`` picks up the same one)."""
    master = master_url(master)
    settings = {**SESSION_CONF, **(LOCAL_CONF if is_local(master) else {})}
    # Spark's stage bars on a terminal only, as jixiao's own progress bar
    settings["spark.ui.showConsoleProgress"] = str(sys.stderr.isatty() and not os.environ.get("CI")).lower()
    if warehouse_dir is not None:
        settings["spark.sql.warehouse.dir"] = str(Path(warehouse_dir).resolve())
    settings.update(conf or {})
    if is_local(master):
        # the Python workers run this interpreter (it has polars and jixiao);
        # pyspark reads this when it starts the JVM's Python runners
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # as spark.driver.host; no hostname lookup warning
    builder = SparkSession.builder.master(master).appName("jixiao")
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not is_local(master):
        ship_parsers(spark)
    return spark


def ship_parsers(spark: SparkSession) -> None:
    """Send the ``ingest`` package to the executors (a zip on their path)."""
    package = PROJECT_ROOT / "ingest"
    archive = Path(tempfile.mkdtemp(prefix="jixiao-spark-")) / "jixiao_ingest.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(package.rglob("*.py")):
            zf.write(path, path.relative_to(PROJECT_ROOT).as_posix())
    spark.sparkContext.addPyFile(str(archive))


def print_spark_ingest_summary(report) -> None:
    print(
        f"ingest (spark): {report.files} files, {report.forms_landed} forms landed, "
        f"{report.forms_rejected} rejected, {report.warning_count} warnings, {report.seconds:.1f} s"
    )
    print_rejections(report.rejections)
    if report.forms_rejected > len(report.rejections):
        print(f"  … every rejection is in {report.landing_dir}/ingest_errors.parquet")
    print(f"landing zone: {report.landing_dir}  (Parquet: {', '.join(Path(f).stem for f in report.landing_files)})")


def ingest_command(args: argparse.Namespace, conf: Mapping[str, str], limits=None) -> int:
    """``jixiao ingest --engine spark [PATH ...] [--master URL] [--conf K=V] [--landing DIR]``
    (``conf``: the parsed ``--conf``, see jixiao.cli.spark_conf)."""
    from ingest.engines.spark import ingest_spark, is_uri
    from ingest.pipeline import landing_dir_for

    paths = list(args.paths) or [RAW_DIR]
    landing = args.landing or landing_dir_for(warehouse_path(args.db))
    try:
        missing = next((p for p in paths if not is_uri(p) and not Path(p).exists()), None)
        if missing is not None:  # before Spark starts
            raise FileNotFoundError(f"no such file or folder: {missing}")
        spark = spark_session(args.master, conf)
        try:
            report = ingest_spark(spark, paths, landing, limits=limits)
        finally:
            spark.stop()
    except (FileNotFoundError, ValueError) as err:
        print(f"jixiao ingest: {err}", file=sys.stderr)
        return 2
    print_spark_ingest_summary(report)
    return report.exit_code
