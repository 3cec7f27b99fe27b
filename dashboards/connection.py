"""The dashboard's only way into the warehouse: read-only, locked down, swap-aware.

Builds write a new DuckDB file and ``os.replace`` it over the warehouse. A process
that still holds a connection keeps seeing the old file (even through a new
``connect()``) until every one of its connections is closed. So the connection is
keyed on the file's identity (device, inode, mtime, size): when the file changes,
the old connection is closed once no query is using it, and a new one is opened.
The app never writes, never takes the writer's lock, and cannot attach or read
other files (external access off, configuration locked).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from jixiao.paths import warehouse_path


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing or cannot be opened for reading right now."""


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int
    mtime_ns: int
    size: int


def file_identity(path: Path) -> FileIdentity:
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise WarehouseUnavailable(f"warehouse not found: {path}") from err
    return FileIdentity(st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def open_locked_down(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can neither write, attach nor read other files."""
    try:
        con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    except duckdb.Error as err:  # e.g. a writer holds the file's lock
        raise WarehouseUnavailable(f"cannot open {path} read-only: {err}") from err
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


class Warehouse:
    """One warehouse file; thread-safe; reopens after the file is replaced."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: FileIdentity | None = None
        self._in_use = 0
        self._cond = threading.Condition()
        self.opened = 0  # how many times a connection was opened (for tests and logs)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current file; the file is re-checked before every use."""
        with self._cond:
            self._refresh_locked()
            assert self._con is not None
            cur = self._con.cursor()
            self._in_use += 1
        try:
            yield cur
        finally:
            cur.close()
            with self._cond:
                self._in_use -= 1
                self._cond.notify_all()

    def query(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:
        with self.cursor() as cur:
            return cur.sql(sql, params=params).pl()

    def close(self) -> None:
        with self._cond:
            while self._in_use:
                self._cond.wait()
            self._close_locked()

    def _refresh_locked(self) -> None:
        while True:
            current = file_identity(self.path)
            if self._con is not None and current == self._identity:
                return
            if self._in_use:  # let running queries finish on the old file first
                self._cond.wait()
                continue
            self._close_locked()
            self._con = open_locked_down(self.path)
            self._identity = current
            self.opened += 1
            return

    def _close_locked(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con = None
        self._identity = None


_registry: dict[Path, Warehouse] = {}
_registry_lock = threading.Lock()


def get_warehouse(path: str | Path | None = None) -> Warehouse:
    """The process-wide Warehouse for ``path`` (default: ``$JIXIAO_DB`` or data/jixiao.duckdb)."""
    resolved = Path(path).resolve() if path else warehouse_path()
    with _registry_lock:
        if resolved not in _registry:
            _registry[resolved] = Warehouse(resolved)
        return _registry[resolved]
