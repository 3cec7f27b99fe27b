"""Per-file limits: a file that hangs, kills its worker or is too large costs
only itself; every other file of the batch lands and the exit status says 1.

The inputs are real: the bundled documents, and large documents made of
many copies of them (a big department's annual file). Nothing in jixiao can
be told to hang or crash on purpose: a parse is made to outlast its limit by
a limit far below what a large real file takes, a worker dies the ways
workers die in production (a native library aborting when the memory
ceiling is reached, or the kernel's out-of-memory killer, whose SIGKILL the
test sends itself).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from clitools import query, run_jixiao
from ingest.isolation import parse_in_process
from ingest.limits import Limits
from ingest.pipeline import ingest
from jixiao.paths import RAW_DIR

CITY_2020 = RAW_DIR / "000_0e1cca4759df0cce.txt"  # 2 forms
CITY_2022 = RAW_DIR / "001_13e9ac82ec5acbf2.txt"  # 9 forms, the scrambled layout
MINHANG = RAW_DIR / "002_42c27752b8eae618.txt"  # 30 forms
CENTER = RAW_DIR / "003_dc4befe519062102.txt"  # 7 forms


def copies(source: Path, n: int, path: Path) -> Path:
    """A document holding ``n`` copies of a bundled one, one after the other."""
    path.write_text("\n".join([source.read_text(encoding="utf-8")] * n), encoding="utf-8")
    return path


def folder_with(tmp_path: Path, big: Path | None = None, name: str = "b_big.txt", n: int = 200) -> Path:
    """000 and 003 around a large copy of ``big`` (002 by default)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_city.txt").write_bytes(CITY_2020.read_bytes())
    copies(big or MINHANG, n, folder / name)
    (folder / "c_center.txt").write_bytes(CENTER.read_bytes())
    return folder


def errors(db: Path) -> list[tuple]:
    return query(db, "SELECT source_file, form_seq, error_code, severity FROM raw.ingest_errors "
                     "WHERE severity = 'error' ORDER BY source_file")


def forms_by_file(db: Path) -> dict[str, int]:
    return dict(query(db, "SELECT source_file, count(*) FROM raw.forms GROUP BY ALL"))


def test_a_file_that_outlasts_the_time_limit_is_refused_and_the_others_land(tmp_path):
    # 1,000 copies of 002 (30,000 forms, 64 MB: under the size cap) take many seconds to parse,
    # the other two files a few hundredths of one: a limit of 3 s tells them apart even on a busy machine
    folder = folder_with(tmp_path, n=1000)
    db = tmp_path / "j.duckdb"

    proc = run_jixiao("ingest", "--db", db, "--file-timeout", "3", folder)

    assert proc.returncode == 1, proc.stderr
    assert errors(db) == [("b_big.txt", None, "timeout", "error")]
    assert forms_by_file(db) == {"a_city.txt": 2, "c_center.txt": 7}
    assert "rejected b_big.txt (timeout)" in proc.stdout and "limit of 3 s" in proc.stdout
    assert "parsed b_big.txt: 0 forms landed, 1 rejected (refused: timeout)" in proc.stderr
    assert query(db, "SELECT source_file FROM raw.source_files ORDER BY 1") == [
        ("a_city.txt",), ("b_big.txt",), ("c_center.txt",)
    ]


def test_the_old_worst_case_of_the_scrambled_layout_is_held_by_the_limit(tmp_path):
    """The scrambled layout's cell cutting grew with the cube of the tokens in a
    gap before a bare `5 5` line: 400 tokens took half a minute here, 800 two
    minutes, 3,000 would take hours. With the limit the batch finishes."""
    lines = CITY_2022.read_text(encoding="utf-8").split("\n")
    gap_at = lines.index("5 5")  # line 185: a bare pair of 分值 / 得分 after a name split over lines
    folder = folder_with(tmp_path, n=1)
    (folder / "b_big.txt").unlink()
    # 3,000 tokens, two a line between blank lines, as pdftotext writes (no columns: the text stays scrambled)
    gap = ["干部人才顺畅有序流动 机制建设", ""] * 1500
    (folder / "b_gap.txt").write_text("\n".join(lines[:gap_at] + gap + lines[gap_at:]), encoding="utf-8")
    db = tmp_path / "j.duckdb"

    proc = run_jixiao("ingest", "--db", db, "--file-timeout", "5", folder)

    assert proc.returncode == 1, proc.stderr
    assert forms_by_file(db).get("a_city.txt") == 2 and forms_by_file(db).get("c_center.txt") == 7
    gap_errors = [e for e in errors(db) if e[0] == "b_gap.txt"]
    # stopped by the limit; or, once the reconstruction is near-linear, read: its 8 untouched forms land and
    # the form holding the gap is refused
    assert gap_errors == [("b_gap.txt", None, "timeout", "error")] or (
        forms_by_file(db).get("b_gap.txt") == 8 and len(gap_errors) == 1
    )


def test_a_file_above_the_size_cap_is_refused_unread_and_the_others_land(tmp_path):
    folder = folder_with(tmp_path)  # b_big.txt: 12 MB
    db = tmp_path / "j.duckdb"

    proc = run_jixiao("ingest", "--db", db, folder, env={"JIXIAO_MAX_FILE_SIZE": "5"})

    assert proc.returncode == 1, proc.stderr
    assert errors(db) == [("b_big.txt", None, "too_large", "error")]
    assert forms_by_file(db) == {"a_city.txt": 2, "c_center.txt": 7}
    message = query(db, "SELECT message FROM raw.ingest_errors WHERE source_file = 'b_big.txt'")[0][0]
    assert "5 MB" in message and "--max-file-size" in message
    # its identity is still recorded: the same file is refused again, not lost
    sha, size = query(db, "SELECT source_sha256, size_bytes FROM raw.source_files WHERE source_file = 'b_big.txt'")[0]
    assert size == (folder / "b_big.txt").stat().st_size and len(sha) == 64


def test_a_file_above_the_memory_ceiling_costs_only_itself(tmp_path):
    # 60 copies of 002 (1,800 forms) need well over 40 MB to parse and turn into rows. Where the
    # ceiling is hit decides how the worker fails: Python raises MemoryError (too_large), or a
    # native library (polars) aborts the process (worker_crashed, SIGABRT: seen here)
    folder = folder_with(tmp_path, n=60)
    db = tmp_path / "j.duckdb"

    proc = run_jixiao("ingest", "--db", db, "--file-memory", "40", folder)

    assert proc.returncode == 1, proc.stderr
    [(source, seq, code, severity)] = errors(db)
    assert (source, seq, severity) == ("b_big.txt", None, "error")
    assert code in {"too_large", "worker_crashed"}
    message = query(db, "SELECT message FROM raw.ingest_errors WHERE source_file = 'b_big.txt'")[0][0]
    assert "--file-memory" in message
    assert forms_by_file(db) == {"a_city.txt": 2, "c_center.txt": 7}
    # the same file with the default ceiling lands whole
    again = run_jixiao("ingest", "--db", db, folder)
    assert again.returncode == 0, again.stdout
    assert forms_by_file(db) == {"a_city.txt": 2, "b_big.txt": 60 * 30, "c_center.txt": 7}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_a_worker_killed_while_parsing_costs_only_its_file(tmp_path):
    """The kernel's out-of-memory killer (or an operator) SIGKILLs the worker
    parsing a large scrambled-layout document; the batch goes on."""
    folder = folder_with(tmp_path, big=CITY_2022, n=100)  # b_big.txt: seconds of parsing
    killed: list[int] = []

    def kill_the_worker_parsing_b(summary) -> None:
        if summary.source_file != "a_city.txt":
            return
        # one worker: the forkserver's only child, now busy with b_big.txt
        workers = [w for server in _children(os.getpid()) for w in _children(server)]
        assert len(workers) == 1, workers
        start = _cpu_ticks(workers[0])
        deadline = time.monotonic() + 60
        while _cpu_ticks(workers[0]) - start < 30 and time.monotonic() < deadline:  # 0.3 s of parsing
            time.sleep(0.05)
        os.kill(workers[0], signal.SIGKILL)
        killed.append(workers[0])

    db = tmp_path / "j.duckdb"
    report = ingest([folder], db, on_done=kill_the_worker_parsing_b, limits=Limits(workers=1))

    assert killed
    assert report.exit_code == 1
    assert [s.source_file for s in report.results] == ["a_city.txt", "b_big.txt", "c_center.txt"]
    assert errors(db) == [("b_big.txt", None, "worker_crashed", "error")]
    assert "SIGKILL" in query(db, "SELECT message FROM raw.ingest_errors WHERE source_file = 'b_big.txt'")[0][0]
    assert forms_by_file(db) == {"a_city.txt": 2, "c_center.txt": 7}


def test_the_spark_tasks_parse_under_the_same_size_cap_and_time_limit():
    """ingest.engines.spark parses each file with parse_in_process in its Python workers."""
    data = "\n".join([MINHANG.read_text(encoding="utf-8")] * 200).encode()
    slow = parse_in_process("big.txt", data, Limits(file_timeout=0.2))
    assert [(i.code, i.severity.value) for i in slow.issues] == [("timeout", "error")] and not slow.forms
    large = parse_in_process("big.txt", data, Limits(max_file_size=5))
    assert [i.code for i in large.issues] == ["too_large"] and large.size_bytes == len(data)
    normal = parse_in_process("002.txt", MINHANG.read_bytes(), Limits())
    assert len(normal.forms) == 30 and not normal.issues


def test_limits_come_from_flags_then_the_environment_then_the_defaults(tmp_path):
    default = Limits()
    assert (default.file_timeout, default.file_memory, default.max_file_size) == (300.0, 4096, 256)
    env = {"JIXIAO_FILE_TIMEOUT": "30", "JIXIAO_FILE_MEMORY": "1024"}
    limits = Limits.from_env(env, file_timeout=5, file_memory=None)
    assert (limits.file_timeout, limits.file_memory, limits.max_file_size) == (5.0, 1024, 256)
    with pytest.raises(ValueError, match="JIXIAO_MAX_FILE_SIZE"):
        Limits.from_env({"JIXIAO_MAX_FILE_SIZE": "lots"})

    proc = run_jixiao("ingest", "--db", tmp_path / "j.duckdb", "--file-timeout", "-1", CITY_2020)
    assert proc.returncode == 2 and "--file-timeout must be above 0" in proc.stderr
    assert not (tmp_path / "j.duckdb").exists()
    build = run_jixiao("build", "--db", tmp_path / "j.duckdb", "--raw", CITY_2020,
                       env={"JIXIAO_FILE_MEMORY": "a lot"})
    assert build.returncode == 2 and "JIXIAO_FILE_MEMORY must be a whole number" in build.stdout
    assert not (tmp_path / "j.duckdb").exists()

