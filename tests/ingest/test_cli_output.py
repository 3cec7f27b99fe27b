"""`jixiao ingest` shows a progress bar on a terminal and plain lines in a log."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from ingest.pipeline import ingest
from jixiao.paths import RAW_DIR
from jixiao.progress import Progress

TABULAR = ["000_0e1cca4759df0cce.txt", "002_42c27752b8eae618.txt", "003_dc4befe519062102.txt"]


def test_plain_lines_in_a_log(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "ingest", "--db", str(tmp_path / "j.duckdb"),
         *(str(RAW_DIR / f) for f in TABULAR)],
        capture_output=True, text=True, env={**os.environ, "CI": "true"}, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "parsed 002_42c27752b8eae618.txt: 30 forms landed, 0 rejected (tabular, utf-8)" in proc.stderr
    assert "\r" not in proc.stderr
    assert "ingest: 3 files, 39 forms landed, 0 rejected" in proc.stdout


def test_progress_bar_on_a_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "ingest", "--db", str(tmp_path / "j.duckdb"),
         *(str(RAW_DIR / f) for f in TABULAR)],
        stdout=subprocess.PIPE, stderr=terminal, env=env,
    )
    os.close(terminal)
    out, _ = proc.communicate(timeout=120)
    chunks = []
    while True:
        try:
            data = os.read(controller, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    screen = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 0
    assert "] 3/3 files, 39 forms" in screen
    assert "\r[" in screen
    assert "parsed " not in screen
    assert b"39 forms landed" in out


class _Terminal(io.StringIO):
    """What Progress writes to, taken for a terminal (the pty test above runs the real one)."""

    def isatty(self) -> bool:
        return True


def test_an_incremental_run_counts_only_the_files_it_parses(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    db = tmp_path / "j.duckdb"
    ingest([RAW_DIR / f for f in TABULAR[:2]], db)
    screen = _Terminal()
    progress = Progress(stream=screen)
    report = ingest([RAW_DIR / f for f in TABULAR], db, on_start=progress.start, on_done=progress, incremental=True)
    assert (report.files_unchanged, report.files_new) == (2, 1)
    # one file to parse: no bar for a single file, a plain line for it (003 prints 7 forms)
    assert screen.getvalue() == "parsed 003_dc4befe519062102.txt: 7 forms landed, 0 rejected (tabular, utf-8)\n"
    progress = Progress(stream=(screen := _Terminal()))
    ingest([RAW_DIR / f for f in TABULAR], tmp_path / "fresh.duckdb", on_start=progress.start, on_done=progress,
           incremental=True)
    assert screen.getvalue().endswith("] 3/3 files, 39 forms\n")  # 2 + 30 + 7 forms; the bar completes its line
