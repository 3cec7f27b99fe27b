"""An atomic, scheduled-safe build: ``jixiao build``.

1. take the build lock (one build at a time; a killed build's lock is stale
   and cleared);
2. build a new warehouse in its own folder (jixiao.releases): seed its raw
   tables from the served warehouse (read-only), ingest only the new or
   changed files of data/raw/, drop the files that are gone;
3. ``dbt build`` (models and their integrity tests) and the quality suites;
4. only when the pipeline's own integrity holds, validate the new file and
   swap it in with ``os.replace``; keep the previous builds; record the run
   in history.jsonl and ``ops.build_runs``.

The served file is never opened for writing: a reader keeps its connection
through the whole build and sees the new data after the swap.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from ingest.limits import Limits
from jixiao.build import (
    EXIT_INPUT_REJECTED,
    EXIT_OK,
    EXIT_PIPELINE_FAILED,
    DbtOutcome,
    carry_partial_parse,
    next_steps,
    run_dbt,
)
from jixiao.fingerprint import models_fingerprint
from jixiao.lock import BuildLock, BuildLocked
from jixiao.paths import PROJECT_ROOT
from jixiao.releases import DB_NAME, InvalidWarehouse, Releases

EXIT_LOCKED = 3


@dataclass
class BuildRun:
    """One row of ops.build_runs (and of history.jsonl)."""

    build_id: str
    started_at: str
    status: str = "running"  # success | failed | killed | rollback
    finished_at: str | None = None
    git_commit: str | None = None
    pid: int | None = None
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_removed: int = 0
    files_unchanged: int = 0
    forms_landed: int = 0  # forms in the warehouse after the build
    forms_parsed: int = 0  # forms parsed by this build (new and changed files)
    forms_rejected: int = 0
    dbt_passed: int = 0
    dbt_failed: int = 0
    findings_error: int = 0
    findings_warning: int = 0
    findings_info: int = 0
    seconds: float = 0.0
    data_docs: str | None = None
    message: str | None = None
    restored_build_id: str | None = None
    engine: str | None = None  # duckdb | spark: where ingest and dbt ran
    dbt_mode: str | None = None  # full | incremental: how the models were built
    models_fingerprint: str | None = None  # jixiao.fingerprint: the models and rules that built it


# ops.build_runs' column types, from BuildRun's annotations ("int | None" -> Int64)
_POLARS_TYPES = {"int": "Int64", "float": "Float64", "str": "String"}


def _build_runs_frame(runs: list[dict]):
    """Runs (BuildRun dicts, or older records with fewer keys) as a polars frame."""
    import polars as pl  # not at import: `jixiao status` reads only history.jsonl

    schema = {f.name: getattr(pl, _POLARS_TYPES[f.type.split(" |")[0]]) for f in fields(BuildRun)}
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in runs], schema=schema)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def write_build_runs(db_path: Path, runs: list[dict]) -> None:
    import duckdb  # here, not at import: `jixiao status` and `--help` stay light

    frame = _build_runs_frame(runs)
    with duckdb.connect(str(db_path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS ops")
        con.register("runs", frame)
        con.execute(
            "CREATE OR REPLACE TABLE ops.build_runs AS SELECT build_id, CAST(started_at AS TIMESTAMPTZ) AS started_at, "
            "CAST(finished_at AS TIMESTAMPTZ) AS finished_at, * EXCLUDE (build_id, started_at, finished_at) FROM runs"
        )
        con.unregister("runs")


def _form_counts(db_path: Path) -> tuple[int, int]:
    """(forms in the warehouse, forms rejected: files or forms with an error) of a built file."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        landed, rejected = con.sql(
            "SELECT (SELECT count(*) FROM raw.forms), "
            "(SELECT count(DISTINCT (source_file, coalesce(form_seq, -1))) FROM raw.ingest_errors "
            "WHERE severity = 'error')"
        ).fetchall()[0]
    return int(landed), int(rejected)


# An incremental build's dbt command: what the landed forms reach (every node
# downstream of a source). The seeds, the models built from seeds alone
# (regions, indicator categories), their tests and the unit tests depend only
# on the project's files, unchanged since the served build, whose tables the
# build's copy already holds.
INCREMENTAL_DBT = ("build", "--select", "source:*+", "--exclude-resource-type", "unit_test", "seed")
FULL_DBT = ("build", "--full-refresh")


def _duckdb_build_step(
    raw_dir: Path, db: Path, seed: Path | None, say: Callable[[str], None], releases: Releases, full: bool,
    limits: Limits | None = None, incremental_models: bool = False, before_dbt: Callable[[], None] = lambda: None,
) -> tuple[dict[str, int | str], DbtOutcome]:
    """Ingest (only new and changed files when seeded from the served
    warehouse) and ``dbt build`` on DuckDB, into ``db``; returns the file
    counts for ``ops.build_runs`` and dbt's outcome.

    A seeded build starts from a copy of the served file: its raw tables,
    and, when ``incremental_models``, its seeds, models and findings, which
    the incremental models update (models/, macros/incremental.sql); else
    every model is rebuilt (``--full-refresh``). dbt reuses the parse of the
    build before (unless ``full``): it runs on ``db`` through the
    ``last-build`` link, a path the same for every build, in a target folder
    that starts with the last build's saved parse."""
    from ingest.pipeline import ingest
    from jixiao.cli import print_ingest_summary
    from jixiao.progress import Progress

    copied = seed is not None and copy_warehouse(seed, db)
    if seed is not None and not copied:
        say(f"could not read {seed}: every file is parsed again")
    progress = Progress()
    report = ingest([raw_dir], db, on_start=progress.start, on_done=progress,
                    incremental=True, prune_missing=True, limits=limits)
    print_ingest_summary(report)
    counts = {key: getattr(report, key)
              for key in ("files_seen", "files_new", "files_changed", "files_removed", "files_unchanged")}
    counts["forms_parsed"] = report.forms_landed
    command = INCREMENTAL_DBT if copied and incremental_models else FULL_DBT
    counts["dbt_mode"] = "incremental" if command is INCREMENTAL_DBT else "full"
    before_dbt()
    say(f"dbt build: running models and tests ({counts['dbt_mode']}) ...")
    target = db.parent / "dbt"
    if not full:
        carry_partial_parse(target, [d / "dbt" for d in releases.build_dirs() if d != db.parent])
    return counts, run_dbt(list(command), releases.point_last_build(db.parent), target_dir=target)


def copy_warehouse(source: Path, target: Path) -> bool:
    """Start a build from a byte copy of the served warehouse (its raw
    tables, seeds, models and findings); False, and no copy, when it cannot
    be read. The served file is only read."""
    import duckdb

    try:
        shutil.copyfile(source, target)
        with duckdb.connect(str(target)) as con:
            con.sql("SELECT count(*) FROM raw.forms").fetchall()
        return True
    except (OSError, duckdb.Error):
        target.unlink(missing_ok=True)
        return False


def _served_fingerprint(releases: Releases) -> str | None:
    """The models fingerprint of the build the served file came from."""
    served = releases.served_build_id()
    return next((r.get("models_fingerprint") for r in releases.history()
                 if r.get("build_id") == served and r.get("status") == "success"), None)


class _Libraries:
    """The libraries a build's later steps run in (Great Expectations, dbt),
    imported in a thread while the build copies the served file and ingests:
    those steps spend their time in DuckDB, hashing and the parse workers,
    outside the interpreter's lock, so the imports (seconds) overlap them
    instead of coming first. The cyclic garbage collector is paused until the
    imports are done, then what they made is moved out of its reach
    (``gc.freeze``): their hundreds of thousands of long-lived objects would
    otherwise be walked by several collections during the imports and by
    every full collection after (seconds of a nightly build, bench/README.md).
    Garbage made later is collected as before."""

    def __init__(self, engine: str):
        self._error: BaseException | None = None
        self._ready = False
        gc.disable()
        self._thread = threading.Thread(target=self._load, args=(engine,), name="jixiao-imports", daemon=True)
        self._thread.start()

    def _load(self, engine: str) -> None:
        try:
            import quality.run  # noqa: F401

            if engine == "duckdb":  # the Spark step brings its own dbt adapter
                import dbt.cli.main  # noqa: F401
        except BaseException as err:  # noqa: BLE001 - raised again where the build needs them
            self._error = err

    def ready(self) -> None:
        """Wait for the imports; raise what stopped them."""
        if not self._ready:
            self._thread.join()
            gc.freeze()
            gc.enable()
            self._ready = True
        if self._error is not None:
            raise self._error


def run_build(
    served: Path,
    raw_dir: Path,
    *,
    wait: bool = False,
    full: bool = False,
    engine: str = "duckdb",
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    say: Callable[[str], None] = print,
    limits: Limits | None = None,
) -> int:
    """Build a new warehouse from ``raw_dir`` and publish it over ``served``.

    ``engine="spark"`` parses and runs the dbt models on Spark (``master``,
    ``conf``: see jixiao.spark) and serves the result as the same DuckDB file;
    a Spark build always parses every file (the landing zone is rebuilt)."""
    releases = Releases(served)
    try:
        lock = BuildLock(releases.lock_path).acquire(wait=wait)
    except BuildLocked as err:
        say(f"jixiao build: {err}")
        return EXIT_LOCKED
    with lock:
        if lock.stale:
            say(f"cleared a stale lock: build PID {lock.stale.get('pid')} started {lock.stale.get('started_at')} "
                "was killed before it finished; the served warehouse was not touched")
            releases.record({"build_id": f"pid-{lock.stale.get('pid')}", "started_at": lock.stale.get("started_at"),
                             "status": "killed", "finished_at": None,
                             "message": "killed before it finished (stale lock cleared)"})
        return _build(releases, raw_dir, full=full, engine=engine, master=master, conf=conf, say=say, limits=limits)


def _build(
    releases: Releases,
    raw_dir: Path,
    *,
    full: bool,
    engine: str = "duckdb",
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    say: Callable[[str], None],
    limits: Limits | None = None,
) -> int:
    libraries = _Libraries(engine)
    import ingest.pipeline  # noqa: F401 - the first step's, in this thread

    started = time.perf_counter()
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"
    # a Spark build serves the marts alone (no seeds, no intermediate tables): the next build is a full one
    run = BuildRun(build_id=build_id, started_at=now(), git_commit=git_commit(), pid=os.getpid(), engine=engine,
                   models_fingerprint=models_fingerprint() if engine == "duckdb" else None)
    folder = releases.build_dir(build_id)
    folder.mkdir(parents=True)
    db = folder / DB_NAME
    seed = None if full or engine == "spark" or not releases.served.exists() else releases.served
    served_fingerprint = _served_fingerprint(releases) if seed is not None else None
    incremental_models = run.models_fingerprint is not None and served_fingerprint == run.models_fingerprint
    run.dbt_mode = "incremental" if incremental_models else "full"
    why = ("the served build ran on Spark or predates fingerprints" if served_fingerprint is None
           else "the models or rules changed since the served build")
    mode = ("on Spark" if engine == "spark" else "incremental" if incremental_models
            else f"incremental ingest; models rebuilt: {why}" if seed else "full")
    say(f"build {build_id}: building {db} from {raw_dir} ({mode})")

    def fail(message: str, log: Path | None = None) -> int:
        run.status, run.finished_at, run.message = "failed", now(), message
        run.seconds = round(time.perf_counter() - started, 2)
        releases.record(asdict(run))
        releases.prune(current=folder)  # this failed build's folder stays, for its logs
        say(f"build FAILED: {message}; the served warehouse {releases.served} is unchanged")
        say(f"  logs: {log or folder / 'dbt' / 'logs' / 'dbt.log'}")
        return EXIT_PIPELINE_FAILED

    try:
        if engine == "spark":
            from jixiao.spark_build import spark_build_step

            libraries.ready()
            counts, outcome = spark_build_step(raw_dir, folder, releases.served, master=master, conf=conf, say=say,
                                               limits=limits)
        else:
            counts, outcome = _duckdb_build_step(raw_dir, db, seed, say=say, releases=releases, full=full,
                                                  limits=limits, incremental_models=incremental_models,
                                                  before_dbt=libraries.ready)
    except Exception as err:  # noqa: BLE001 - a scheduled build records why it stopped
        log = folder / "error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        return fail(f"the {engine} ingest/dbt step stopped: {type(err).__name__}: {err}", log=log)
    for key, value in counts.items():
        setattr(run, key, value)
    run.forms_landed, run.forms_rejected = _form_counts(db)
    run.dbt_passed, run.dbt_failed = outcome.passed, outcome.failed
    say(f"dbt build: {outcome.summary}")
    for failure in outcome.failures:
        say(f"  {failure}")
    if not outcome.success:
        return fail("dbt build failed: the warehouse's own integrity checks did not pass")

    libraries.ready()
    from quality.run import format_summary, run_quality

    say("quality: running the Great Expectations suites ...")
    quality = run_quality(db, folder / "data_docs", changed_only=run.dbt_mode == "incremental")
    say(format_summary(quality))
    if not quality.gx_ok:
        return fail("the quality suites could not run")
    severities = quality.by_severity()
    run.findings_error = severities.get("error", 0)
    run.findings_warning = severities.get("warning", 0)
    run.findings_info = severities.get("info", 0)
    run.data_docs = str(quality.data_docs_index) if quality.data_docs_index else None

    run.status, run.finished_at = "success", now()
    run.seconds = round(time.perf_counter() - started, 2)
    write_build_runs(db, [*releases.history(), asdict(run)])
    try:
        releases.publish(folder)
    except (InvalidWarehouse, OSError) as err:
        return fail(f"the new warehouse did not validate: {err}")
    releases.record(asdict(run))
    releases.prune(current=folder)
    say(f"published build {build_id} in {run.seconds:.1f} s")
    say(next_steps(releases.served))
    return EXIT_INPUT_REJECTED if run.forms_rejected else EXIT_OK


def rollback(served: Path, say: Callable[[str], None] = print) -> int:
    releases = Releases(served)
    try:
        lock = BuildLock(releases.lock_path).acquire(command="jixiao rollback")
    except BuildLocked as err:
        say(f"jixiao rollback: {err}")
        return EXIT_LOCKED
    with lock:
        try:
            restored = releases.rollback()
        except InvalidWarehouse as err:
            say(f"jixiao rollback refused: {err}; the served warehouse is unchanged")
            return EXIT_PIPELINE_FAILED
        releases.record({"build_id": f"rollback-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}",
                         "started_at": now(), "finished_at": now(), "status": "rollback",
                         "restored_build_id": restored.name})
    say(f"rolled back: {served} now serves build {restored.name}")
    return EXIT_OK


def format_history(served: Path, limit: int = 20) -> str:
    releases = Releases(served)
    runs = releases.history()[-limit:]
    if not runs:
        return f"no builds recorded for {served} yet (run `jixiao build`)"
    lines = [f"builds of {served} (newest last); serving: {releases.served_build_id() or 'unknown'}",
             f"{'build':<26} {'status':<9} {'started':<25} {'secs':>6} {'engine':<6} {'files new/chg/rm':>16} "
             f"{'forms':>6} {'rej':>4} {'dbt ok/fail':>11} {'findings e/w/i':>15}  commit"]
    for r in runs:
        lines.append(
            f"{r.get('build_id', '?'):<26} {r.get('status', '?'):<9} {str(r.get('started_at') or ''):<25} "
            f"{r.get('seconds') or 0:>6} {r.get('engine') or '-':<6} "
            f"{str(r.get('files_new', 0)) + '/' + str(r.get('files_changed', 0)) + '/' + str(r.get('files_removed', 0)):>16} "
            f"{r.get('forms_landed', 0) or 0:>6} {r.get('forms_rejected', 0) or 0:>4} "
            f"{str(r.get('dbt_passed', 0)) + '/' + str(r.get('dbt_failed', 0)):>11} "
            f"{str(r.get('findings_error', 0)) + '/' + str(r.get('findings_warning', 0)) + '/' + str(r.get('findings_info', 0)):>15}"
            f"  {r.get('git_commit') or ''}"
            + (f"  ({r['message']})" if r.get("message") else "")
            + (f"  -> {r['restored_build_id']}" if r.get("restored_build_id") else "")
        )
    return "\n".join(lines)


def build_command(args) -> int:
    """``jixiao build [--db FILE] [--raw DIR|FILE] [--wait] [--full] [--engine spark [--master URL] [--conf K=V]]``."""
    from jixiao.cli import limits_of, spark_conf
    from jixiao.paths import RAW_DIR, warehouse_path

    try:
        conf = spark_conf(args)  # before the lock: without the [spark] extra, stop here
        limits = limits_of(args)
    except ValueError as err:
        print(f"jixiao build: {err}")
        return 2
    raw = Path(args.raw) if args.raw else RAW_DIR
    if not raw.exists():
        print(f"jixiao build: no such file or folder: {raw}")
        return 2
    return run_build(warehouse_path(args.db), raw, wait=args.wait, full=args.full,
                     engine=args.engine, master=args.master, conf=conf or None, limits=limits)


def rollback_command(args) -> int:
    from jixiao.paths import warehouse_path

    return rollback(warehouse_path(args.db))


def status_command(args) -> int:
    from jixiao.paths import warehouse_path

    print(format_history(warehouse_path(args.db), limit=args.limit))
    return 0
