"""Ingest files: read, decode, detect the layout, parse, land.

Parsing is pure (bytes in, :class:`FileResult` out) and runs in worker
processes when there are many files; landing happens once, in one
transaction, in the calling process.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.landing import FileResult, export_parquet, land
from ingest.layouts import detect_layout
from ingest.records import Issue
from ingest.text import UndecodableError, decode

# Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 8


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files below folders named (hidden ones skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def parse_bytes(source_file: str, data: bytes) -> FileResult:
    """Parse one document's bytes. Never raises for bad input: problems come
    back as issues on the result."""
    sha = hashlib.sha256(data).hexdigest()
    result = FileResult(source_file, sha, len(data), encoding=None, layout=None)
    if not data.strip():
        result.issues.append(Issue("empty_file", "the file is empty"))
        return result
    try:
        text, result.encoding = decode(data)
    except UndecodableError as err:
        result.issues.append(Issue("not_text", str(err)))
        return result
    layout = detect_layout(text.split("\n"))
    if layout is None:
        result.issues.append(
            Issue("no_form", "no 财政项目支出绩效自评表 form was found in a layout jixiao can read")
        )
        return result
    parsed = layout.parse(text)
    result.layout = parsed.layout
    result.forms = parsed.forms
    result.issues = parsed.issues
    return result


def parse_file(path: Path) -> FileResult:
    return parse_bytes(path.name, path.read_bytes())


@dataclass
class IngestReport:
    results: list[FileResult]
    db_path: Path
    landing_files: list[Path]

    @property
    def forms_landed(self) -> int:
        return sum(len(r.forms) for r in self.results)

    @property
    def rejections(self) -> list[tuple[str, Issue]]:
        return [(r.source_file, i) for r in self.results for i in r.rejected]

    @property
    def warnings(self) -> list[tuple[str, Issue]]:
        return [
            (r.source_file, i)
            for r in self.results
            for i in [*r.issues, *(w for f in r.forms for w in f.warnings)]
            if i.severity.value == "warning"
        ]

    @property
    def exit_code(self) -> int:
        return 1 if self.rejections else 0


def parse_all(files: list[Path], on_done: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Parse files, on both cores when there are many; results in input order."""
    if len(files) < PARALLEL_THRESHOLD or (os.cpu_count() or 1) < 2:
        results = []
        for path in files:
            results.append(parse_file(path))
            if on_done:
                on_done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = []
        for res in pool.map(parse_file, files, chunksize=max(1, len(files) // 64)):
            results.append(res)
            if on_done:
                on_done(res)
        return results


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    on_done: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    files = discover(paths)
    results = parse_all(files, on_done)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        land(con, results)
        written = export_parquet(con, landing_dir_for(db_path))
    return IngestReport(results, db_path, written)


def landing_dir_for(db_path: Path) -> Path:
    """The Parquet landing zone sits beside the warehouse: data/landing/."""
    return db_path.parent / "landing"
