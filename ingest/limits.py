"""The limits every file is parsed under, and where they come from.

A nightly build reads whatever lands in the input folder, so no single file
may stall or sink it: each file is parsed in a worker process under a time
limit and a memory ceiling, and a file above a size cap is not parsed at all
(see :mod:`ingest.isolation`). The defaults suit the machine jixiao is built
on (2 cores, 24 GB): one worker per core, each allowed 4 GB above what it
holds when idle, so two runaway files together still leave most of the
memory free.

Each limit is set, in order of precedence, by a command-line flag
(``--file-timeout S``, ``--file-memory MB``, ``--max-file-size MB``,
``--workers N``), by the environment (``JIXIAO_FILE_TIMEOUT``,
``JIXIAO_FILE_MEMORY``, ``JIXIAO_MAX_FILE_SIZE``, ``JIXIAO_WORKERS``), or by
the default here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # seconds one file may take to parse (its worker is stopped after that)
    file_timeout: float = 300.0
    # megabytes of memory a worker may take on top of what it holds idle
    file_memory: int = 4096
    # megabytes: a larger file is refused without being read
    max_file_size: int = 256
    # worker processes parsing files at the same time (one per core)
    workers: int = max(1, os.cpu_count() or 1)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_size * MB

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: float | int | None) -> Limits:
        """The defaults, overridden by ``JIXIAO_<NAME>`` variables, overridden
        by ``overrides`` (a command's flags; None means not given). Raises
        ValueError, with a message for the user, for a value that is not a
        positive number."""
        environ = os.environ if environ is None else environ
        limits = cls()
        for f in fields(cls):
            raw = overrides.get(f.name)
            source = f"--{f.name.replace('_', '-')}"
            if raw is None and f"JIXIAO_{f.name.upper()}" in environ:
                raw, source = environ[f"JIXIAO_{f.name.upper()}"], f"JIXIAO_{f.name.upper()}"
            if raw is None:
                continue
            kind = float if f.type in ("float", float) else int
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"{source} must be a {'number' if kind is float else 'whole number'}, not {raw!r}") from None
            if value <= 0:
                raise ValueError(f"{source} must be above 0, not {raw!r}")
            limits = replace(limits, **{f.name: value})
        return limits

    def describe(self) -> str:
        return (f"{self.file_timeout:g} s and {self.file_memory} MB per file, files up to {self.max_file_size} MB, "
                f"{self.workers} worker{'s' if self.workers != 1 else ''}")
