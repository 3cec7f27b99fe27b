"""The end of a ``jixiao`` process: exit without the interpreter's teardown."""

from __future__ import annotations

import atexit
import os
import sys
import threading


def end_process(status: int) -> None:
    """Exit now with ``status``, as the interpreter would, minus its teardown.

    At exit CPython clears every module and runs full garbage collections over
    every object still alive; after a build (dbt, Great Expectations, pandas,
    scipy in memory) that took 2-4 s and did nothing useful: by then every
    file, DuckDB connection and lock of ours is closed. So: run the exit
    handlers (logging flushes and closes its files, ...), flush stdout and
    stderr, and ``os._exit``. Returns instead, leaving the exit to the
    interpreter, while a thread that is not a daemon still runs (the
    interpreter would wait for it)."""
    main = threading.main_thread()
    if any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a broken pipe: nothing more can be written
            pass
    os._exit(status)
