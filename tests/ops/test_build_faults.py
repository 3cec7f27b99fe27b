"""Builds that are killed, raced or read during never break the served warehouse.

Real processes: `jixiao build` runs as a subprocess over a real corpus (the
bundled documents plus a synthetic corpus big enough to kill it mid-way), and
is killed with SIGKILL at the step under test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from clitools import query, run_jixiao
from jixiao.paths import RAW_DIR
from jixiao.releases import Releases

EXIT_LOCKED = 3


def build_process(served: Path, raw: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "jixiao.cli", "build", "--db", str(served), "--raw", str(raw), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "CI": "true", "PYTHONUNBUFFERED": "1"},
    )


def run_build(served: Path, raw: Path, *extra: str) -> tuple[int, str]:
    proc = build_process(served, raw, *extra)
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out


def kill_when(proc: subprocess.Popen, marker: str, delay: float = 0.0) -> str:
    """Read the build's output until ``marker`` appears, then SIGKILL it."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    return "".join(seen)


def fingerprint(db: Path) -> tuple[str, int, int]:
    """The served file's bytes, and what a reader sees in it."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with duckdb.connect(str(db), read_only=True) as con:
        forms = con.sql("SELECT count(*) FROM marts.fct_evaluation").fetchall()[0][0]
        indicators = con.sql("SELECT count(*) FROM marts.fct_indicator_result").fetchall()[0][0]
    return digest, forms, indicators


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """data/raw plus 1,000 synthetic forms: ingest takes long enough to be killed."""
    root = tmp_path_factory.mktemp("ops")
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    synth = root / "synth"
    made = run_jixiao("synth", "--forms", "1000", "--seed", "5", "--out", synth)
    assert made.returncode == 0, made.stdout + made.stderr
    for doc in (synth / "docs").iterdir():
        shutil.copy(doc, raw / doc.name)
    return raw


@pytest.fixture(scope="module")
def served(corpus, tmp_path_factory) -> Path:
    served = tmp_path_factory.mktemp("served") / "jixiao.duckdb"
    code, out = run_build(served, corpus)
    assert code == 0, out
    return served


def test_a_build_killed_during_ingest_leaves_the_served_warehouse_unchanged(served, corpus):
    before = fingerprint(served)
    # --full: every file is parsed again, so the build is inside ingest when killed
    proc = build_process(served, corpus, "--full")
    kill_when(proc, "parsed ")
    assert fingerprint(served) == before

    code, out = run_build(served, corpus)
    assert code == 0, out
    assert "cleared a stale lock" in out
    assert fingerprint(served)[1:] == before[1:]
    assert Releases(served).history()[-2]["status"] == "killed"


def test_a_build_killed_during_dbt_leaves_the_served_warehouse_unchanged(served, corpus):
    before = fingerprint(served)
    proc = build_process(served, corpus)
    kill_when(proc, "dbt build: running", delay=2.0)
    assert fingerprint(served) == before

    code, out = run_build(served, corpus)
    assert code == 0, out
    assert "cleared a stale lock" in out
    after = fingerprint(served)
    assert after[0] != before[0] and after[1:] == before[1:]


def test_two_builds_started_together_exactly_one_runs(served, corpus):
    first, second = build_process(served, corpus), build_process(served, corpus)
    outs = [p.communicate(timeout=600)[0] for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes == [0, EXIT_LOCKED], outs
    loser = outs[[first.returncode, second.returncode].index(EXIT_LOCKED)]
    winner = first if first.returncode == 0 else second
    assert f"another build is running: PID {winner.pid}, started " in loser


def test_wait_waits_for_the_running_build(served, corpus):
    first = build_process(served, corpus)
    # the first build holds the lock once it prints its "build <id>: building …" line
    assert any(line.startswith("build ") for line in first.stdout), "the first build never started"
    # keep reading the first build's output while the second waits: a full pipe would stall it, lock held
    rest = threading.Thread(target=first.stdout.read, daemon=True)
    rest.start()
    code, out = run_build(served, corpus, "--wait")
    first.wait(timeout=600)
    rest.join(timeout=60)
    assert first.returncode == 0
    assert code == 0, out


# every form landed: those the marts keep, and those reported as the same project-year again
# (the reader below counts them the same way)
FORMS_LANDED = ("SELECT (SELECT count(*) FROM marts.fct_evaluation) "
                "+ (SELECT count(*) FROM marts.fct_duplicate_evaluation)")
READER = textwrap.dedent(
    """
    import os, sys, time, duckdb
    path, stop, log = sys.argv[1], sys.argv[2], open(sys.argv[3], "w", buffering=1)
    con, ident = None, None
    while not os.path.exists(stop):
        st = os.stat(path)
        if (st.st_ino, st.st_mtime_ns) != ident:
            if con is not None:
                con.close()
            con, ident = duckdb.connect(path, read_only=True), (st.st_ino, st.st_mtime_ns)
        try:
            n = con.sql("SELECT (SELECT count(*) FROM marts.fct_evaluation) "
                        "+ (SELECT count(*) FROM marts.fct_duplicate_evaluation)").fetchall()[0][0]
            log.write(f"ok {n}\\n")
        except Exception as exc:
            log.write(f"error {type(exc).__name__}: {exc}\\n")
        time.sleep(0.05)
    """
)


def test_a_reader_holding_a_connection_through_a_build_sees_no_error_then_the_new_data(served, corpus, tmp_path):
    (forms_before,), = query(served, FORMS_LANDED)
    extra = tmp_path / "extra"
    made = run_jixiao("synth", "--forms", "40", "--seed", "99", "--out", extra)
    assert made.returncode == 0, made.stdout + made.stderr
    for doc in (extra / "docs").iterdir():
        shutil.copy(doc, corpus / doc.name)
    script, stop, log = tmp_path / "reader.py", tmp_path / "stop", tmp_path / "reader.log"
    script.write_text(READER)
    reader = subprocess.Popen([sys.executable, str(script), str(served), str(stop), str(log)])
    try:
        time.sleep(1.0)
        code, out = run_build(served, corpus)
        time.sleep(1.0)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    assert code == 0, out
    lines = log.read_text().splitlines()
    assert lines and not [line for line in lines if line.startswith("error")]
    seen = [int(line.split()[1]) for line in lines]
    assert seen[0] == forms_before
    assert seen[-1] == forms_before + 40


def test_rollback_restores_the_previous_build_and_refuses_a_corrupt_one(served, corpus):
    releases = Releases(served)
    current = releases.served_build_id()
    before = fingerprint(served)
    rolled = run_jixiao("rollback", "--db", served)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    restored = releases.served_build_id()
    assert restored != current
    assert fingerprint(served)[0] != before[0]

    # the build before that one is damaged on disk: rolling back to it is refused
    older = [p for p in releases.kept() if p.name not in (restored, current)]
    assert older, "three successful builds are kept"
    target = older[0] / "jixiao.duckdb"
    with target.open("r+b") as fh:  # keep DuckDB's 12 KiB of headers, scramble every block after them
        fh.seek(12288)
        fh.write(os.urandom(target.stat().st_size - 12288))
    served_before = fingerprint(served)
    proc = run_jixiao("rollback", "--db", served)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "refused" in proc.stdout
    assert fingerprint(served) == served_before
