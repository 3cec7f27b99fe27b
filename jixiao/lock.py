"""One build at a time: an advisory lock on a file beside the warehouse.

The lock is an ``flock`` on ``<builds dir>/build.lock``: the kernel releases
it when the holding process ends, however it ends (SIGKILL included), so a
killed build never blocks the next one. The file also records who holds the
lock (PID, start time, command) for the message a second build prints; when
the next build finds a record whose process is gone, it says so (a stale
lock from a killed build) and clears it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build holds the lock."""

    def __init__(self, holder: dict):
        self.holder = holder
        super().__init__(
            f"another build is running: PID {holder.get('pid', '?')}, started {holder.get('started_at', '?')}"
            f" ({holder.get('command', 'jixiao build')}); wait for it, or run with --wait"
        )


@dataclass
class BuildLock:
    path: Path
    _fd: int | None = None
    stale: dict | None = None  # the record of a killed build this lock replaced

    def acquire(self, wait: bool = False, poll_seconds: float = 1.0, command: str = "jixiao build") -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    holder = _holder(fd)
                    os.close(fd)
                    raise BuildLocked(holder) from None
                time.sleep(poll_seconds)
        previous = _read(fd)
        if previous.get("pid") and not previous.get("released") and not _alive(int(previous["pid"])):
            self.stale = previous
        record = {
            "pid": os.getpid(),
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": command,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        holder = _read(self._fd)
        holder["released"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(holder).encode(), 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "BuildLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(fd: int, patience: float = 2.0) -> dict:
    """The record of the process holding the lock. It writes the record just
    after taking the lock, so a racing reader waits a moment for it."""
    deadline = time.monotonic() + patience
    while True:
        record = _read(fd)
        live = record.get("pid") and not record.get("released") and _alive(int(record["pid"]))
        if live or time.monotonic() > deadline:
            if record.get("pid") and not live:
                record["command"] = "its record is stale: worker processes of a killed build may still hold the lock"
            return record
        time.sleep(0.05)


def _read(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
