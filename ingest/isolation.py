"""Parse files in worker processes, each under a time limit and a memory ceiling.

One bad file must not stall or sink a batch. Every file is parsed by
:func:`ingest.pipeline.parse_bytes` in a worker of a pebble process pool:

* a file above ``Limits.max_file_size`` is refused unread (``too_large``);
* a file whose parse outlasts ``Limits.file_timeout`` has its worker stopped
  (``timeout``); pebble starts a fresh one for the next file;
* a worker may use ``Limits.file_memory`` MB of address space on top of what
  it holds idle (``RLIMIT_AS``, set in the worker after warming up the
  libraries it uses): a parse that needs more gets a MemoryError
  (``too_large``), or, when the allocation fails inside a native library
  that aborts, dies (``worker_crashed``);
* a worker that dies for any reason (a crash in native code, the kernel's
  out-of-memory killer, an operator's ``kill``) costs only the file it was
  parsing (``worker_crashed``);
* an exception a parser should never raise lands as ``parser_error``.

Each such file gets one ``raw.ingest_errors`` row (severity ``error``) and
every other file of the batch is parsed as usual. Results come back in input
order, at most a bounded window of files ahead, so landing stays in order
and memory stays bounded.

Why ``RLIMIT_AS`` and not a watchdog on RSS: measured here, a warmed-up
worker (DuckDB and polars imported, one file parsed into frames) holds about
0.5 GB of address space but only 55 MB resident (polars' thread pool, once
started, reserves 0.4 GB more); the ceiling is that idle size plus
``file_memory``, so the flag means "memory one file may take". The kernel enforces it at allocation
time, with no polling interval a fast-growing parse could outrun.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import pickle
import resource
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ingest.landing import FileResult, file_rows
from ingest.limits import MB, Limits
from ingest.records import Issue

# Files scheduled ahead of the one being landed, per worker.
WINDOW_PER_WORKER = 16
# Allocations between two young garbage collections in a parsing worker.
_GC_YOUNG = 20_000


@dataclass(frozen=True)
class Source:
    """One file to parse: its name in the warehouse (``source_file``) and its
    bytes, or the path to read them from (read in the worker)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def sha256(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        with self.path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


def refused(source: Source, code: str, message: str) -> FileResult:
    """A file that did not parse: one error, nothing landed."""
    try:
        sha, size = source.sha256(), source.size()
    except OSError:
        sha, size = "", 0
    return FileResult(source.name, sha, size, encoding=None, layout=None, issues=[Issue(code, message)])


def too_large_message(size: int, limits: Limits) -> str:
    return (f"the file is {size / MB:.1f} MB, above the limit of {limits.max_file_size} MB per file "
            "(--max-file-size, JIXIAO_MAX_FILE_SIZE): it was not read; split it, or raise the limit")


def out_of_memory_message(limits: Limits) -> str:
    return (f"parsing the file needed more than {limits.file_memory} MB of memory (--file-memory, "
            "JIXIAO_FILE_MEMORY): nothing of it landed; split it, or raise the limit")


# -- in the worker -----------------------------------------------------------
_worker_limits: Limits | None = None
_worker_ceiling: int | None = None  # bytes of address space the worker may hold
# A native library that runs out of memory may fail with an error of its own
# (SystemError: "error return without exception set") rather than MemoryError:
# a failure within this margin of the ceiling counts as running out of memory.
_CEILING_MARGIN = 64 * MB


def _address_space(field: str = "VmSize") -> int:
    """This process's virtual memory size in bytes (``VmSize``, or its peak: ``VmPeak``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    return 0


def _init_worker(limits: Limits) -> None:
    """Warm up what a parse uses (the parsers, polars building and pickling
    frames: its thread pool reserves address space on first use), then cap
    the address space at what the worker holds now plus ``file_memory``."""
    global _worker_limits, _worker_ceiling
    _worker_limits = limits
    from ingest.pipeline import parse_bytes

    pickle.dumps(file_rows(parse_bytes("warm-up.txt", "财政项目支出绩效自评表\n".encode())))
    # what the imports and the warm-up made lives as long as the worker: out of the
    # collector's reach; and young collections every _GC_YOUNG allocations, not 700
    # (a parse makes tens of thousands of cells, nearly none of them in cycles)
    gc.freeze()
    gc.set_threshold(_GC_YOUNG, *gc.get_threshold()[1:])
    try:
        ceiling = _address_space() + limits.file_memory * MB
    except OSError:  # no /proc: no memory ceiling (the time limit still holds)
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    _worker_ceiling = ceiling


def _ran_out_of_memory(peak_before: int) -> bool:
    """Did this parse take the worker's address space up to its ceiling?"""
    if _worker_ceiling is None:
        return False
    peak = _address_space("VmPeak")
    return peak > peak_before and peak >= _worker_ceiling - _CEILING_MARGIN


def _parse_source(source: Source, rows: bool):
    from ingest.pipeline import parse_bytes

    peak_before = _address_space("VmPeak")
    try:
        result = parse_bytes(source.name, source.read())
        return file_rows(result) if rows else result
    except MemoryError:
        result = refused(source, "too_large", out_of_memory_message(_worker_limits or Limits()))
    except OSError as err:  # gone or unreadable since it was listed
        result = refused(source, "unreadable_file", f"the file could not be read: {err}")
    except Exception:
        if not _ran_out_of_memory(peak_before):
            raise  # a parser's bug: parser_error, in the parent
        result = refused(source, "too_large", out_of_memory_message(_worker_limits or Limits()))
    return file_rows(result) if rows else result


# -- in the parent -----------------------------------------------------------
def _signal_name(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _failure(source: Source, error: BaseException, limits: Limits) -> FileResult:
    if isinstance(error, FutureTimeout):
        return refused(source, "timeout", (
            f"parsing the file took longer than the limit of {limits.file_timeout:g} s "
            "(--file-timeout, JIXIAO_FILE_TIMEOUT): its worker was stopped and nothing of it landed; "
            "if the file is a genuine large document, raise the limit"))
    if isinstance(error, (ProcessExpired, BrokenProcessPool)):
        exitcode = getattr(error, "exitcode", None)
        hint = {
            -signal.SIGKILL: " (often the system's out-of-memory killer)",
            -signal.SIGABRT: (" (often a native library that ran out of memory: the file may need more than "
                              f"--file-memory {limits.file_memory} MB)"),
        }.get(exitcode, "")
        return refused(source, "worker_crashed", (
            f"the worker process parsing the file died ({_signal_name(exitcode)}){hint}: nothing of it "
            "landed, every other file was parsed; run the ingest again, and if it happens again with this "
            "file, report the file"))
    if isinstance(error, MemoryError):
        return refused(source, "too_large", out_of_memory_message(limits))
    return refused(source, "parser_error", (
        f"the parser failed on this file ({type(error).__name__}: {error}): nothing of it landed; "
        "this is a bug in jixiao: report it with the file"))


class IsolatedParser:
    """A pool of parsing workers under ``limits`` (use it as a context manager).

    ``parse(sources)`` yields, in input order, one result per source: the
    landing rows (``rows=True``: ``(FileSummary, frames)``, what
    :func:`ingest.landing.file_rows` returns) or the :class:`FileResult`."""

    def __init__(self, limits: Limits, workers: int | None = None):
        self.limits = limits
        self.workers = max(1, workers or limits.workers)
        self._pool: ProcessPool | None = None

    def __enter__(self) -> IsolatedParser:
        return self

    def __exit__(self, *exc) -> None:
        self.close(abort=exc[0] is not None)

    def _get_pool(self) -> ProcessPool:
        if self._pool is None:
            # forkserver, not fork: workers must not inherit the caller's open
            # files (a build's lock), or a killed build would leave it held.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["ingest.pipeline", "ingest.isolation"])
            self._pool = ProcessPool(max_workers=self.workers, initializer=_init_worker,
                                     initargs=(self.limits,), context=context)
        return self._pool

    def close(self, abort: bool = False) -> None:
        if self._pool is not None:
            if abort:
                self._pool.stop()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None

    def _submit(self, source: Source, rows: bool):
        """A future for the source's parse, or the refusal of a file that is
        not parsed at all."""
        try:
            size = source.size()
        except OSError as err:
            return refused(source, "unreadable_file", f"the file could not be read: {err}")
        if size > self.limits.max_file_bytes:
            return refused(source, "too_large", too_large_message(size, self.limits))
        try:
            return self._get_pool().schedule(_parse_source, args=(source, rows), timeout=self.limits.file_timeout)
        except RuntimeError:  # the pool broke (a worker's reply could not be read): start a new one
            self.close(abort=True)
            return self._get_pool().schedule(_parse_source, args=(source, rows), timeout=self.limits.file_timeout)

    def parse(self, sources: Iterable[Source], rows: bool = True) -> Iterator:
        finish: Callable[[FileResult], object] = file_rows if rows else (lambda r: r)
        pending: deque = deque()
        window = self.workers * WINDOW_PER_WORKER

        def settle():
            source, job = pending.popleft()
            if isinstance(job, FileResult):
                return finish(job)
            try:
                return job.result()
            except Exception as error:  # noqa: BLE001 - timeouts, dead workers, bugs: each costs one file
                return finish(_failure(source, error, self.limits))

        for source in sources:
            pending.append((source, self._submit(source, rows)))
            if len(pending) >= window:
                yield settle()
        while pending:
            yield settle()


# -- in a process of its own (Spark's Python workers) ------------------------
class _OutOfTime(BaseException):
    """Raised by the alarm inside a parse that outlasted its limit (a
    BaseException, so that no parser's ``except Exception`` swallows it)."""


def parse_in_process(source_file: str, data: bytes, limits: Limits) -> FileResult:
    """Parse one file here, under the size cap and (from the main thread,
    where signals are delivered) the time limit; for engines that run their
    own worker processes (Spark), whose memory they cap themselves."""
    from ingest.pipeline import parse_bytes

    source = Source(source_file, data=data)
    if len(data) > limits.max_file_bytes:
        return refused(source, "too_large", too_large_message(len(data), limits))
    if threading.current_thread() is not threading.main_thread():
        return parse_bytes(source_file, data)

    def alarm(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limits.file_timeout)
    try:
        return parse_bytes(source_file, data)
    except _OutOfTime:
        return _failure(source, FutureTimeout(), limits)
    except MemoryError:
        return refused(source, "too_large", out_of_memory_message(limits))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
