"""The scrambled-layout (pdftext) reader alone: its output digest and its speed.

    python -m bench.pdftext_speed digest DIR... --out FILE   # one line per pdftext file: name, sha256 of its result
    python -m bench.pdftext_speed digest --all DIR... --out FILE   # every file, through parse_bytes and its rows
    python -m bench.pdftext_speed time [--reps N]            # forms/s per bundled document, single core
    python -m bench.pdftext_speed floor DIR                  # DuckDB read_csv of every file in DIR as plain lines
    python -m bench.pdftext_speed instructions FILE... [--reps N]   # callgrind: instructions a parse of the files

``digest`` hashes the whole parse result of every document the pdftext layout
reads (every form with every field, indicator and warning; every rejection
with its code, message and line), so two versions of the parser can be
compared file by file: ``diff`` of two digests is empty when their output is
identical. With ``--all`` every file under the folders (any source) goes
through ``ingest.pipeline.parse_bytes``, and its landing rows
(``ingest.landing.file_rows``) are hashed beside its result. ``time`` parses the four bundled documents in this process (``parse_bytes``, one
core, no landing) and prints ms a form and forms/s for each. Used for the
figures in bench/README.md ("The pdftext reader alone").
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from ingest.layouts import pdftext
from ingest.sources import detect_text
from ingest.text import decode_text
from jixiao.paths import RAW_DIR


def _text(path: Path) -> str:
    return decode_text(path.read_bytes()).text


def _is_pdftext(lines: list[str]) -> bool:
    """Read by the scrambled-text reconstruction, as ``parse_bytes`` decides."""
    return detect_text(lines) is None and pdftext.detect(lines)


def digest(dirs: list[Path], out: Path) -> int:
    lines = []
    files = forms = issues = 0
    for d in dirs:
        for path in sorted(p for p in d.rglob("*.txt") if p.is_file()):
            text = _text(path)
            if not _is_pdftext(text.split("\n")):
                continue
            parsed = pdftext.parse(text)
            files += 1
            forms += len(parsed.forms)
            issues += len(parsed.issues) + sum(len(f.warnings) for f in parsed.forms)
            lines.append(f"{path.relative_to(d.parent)}\t{hashlib.sha256(repr(parsed).encode()).hexdigest()}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{files} pdftext files, {forms} forms landed, {issues} issues (warnings and rejections) -> {out}")
    return 0


def digest_all(dirs: list[Path], out: Path) -> int:
    """Every file's whole ``parse_bytes`` result and its landing rows, hashed."""
    from ingest.landing import file_rows
    from ingest.pipeline import parse_bytes

    lines = []
    files = forms = issues = 0
    for d in dirs:
        for path in sorted(p for p in d.rglob("*") if p.is_file()):
            result = parse_bytes(path.name, path.read_bytes())
            summary, frames = file_rows(result)
            rows = {t: (f.columns, [str(dt) for dt in f.dtypes], f.rows()) for t, f in frames.items()}
            files += 1
            forms += len(result.forms)
            issues += len(result.all_issues)
            lines.append(f"{path.relative_to(d.parent)}\t{hashlib.sha256(repr(result).encode()).hexdigest()}"
                         f"\t{hashlib.sha256(repr((summary, rows)).encode()).hexdigest()}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{files} files, {forms} forms landed, {issues} issues (warnings and rejections) -> {out}")
    return 0


def time_documents(reps: int) -> int:
    from ingest.pipeline import parse_bytes

    for path in sorted(RAW_DIR.glob("*.txt")):
        data = path.read_bytes()
        parsed = parse_bytes(path.name, data)
        n = len(parsed.forms) + len(parsed.issues)
        start = time.process_time()
        for _ in range(reps):
            parse_bytes(path.name, data)
        spent = (time.process_time() - start) / reps  # CPU time: steadier than wall time on a shared machine
        print(f"{path.name}\t{parsed.layout}\t{n} forms\t{1000 * spent / n:.3f} ms/form\t{n / spent:,.0f} forms/s")
    return 0


def instructions(files: list[Path], reps: int) -> int:
    """Instructions a parse of the files (each once, in this order), counted by callgrind: this
    module runs again under valgrind, parses the files once to warm up, then ``reps`` more times
    inside libc's ``qsort_r`` (a comparator callback), and callgrind counts only what runs inside
    it (``--toggle-collect``), so imports, the warm-up and the other threads stay out."""
    import os
    import re
    import subprocess

    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=qsort_r",
         "--callgrind-out-file=/dev/null", sys.executable, "-m", "bench.pdftext_speed", "measured",
         "--reps", str(reps), *map(str, files)],
        env=env, capture_output=True, text=True, check=True)
    collected = re.search(r"Collected : (\d+)", proc.stderr)
    if collected is None:
        raise RuntimeError(f"callgrind reported no count:\n{proc.stderr[-2000:]}")
    count = int(collected.group(1)) / reps
    print(f"{count / 1e6:.1f} M instructions a parse of {len(files)} file(s)")
    return 0


def measured(files: list[Path], reps: int) -> int:
    """The parses that ``instructions`` counts (run under valgrind)."""
    import ctypes

    from ingest.pipeline import parse_bytes

    docs = [(path.name, path.read_bytes()) for path in files]
    for name, data in docs:  # warm: imports, label caches
        parse_bytes(name, data)
    done = []

    def compare(_a: int, _b: int) -> int:
        if not done:
            done.append(True)
            for _ in range(reps):
                for name, data in docs:
                    parse_bytes(name, data)
        return 0

    two = (ctypes.c_int * 2)(1, 2)
    callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(compare)
    ctypes.CDLL(None).qsort(two, 2, ctypes.sizeof(ctypes.c_int), callback)
    if not done:
        raise RuntimeError("qsort never called the comparator: nothing was parsed")
    return 0


def floor(folder: Path) -> int:
    import duckdb

    start, cpu = time.perf_counter(), time.process_time()
    with duckdb.connect() as con:
        rows = con.execute(
            f"CREATE TABLE lines AS SELECT * FROM read_csv('{folder}/*.txt', columns={{'line': 'VARCHAR'}}, "
            "delim='\\x01', quote='', escape='', header=false, auto_detect=false, null_padding=true, "
            "ignore_errors=true)"
        ).fetchone()[0]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"read_csv of {folder}: {rows:,} lines in {wall:.2f} s ({cpu:.2f} CPU s over its threads)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("digest")
    d.add_argument("dirs", nargs="+", type=Path)
    d.add_argument("--all", action="store_true", help="every file, any source, through parse_bytes and its rows")
    d.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("time")
    t.add_argument("--reps", type=int, default=20)
    f = sub.add_parser("floor")
    f.add_argument("folder", type=Path)
    for name in ("instructions", "measured"):
        c = sub.add_parser(name)
        c.add_argument("files", nargs="+", type=Path)
        c.add_argument("--reps", type=int, default=1)
    args = ap.parse_args(argv)
    if args.cmd == "digest":
        return (digest_all if args.all else digest)(args.dirs, args.out)
    if args.cmd == "time":
        return time_documents(args.reps)
    if args.cmd == "instructions":
        return instructions(args.files, args.reps)
    if args.cmd == "measured":
        return measured(args.files, args.reps)
    return floor(args.folder)


if __name__ == "__main__":
    sys.exit(main())
