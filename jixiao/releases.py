"""The served warehouse and the builds kept beside it.

Layout, for a served warehouse ``data/jixiao.duckdb``::

    data/jixiao.duckdb                 the served file (readers only)
    data/landing/                      its Parquet landing zone
    data/builds/jixiao/build.lock      one build at a time (jixiao.lock)
    data/builds/jixiao/history.jsonl   every build, kept across builds
    data/builds/jixiao/<build_id>/     one build: jixiao.duckdb, landing/, data_docs/, dbt/
    data/builds/jixiao/last-build      a symlink to the last DuckDB build (the path dbt opens)

A build writes only inside its own folder. Publishing it hard-links its file
into ``data/`` under a temporary name and ``os.replace``-s that over the
served file: readers see either the old or the new warehouse, never a half
one, and the served file is never opened for writing by a build. The newest
successful builds are kept (the served one and the three before it), so
``jixiao rollback`` can restore the previous one.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

KEEP_PREVIOUS = 3
DB_NAME = "jixiao.duckdb"


class InvalidWarehouse(RuntimeError):
    pass


@dataclass(frozen=True)
class Releases:
    served: Path

    @property
    def home(self) -> Path:
        return self.served.parent / "builds" / self.served.stem

    @property
    def lock_path(self) -> Path:
        return self.home / "build.lock"

    @property
    def history_path(self) -> Path:
        return self.home / "history.jsonl"

    @property
    def landing(self) -> Path:
        return self.served.parent / "landing"

    def build_dir(self, build_id: str) -> Path:
        return self.home / build_id

    def build_dirs(self) -> list[Path]:
        """Every build folder still on disk (successful, failed or running)."""
        if not self.home.exists():
            return []
        return [p for p in self.home.iterdir() if p.is_dir() and not p.is_symlink()]

    @property
    def last_build(self) -> Path:
        """``last-build``: a symlink to the folder of the last build that ran dbt on DuckDB."""
        return self.home / "last-build"

    def point_last_build(self, build_dir: Path) -> Path:
        """Point ``last-build`` at ``build_dir`` (atomically) and return the
        build's warehouse through it: a path that is the same for every build.
        dbt is given that path, because dbt refuses to reuse its previous parse
        when the profile's rendered connection values (the DuckDB path among
        them) change; through the link the file, its WAL and everything beside
        it still live in the build's own folder."""
        incoming = self.last_build.with_name(".last-build.incoming")
        if incoming.is_symlink() or incoming.exists():
            incoming.unlink()
        os.symlink(build_dir.name, incoming, target_is_directory=True)
        os.replace(incoming, self.last_build)
        return self.last_build / DB_NAME

    # -- history -----------------------------------------------------------
    def history(self) -> list[dict]:
        if not self.history_path.exists():
            return []
        rows = []
        for line in self.history_path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue  # a line cut short by a crash
        return rows

    def record(self, run: dict) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        with self.history_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(run, ensure_ascii=False, default=str) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    # -- kept builds ---------------------------------------------------------
    def kept(self) -> list[Path]:
        """Folders of successful builds still on disk, newest first."""
        published = [r["build_id"] for r in self.history() if r.get("status") == "success"]
        return [self.build_dir(b) for b in reversed(published) if (self.build_dir(b) / DB_NAME).exists()]

    def publish(self, build_dir: Path) -> None:
        """Make ``build_dir``'s warehouse the served one, atomically."""
        validate(build_dir / DB_NAME)
        self.served.parent.mkdir(parents=True, exist_ok=True)
        staged = self.served.with_name(f".{self.served.name}.{build_dir.name}.incoming")
        if staged.exists():
            staged.unlink()
        os.link(build_dir / DB_NAME, staged)
        os.replace(staged, self.served)
        self._swap_landing(build_dir / "landing")

    def _swap_landing(self, new_landing: Path) -> None:
        if not new_landing.exists():
            return
        shadow = self.landing.with_name(".landing.incoming")
        if shadow.exists():
            shutil.rmtree(shadow)
        shutil.copytree(new_landing, shadow, copy_function=_link_or_copy)
        if self.landing.exists():
            retired = self.landing.with_name(".landing.retired")
            if retired.exists():
                shutil.rmtree(retired)
            os.replace(self.landing, retired)
            os.replace(shadow, self.landing)
            shutil.rmtree(retired)
        else:
            os.replace(shadow, self.landing)

    def prune(self, current: Path | None = None) -> None:
        """Keep the newest successful builds (served + KEEP_PREVIOUS); drop
        the folders of failed or interrupted builds."""
        keep = set(self.kept()[: KEEP_PREVIOUS + 1])
        if current is not None:
            keep.add(current)
        for folder in self.build_dirs():
            if folder not in keep:
                shutil.rmtree(folder, ignore_errors=True)

    def served_build_id(self) -> str | None:
        """The build the served file came from: the last one published or
        restored by a rollback."""
        for run in reversed(self.history()):
            if run.get("status") == "success":
                return run["build_id"]
            if run.get("status") == "rollback":
                return run.get("restored_build_id")
        return None

    def rollback(self) -> Path:
        """Serve the kept build published before the served one; returns its
        folder. A kept build that does not validate is refused."""
        published = [r["build_id"] for r in self.history() if r.get("status") == "success"]
        served = self.served_build_id()
        older = published[: published.index(served)] if served in published else []
        candidates = [self.build_dir(b) for b in reversed(older) if (self.build_dir(b) / DB_NAME).exists()]
        if not candidates:
            raise InvalidWarehouse("no earlier build is kept: nothing to roll back to")
        previous = candidates[0]
        self.publish(previous)  # validates first: a corrupt build is refused, the served one stays
        return previous


def _link_or_copy(source: str, target: str) -> None:
    """Serve a build's landing file by a hard link rather than a copy of its
    bytes: no one writes a landing file again once written (ingest and Spark
    replace whole files), so the served zone and the build may share it.
    A copy where no link can be made (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def validate(db_path: Path) -> dict[str, int]:
    """Open a warehouse read-only and read every table in full; return row
    counts. Raises InvalidWarehouse for a missing, corrupt or incomplete file."""
    import duckdb  # here, not at import: `jixiao status` and `rollback` read only history.jsonl first

    if not db_path.exists():
        raise InvalidWarehouse(f"{db_path} does not exist")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            tables = con.sql(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN ('raw', 'marts') AND table_type = 'BASE TABLE'"
            ).fetchall()
            counts = {}
            for schema, table in tables:
                # hashing every row reads every column block: checksums are verified
                rows = con.sql(f'SELECT count(*), sum(hash(t)) FROM "{schema}"."{table}" t').fetchall()
                counts[f"{schema}.{table}"] = int(rows[0][0])
    except duckdb.Error as err:
        raise InvalidWarehouse(f"{db_path} cannot be read: {err}") from err
    for required in ("raw.forms", "marts.fct_evaluation", "marts.fct_indicator_result"):
        if required not in counts:
            raise InvalidWarehouse(f"{db_path} has no table {required}: the build did not finish")
    return counts
