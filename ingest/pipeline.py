"""Ingest files: read, decode, detect the layout, parse, land.

Parsing is pure (bytes in, :class:`FileResult` out) and runs in worker
processes, each file under a time limit and a memory ceiling
(:mod:`ingest.isolation`, :mod:`ingest.limits`); each worker also turns its
result into columnar rows, so only compact frames cross process boundaries.
Rows land in DuckDB chunk by chunk (one transaction per chunk), in input
order, which bounds memory.

A file's name in the warehouse (``source_file``) is its path relative to the
folder it was found in (``2023/a.txt``), or its name when it was named
directly: same-named files in different subfolders never collide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ingest.isolation import IsolatedParser, Source
from ingest.landing import SCHEMAS, FileResult, FileSummary, ensure_schema, export_parquet, land, remove_files
from ingest.layouts import pdftext
from ingest.limits import Limits
from ingest.records import FormError, Issue
from ingest.sources import detect_text, sniff_file
from ingest.template import read_grids
from ingest.text import UndecodableError, decode_text

# Files landed per transaction.
CHUNK_FILES = 500


def discover_sources(paths: Iterable[Path]) -> list[Source]:
    """Files named (by their name), and the files below folders named (by
    their path relative to that folder, with ``/``); hidden ones skipped."""
    found: list[Source] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                Source(p.relative_to(path).as_posix(), path=p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(Source(path.name, path=path))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def discover(paths: Iterable[Path]) -> list[Path]:
    """The files :func:`discover_sources` finds, as paths."""
    return [source.path for source in discover_sources(paths)]


def parse_bytes(source_file: str, data: bytes) -> FileResult:
    """Parse one document's bytes. Never raises for bad input: problems come
    back as issues on the result."""
    sha = hashlib.sha256(data).hexdigest()
    result = FileResult(source_file, sha, len(data), encoding=None, layout=None)
    if not data.strip():
        result.issues.append(Issue("empty_file", "the file is empty"))
        return result
    source = sniff_file(data)
    try:
        if source is not None:
            result.source_format = source.FORMAT
            grids = source.read(data)
        else:
            decoded = decode_text(data)
            text, result.encoding = decoded.text, decoded.encoding
            result.issues.extend(decoded.issues)
            result.source_format = "text"
            lines = text.split("\n")
            source = detect_text(lines)
            if source is None and pdftext.detect(lines):  # scrambled pdftotext text: the reconstruction reads it
                parsed = pdftext.parse(text)
                result.layout = parsed.layout
                result.forms = parsed.forms
                result.issues.extend(parsed.issues)
                return result
            if source is None:
                result.issues.append(
                    Issue("no_form", "no 项目支出绩效自评表 form was found in a layout jixiao can read")
                )
                return result
            grids = source.read(text)
    except UndecodableError as err:
        result.issues.append(Issue("not_text", str(err)))
        return result
    except FormError as err:
        result.issues.append(Issue(err.code, err.message, err.line_no))
        return result
    result.layout = source.NAME
    forms, issues = read_grids(grids)
    result.forms = forms
    result.issues.extend(issues)
    return result


def parse_file(path: Path, source_file: str | None = None) -> FileResult:
    """Parse one file here, in this process, with no limits (tools, tests)."""
    return parse_bytes(source_file or path.name, path.read_bytes())


def parsed_rows(sources: list[Source], limits: Limits) -> Iterator[tuple[FileSummary, dict[str, pl.DataFrame]]]:
    """Parse files in worker processes under ``limits``; in input order."""
    if not sources:
        return
    with IsolatedParser(limits, workers=min(limits.workers, len(sources))) as parser:
        yield from parser.parse(sources)


@dataclass
class IngestReport:
    results: list[FileSummary]  # the files parsed by this run
    db_path: Path
    landing_files: list[Path]
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0  # skipped: already landed with the same content
    files_removed: int = 0  # landed earlier, gone from the input folder: their rows were removed

    @property
    def forms_landed(self) -> int:
        return sum(r.forms_landed for r in self.results)

    @property
    def rejections(self) -> list[tuple[str, Issue]]:
        return [(r.source_file, i) for r in self.results for i in r.rejected]

    @property
    def warnings(self) -> list[tuple[str, Issue]]:
        return [(r.source_file, i) for r in self.results for i in r.warnings]

    @property
    def exit_code(self) -> int:
        return 1 if self.rejections else 0


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    on_done: Callable[[FileSummary], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    *,
    incremental: bool = False,
    prune_missing: bool = False,
    limits: Limits | None = None,
) -> IngestReport:
    """Land the documents under ``paths`` in ``db_path``.

    ``incremental``: files already landed with the same content are not parsed
    again. ``prune_missing``: files landed earlier but no longer under
    ``paths`` lose their rows (the input folder is the truth). A build starts
    from a byte copy of the served warehouse (jixiao.orchestrate) and ingests
    into it incrementally. ``on_start`` is told
    how many files will be parsed, ``on_done`` gets each one's summary
    (jixiao.progress.Progress is both). ``limits``: per file (default: the
    environment's, see ingest.limits).
    """
    limits = limits or Limits.from_env()
    files = discover_sources(paths)
    summaries: list[FileSummary] = []
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        ensure_schema(con)
        known = dict(con.sql("SELECT source_file, source_sha256 FROM raw.source_files").fetchall())
        if incremental and known:
            present = {s.name for s in files}
            # content already landed under another name that is still in the input: a copy, left as it is
            # (landing it would move the rows to the copy's name, and back again on the next run)
            landed_under = {sha: name for name, sha in known.items() if name in present}

            def unchanged(s: Source) -> bool:
                if s.name in known:
                    return known[s.name] == s.sha256()
                return landed_under.get(s.sha256(), s.name) != s.name

            todo = [s for s in files if not unchanged(s)]
        else:
            todo = files
        counts = {
            "files_seen": len(files),
            "files_new": sum(1 for s in todo if s.name not in known),
            "files_changed": sum(1 for s in todo if s.name in known),
            "files_unchanged": len(files) - len(todo),
            "files_removed": 0,
        }
        if prune_missing:
            gone = sorted(set(known) - {s.name for s in files})
            if gone:
                remove_files(con, gone)
            counts["files_removed"] = len(gone)
        chunk: list[tuple[FileSummary, dict[str, pl.DataFrame]]] = []
        chunk_shas: set[str] = set()

        def flush() -> None:
            if chunk:
                frames = {t: pl.concat([f[t] for _, f in chunk], how="vertical") for t in chunk[0][1]}
                land(con, [s for s, _ in chunk], frames)
                chunk.clear()
                chunk_shas.clear()

        if on_start:
            on_start(len(todo))
        for summary, frames in parsed_rows(todo, limits):
            summaries.append(summary)
            if summary.forms_landed and summary.source_sha256 in chunk_shas:
                # the same forms twice (copies under two names): landing the first
                # alone lets the second replace it, as any file replaces its content's
                # earlier rows, so they land once, not twice under the same ids
                flush()
            chunk.append((summary, frames))
            chunk_shas.add(summary.source_sha256)
            if on_done:
                on_done(summary)
            if len(chunk) >= CHUNK_FILES:
                flush()
        flush()
        written = export_parquet(con, landing_dir_for(db_path))
    return IngestReport(summaries, db_path, written, **counts)


def landing_dir_for(db_path: Path) -> Path:
    """The Parquet landing zone sits beside the warehouse: data/landing/."""
    return db_path.parent / "landing"
