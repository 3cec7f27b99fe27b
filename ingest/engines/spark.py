"""Ingest on Apache Spark (``jixiao ingest --engine spark``).

Spark's ``binaryFile`` source reads the input files (local paths, or any
Hadoop file system URI: ``hdfs://``, ``s3a://``, ``abfss://``) and spreads
them over Spark tasks. Each task parses its files with the very functions the
DuckDB ingest uses, :func:`ingest.pipeline.parse_bytes` (bytes → parsed
forms) and :func:`ingest.landing.file_rows` (→ the rows of every ``raw``
table, decimals as exact text), and returns them as one wide Arrow batch,
each row tagged with its table. The driver splits the rows per table, casts
every column to its landing type (``ingest.landing.SCHEMAS``: the types of
the DuckDB ``raw`` tables) and writes the landing zone: one Parquet dataset
per table, ``<landing>/<table>.parquet`` (a folder of part files; the DuckDB
ingest writes a single file under the same name, and every Parquet reader
takes either).

Landing replaces what an earlier ingest landed from a file of the same name
or the same content and keeps the rest, as the DuckDB ingest does; each
table is written beside the old one and swapped in by renaming (atomic per
table on HDFS and local disks; object stores copy).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache, partial
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import polars as pl
import pyarrow as pa
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ingest.isolation import parse_in_process
from ingest.landing import DERIVED, NOW, SCHEMAS, FileResult, file_rows
from ingest.limits import Limits
from ingest.pipeline import discover
from ingest.records import Issue, Severity

TAG = "raw_table"  # which landing table a row of the wide transport batch belongs to
# budget_lines and indicators find their stale rows through the old forms,
# so they are replaced before forms is.
WRITE_ORDER = ("budget_lines", "indicators", "forms", "ingest_errors", "source_files")
# Files per Arrow batch handed to a parsing task (bounds a Python worker's memory).
FILES_PER_BATCH = 64
# Tasks per core: the files are spread over this many tasks per core (the
# forms of a file vary, so a few tasks per core even out the load).
TASKS_PER_CORE = 4


def parse_conf(spark: SparkSession) -> dict[str, str]:
    """Settings of the parse. Arrow batches of FILES_PER_BATCH files. The
    files named are listed by the driver (from 32 paths on, Spark lists them
    in a job of one task per path: 900 files, 900 tasks). A small file costs
    little to open: about TASKS_PER_CORE tasks per core, whatever the files'
    number (Spark's default, 4 MB a file, makes one task per 32 files)."""
    return {
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(FILES_PER_BATCH),
        "spark.sql.sources.parallelPartitionDiscovery.threshold": str(2**31 - 1),
        "spark.sql.files.openCostInBytes": str(16 * 1024),
        "spark.sql.files.minPartitionNum": str(TASKS_PER_CORE * spark.sparkContext.defaultParallelism),
    }


# Rejections kept for the report (all of them are in ingest_errors).
REPORT_REJECTIONS = 200

_ARROW = {pl.String: pa.string(), pl.Int32: pa.int32(), pl.Int64: pa.int64(), pl.Float64: pa.float64(),
          pl.Boolean: pa.bool_()}
_SPARK = {pa.string(): T.StringType(), pa.int32(): T.IntegerType(), pa.int64(): T.LongType(),
          pa.float64(): T.DoubleType(), pa.bool_(): T.BooleanType()}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_GLOB = re.compile(r"([*?\[\]{}\\])")


# -- the transport batch: what a task sends back ---------------------------
@cache
def transport_columns() -> dict[str, dict[str, pa.DataType]]:
    """The columns ``file_rows`` produces per table, as Arrow types."""
    _, frames = file_rows(FileResult("", "", 0, None, None))
    return {table: {c: _ARROW[t] for c, t in frame.schema.items()} for table, frame in frames.items()}


@cache
def transport_schema() -> pa.Schema:
    """One wide schema for the rows of every table, plus the table tag.
    Columns of the same name have the same type in every table."""
    fields: dict[str, pa.DataType] = {TAG: pa.string()}
    for table, columns in transport_columns().items():
        for name, dtype in columns.items():
            if fields.setdefault(name, dtype) != dtype:
                raise TypeError(f"column {name} of {table} is {dtype}, elsewhere {fields[name]}")
    return pa.schema(list(fields.items()))


def transport_spark_schema() -> T.StructType:
    return T.StructType([T.StructField(f.name, _SPARK[f.type]) for f in transport_schema()])


def _uri_path(uri: str) -> PurePosixPath:
    return PurePosixPath(unquote(urlparse(uri).path))


def input_roots(paths: Iterable[str | Path]) -> tuple[str, ...]:
    """The inputs as the paths a file's name is made relative to."""
    return tuple(str(_uri_path(str(p)) if is_uri(p) else PurePosixPath(Path(p).resolve().as_posix())) for p in paths)


def source_name(path: str, roots: Sequence[str] = ()) -> str:
    """A file's name as the DuckDB ingest records it (``source_file``), from
    the URI Spark's binaryFile source reports: its path relative to the input
    folder it was found in (``2023/a.txt``), or its name."""
    file = _uri_path(path)
    for root in sorted(roots, key=len, reverse=True):
        if file != PurePosixPath(root) and file.is_relative_to(root):
            return file.relative_to(root).as_posix()
    return file.name


def _wide(frames: list[pl.DataFrame]) -> pa.Table:
    schema = transport_schema()
    table = pl.concat(frames, how="diagonal").to_arrow()
    columns = [
        table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def parse_batches(
    batches: Iterator[pa.RecordBatch], limits: Limits | None = None, roots: Sequence[str] = ()
) -> Iterator[pa.RecordBatch]:
    """Runs in the Spark tasks: (path, content) rows in, tagged landing rows
    out; each file under the size cap and time limit of ``limits`` (Spark
    caps its Python workers' memory: ``spark.executor.pyspark.memory``)."""
    limits = limits or Limits()
    for batch in batches:
        frames: list[pl.DataFrame] = []
        for path, content in zip(batch.column("path").to_pylist(), batch.column("content").to_pylist()):
            _, rows = file_rows(parse_in_process(source_name(path, roots), content, limits))
            frames += [f.with_columns(pl.lit(t).alias(TAG)) for t, f in rows.items() if f.height]
        if frames:
            yield from _wide(frames).to_batches()


# -- typing: transport text -> landing types -------------------------------
def spark_type(duck_type: str) -> T.DataType:
    """The Spark type of a DuckDB landing type (ingest.landing.SCHEMAS)."""
    if match := _DECIMAL.fullmatch(duck_type):
        return T.DecimalType(int(match[1]), int(match[2]))
    return {
        "VARCHAR": T.StringType(),
        "INTEGER": T.IntegerType(),
        "BIGINT": T.LongType(),
        "DOUBLE": T.DoubleType(),
        "BOOLEAN": T.BooleanType(),
        "TIMESTAMP WITH TIME ZONE": T.TimestampType(),
    }[duck_type]


def typed_columns(table: str, now: datetime) -> list[Column]:
    """The landing columns of ``table``, in order, cast from the transport
    rows; derived columns computed by the same expressions as the DuckDB landing."""
    out = []
    for name, duck_type in SCHEMAS[table].items():
        derived = DERIVED.get(name)
        value = F.lit(now) if derived == NOW else F.expr(derived) if derived else F.col(name)
        out.append(value.cast(spark_type(duck_type)).alias(name))
    return out


def conform(frame: DataFrame, table: str) -> DataFrame:
    """Landed rows (e.g. an earlier landing zone) in exactly the landing types."""
    return frame.select(*[F.col(n).cast(spark_type(t)).alias(n) for n, t in SCHEMAS[table].items()])


# -- inputs ------------------------------------------------------------------
def is_uri(path: str | Path) -> bool:
    return isinstance(path, str) and bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path)) and not Path(path).exists()


def local_uri(path: Path, glob_escape: bool = False) -> str:
    """An absolute ``file:`` URI Hadoop reads as is (not percent-encoded)."""
    text = path.resolve().as_posix()
    return "file://" + (_GLOB.sub(r"\\\1", text) if glob_escape else text)


def input_uris(paths: Iterable[str | Path]) -> list[str]:
    """Every file to parse: local files and folders as the DuckDB ingest
    finds them (``discover``), URIs as given (Spark lists their folders)."""
    uris: list[str] = []
    for path in paths:
        if is_uri(path):
            uris.append(str(path))
        else:
            uris += [local_uri(p, glob_escape=True) for p in discover([Path(path)])]
    return uris


def landing_uri(landing: str | Path) -> str:
    return str(landing) if is_uri(landing) else local_uri(Path(landing))


# -- the landing zone --------------------------------------------------------
class _FileSystem:
    """Hadoop's FileSystem API through the session's JVM: local disk, HDFS, S3…"""

    def __init__(self, spark: SparkSession, uri: str):
        self._jvm = jvm = spark.sparkContext._jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        self._fs = self._path(uri).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def exists(self, uri: str) -> bool:
        return bool(self._fs.exists(self._path(uri)))

    def delete(self, uri: str) -> None:
        self._fs.delete(self._path(uri), True)

    def rename(self, source: str, target: str) -> None:
        if not self._fs.rename(self._path(source), self._path(target)):
            raise OSError(f"could not rename {source} to {target}")

    def mkdirs(self, uri: str) -> None:
        self._fs.mkdirs(self._path(uri))

    def read(self, uri: str) -> bytes:
        stream = self._fs.open(self._path(uri))
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()


def replace_dataset(spark: SparkSession, frame: DataFrame, target: str) -> None:
    """Write ``frame`` beside ``target`` and swap it in."""
    fs = _FileSystem(spark, target)
    token = uuid.uuid4().hex[:8]
    incoming, retired = f"{target}.incoming-{token}", f"{target}.retired-{token}"
    frame.write.mode("overwrite").parquet(incoming)
    if fs.exists(target):
        fs.rename(target, retired)
        fs.rename(incoming, target)
        fs.delete(retired)
    else:
        fs.rename(incoming, target)


def kept_rows(spark: SparkSession, table: str, landing: str, batch_files: DataFrame) -> DataFrame | None:
    """The rows already landed in ``table`` that this ingest does not replace:
    those of files of another name and other content."""
    fs = _FileSystem(spark, landing)
    target = f"{landing}/{table}.parquet"
    if not fs.exists(target):
        return None
    landed = spark.read.parquet(target)
    names = batch_files.select("source_file")
    shas = batch_files.select("source_sha256")
    if "source_file" in SCHEMAS[table]:
        return landed.join(names, "source_file", "left_anti").join(shas, "source_sha256", "left_anti")
    forms = f"{landing}/forms.parquet"
    if not fs.exists(forms):
        return landed
    stale = (
        spark.read.parquet(forms)
        .join(names, "source_file", "left_semi")
        .unionByName(spark.read.parquet(forms).join(shas, "source_sha256", "left_semi"))
        .select("form_id")
    )
    return landed.join(stale, "form_id", "left_anti")


# -- the report --------------------------------------------------------------
@dataclass
class SparkIngestReport:
    """What ``ingest_spark`` did, with the attributes the CLI summary prints."""

    landing_dir: str
    landing_files: list[str]
    files: int = 0
    forms_landed: int = 0
    forms_rejected: int = 0
    warning_count: int = 0
    rejections: list[tuple[str, Issue]] = field(default_factory=list)  # the first REPORT_REJECTIONS
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.forms_rejected else 0


def _report(parsed: DataFrame, landing: str, written: list[str]) -> SparkIngestReport:
    files = parsed.where(F.col(TAG) == "source_files").agg(
        F.count(F.lit(1)).alias("files"), F.coalesce(F.sum("forms_landed"), F.lit(0)).alias("forms")
    ).first()
    errors = parsed.where(F.col(TAG) == "ingest_errors")
    counts = errors.agg(
        F.count_distinct(
            F.when(F.col("severity") == Severity.ERROR.value, F.struct("source_file", F.coalesce("form_seq", F.lit(-1))))
        ).alias("rejected"),
        F.count(F.when(F.col("severity") == Severity.WARNING.value, F.lit(1))).alias("warnings"),
    ).first()
    rejected = (
        errors.where(F.col("severity") == Severity.ERROR.value)
        .orderBy("source_file", "form_seq", "line_no")
        .select("source_file", "form_seq", "line_no", "error_code", "message")
        .limit(REPORT_REJECTIONS)
        .collect()
    )
    return SparkIngestReport(
        landing_dir=landing,
        landing_files=written,
        files=int(files["files"]),
        forms_landed=int(files["forms"]),
        forms_rejected=int(counts["rejected"]),
        warning_count=int(counts["warnings"]),
        rejections=[(r.source_file, Issue(r.error_code, r.message, r.line_no, r.form_seq)) for r in rejected],
    )


# -- the ingest ----------------------------------------------------------------
def read_bytes(spark: SparkSession, uri: str) -> bytes:
    """One file's bytes, read on the driver (local disk or any Hadoop file system)."""
    if urlparse(uri).scheme == "file":
        return Path(unquote(urlparse(uri).path)).read_bytes()
    return _FileSystem(spark, uri).read(uri)


def parse_on_driver(
    spark: SparkSession, uris: list[str], limits: Limits | None = None, roots: Sequence[str] = ()
) -> DataFrame:
    """The tagged landing rows of a few files, parsed here."""
    batch = pa.RecordBatch.from_pydict(
        {"path": uris, "content": [read_bytes(spark, u) for u in uris]},
        schema=pa.schema([("path", pa.string()), ("content", pa.binary())]),
    )
    tables = [pa.Table.from_batches([b]) for b in parse_batches(iter([batch]), limits, roots)]
    rows = pa.concat_tables(tables) if tables else transport_schema().empty_table()
    return spark.createDataFrame(rows, transport_spark_schema())


def ingest_spark(
    spark: SparkSession,
    paths: Sequence[str | Path],
    landing: str | Path,
    now: datetime | None = None,
    limits: Limits | None = None,
) -> SparkIngestReport:
    """Parse the files under ``paths`` in Spark tasks and land them in ``landing``.

    Spark's file scans skip empty files, which ingest reports (empty_file):
    the few files Spark listed but did not parse are parsed on the driver."""
    from pyspark import StorageLevel

    started = datetime.now(timezone.utc)
    now = now or started
    landing_dir = landing_uri(landing)
    _FileSystem(spark, landing_dir).mkdirs(landing_dir)
    uris = input_uris(paths)
    roots = input_roots(paths)
    limits = limits or Limits.from_env()
    settings = parse_conf(spark)
    previous = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    parsed = None
    try:
        if uris:
            files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(uris)
            parse = partial(parse_batches, limits=limits, roots=roots)
            parsed = files.select("path", "content").mapInArrow(parse, transport_spark_schema())
            parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
            done = {r[0] for r in parsed.where(F.col(TAG) == "source_files").select("source_file").collect()}
            skipped = [uri for uri in files.inputFiles() if source_name(uri, roots) not in done]
            rows = parsed.unionByName(parse_on_driver(spark, skipped, limits, roots)) if skipped else parsed
        else:
            rows = parse_on_driver(spark, [])
        batch_files = rows.where(F.col(TAG) == "source_files").select("source_file", "source_sha256")
        for table in WRITE_ORDER:
            typed = rows.where(F.col(TAG) == table).select(*typed_columns(table, now))
            kept = kept_rows(spark, table, landing_dir, batch_files)
            if kept is not None:
                typed = conform(kept, table).unionByName(typed)
            replace_dataset(spark, typed, f"{landing_dir}/{table}.parquet")
        report = _report(rows, landing_dir, [f"{landing_dir}/{t}.parquet" for t in SCHEMAS])
    finally:
        if parsed is not None:
            parsed.unpersist()
        for key, value in previous.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)
    report.seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return report
