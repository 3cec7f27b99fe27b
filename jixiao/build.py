"""dbt in-process, and ``jixiao docs``.

- :func:`run_dbt` runs one dbt command in-process on a given DuckDB file and
  returns a :class:`DbtOutcome` with the counts of passed and failed nodes;
- :func:`run_ingest` lands documents in the ``raw`` schema (tests, docs);
- :func:`next_steps` says what to do with a freshly built warehouse.

``jixiao build`` itself (atomic builds, exit codes) is jixiao.orchestrate.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


from jixiao.paths import PROJECT_ROOT, RAW_DIR, warehouse_path

EXIT_OK = 0
EXIT_INPUT_REJECTED = 1
EXIT_PIPELINE_FAILED = 2

# dbt's saved parse, in its target folder (dbt.parser.manifest.PARTIAL_PARSE_FILE_NAME)
PARTIAL_PARSE_FILE = "partial_parse.msgpack"

# dbt node statuses, as the values of dbt's NodeStatus enum.
_PASSED = {"success", "pass"}
_WARNED = {"warn"}
_FAILED = {"error", "fail", "runtime error"}
_SKIPPED = {"skipped"}  # "no-op": an exposure (nothing to run), not a node skipped


@dataclass(frozen=True)
class DbtOutcome:
    """What one dbt invocation did: node counts and the failing nodes."""

    success: bool
    passed: int = 0
    warned: int = 0
    failed: int = 0
    skipped: int = 0
    failures: tuple[str, ...] = ()
    error: str | None = None  # why dbt could not run at all (parse error, …)

    @property
    def summary(self) -> str:
        text = f"{self.passed} passed, {self.warned} warned, {self.failed} failed, {self.skipped} skipped"
        return text if self.error is None else f"{text}; {self.error}"


@contextmanager
def dbt_environment(db_path: Path, read_only: bool = False) -> Iterator[None]:
    """profiles.yml reads the warehouse path from JIXIAO_DB and its access mode
    from JIXIAO_DB_ACCESS; dbt sends no usage stats."""
    wanted = {
        # absolute, but symlinks kept: a build's path goes through last-build (jixiao.releases)
        "JIXIAO_DB": os.path.abspath(db_path),
        "JIXIAO_DB_ACCESS": "read_only" if read_only else "automatic",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_arguments(command: Sequence[str], target_dir: Path | None = None) -> list[str]:
    """A dbt command line on this project (its profiles.yml is committed beside it)."""
    args = [*command, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    if target_dir is not None:
        args += ["--target-path", str(target_dir), "--log-path", str(target_dir / "logs")]
    return args


def carry_partial_parse(target_dir: Path, earlier_target_dirs: Iterable[Path]) -> Path | None:
    """Copy the newest ``partial_parse.msgpack`` of earlier dbt runs into
    ``target_dir``, so that dbt run there re-parses only the project files that
    changed since (dbt checks that itself: its version, the profile's connection
    values, vars, and every file's checksum; if anything else differs it parses
    everything and says "Unable to do partial parsing"). A copy, not a link:
    dbt rewrites the file in place. Returns the file copied, if any."""
    earlier = [d / PARTIAL_PARSE_FILE for d in earlier_target_dirs if (d / PARTIAL_PARSE_FILE).is_file()]
    if not earlier:
        return None
    newest = max(earlier, key=lambda p: p.stat().st_mtime_ns)
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(newest, target_dir / PARTIAL_PARSE_FILE)
    return newest


def outcome_of(result) -> DbtOutcome:
    """A :class:`DbtOutcome` from a ``dbtRunnerResult``."""
    if result.exception is not None:
        return DbtOutcome(success=False, error=str(result.exception).strip())
    node_results = getattr(result.result, "results", None) or []
    statuses = Counter(str(getattr(r.status, "value", r.status)) for r in node_results)
    failures = tuple(
        f"{r.node.resource_type} {r.node.name}: {(r.message or '').strip()}"
        for r in node_results
        if str(getattr(r.status, "value", r.status)) in _FAILED
    )
    return DbtOutcome(
        success=bool(result.success),
        passed=sum(statuses[s] for s in _PASSED),
        warned=sum(statuses[s] for s in _WARNED),
        failed=sum(statuses[s] for s in _FAILED),
        skipped=sum(statuses[s] for s in _SKIPPED),
        failures=failures,
    )


def run_dbt(
    command: Sequence[str], db_path: Path, target_dir: Path | None = None, read_only: bool = False
) -> DbtOutcome:
    """Run one dbt command (``["build"]``, ``["docs", "generate"]``…) in-process
    on the DuckDB file ``db_path`` (opened read-only if ``read_only``).
    ``target_dir`` keeps dbt's artifacts and logs apart (tests); by default
    they go to target/ and logs/."""
    from dbt.cli.main import dbtRunner

    with dbt_environment(db_path, read_only):
        try:
            result = dbtRunner().invoke(dbt_arguments(command, target_dir))
        finally:
            release_dbt_duckdb()
    return outcome_of(result)


def release_dbt_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a
    run (a class-level environment), so that the process can open the file
    again (read-only, or after swapping it) and other processes can lock it."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        env.close()


def run_ingest(db_path: Path, paths: Sequence[Path] = (RAW_DIR,)):
    """Land the documents under ``paths`` (default data/raw/) in ``db_path``;
    returns ingest's report."""
    from ingest.pipeline import ingest
    from jixiao.progress import Progress

    progress = Progress()
    return ingest(list(paths), db_path, on_start=progress.start, on_done=progress)


def next_steps(db_path: Path) -> str:
    """What to do with a freshly built warehouse."""
    db_option = "" if db_path == warehouse_path(None) else f" --db {db_path}"
    return "\n".join(
        [
            f"warehouse: {db_path}  (schemas raw and marts)",
            "next:",
            f"  query it    duckdb -readonly {db_path} \"select * from marts.fct_evaluation limit 5\"",
            f"              python: duckdb.connect(\"{db_path}\", read_only=True)",
            f"  dashboard   jixiao dashboard{db_option}",
            f"  docs        jixiao docs{db_option}   (every mart and column described, in target/)",
        ]
    )


def docs_command(args: argparse.Namespace) -> int:
    """``jixiao docs``: the dbt documentation site (target/), from a built warehouse."""
    db_path = warehouse_path(args.db)
    if not db_path.exists():
        print(f"jixiao docs: no warehouse at {db_path}; run `jixiao build` first")
        return EXIT_PIPELINE_FAILED
    # Read-only: the docs can be generated while a dashboard serves the file.
    outcome = run_dbt(["docs", "generate", "--static"], db_path, read_only=True)
    if not outcome.success:
        print(f"dbt docs generate failed: {outcome.summary}")
        return EXIT_PIPELINE_FAILED
    site = PROJECT_ROOT / "target"
    print(f"documentation: {site / 'static_index.html'} (one file, open it in a browser)")
    print(f"  or serve {site}/index.html: dbt docs serve --project-dir {PROJECT_ROOT} --profiles-dir {PROJECT_ROOT}")
    return EXIT_OK
