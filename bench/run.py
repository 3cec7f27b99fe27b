"""The benchmark: how jixiao's cost grows with its work (``make bench``).

For each size (default 1k, 10k, 100k forms) it makes a synthetic corpus
(``jixiao synth``, cached under bench/work/), then measures, each step in its
own process, wall time and peak memory (RSS of the process tree, sampled):

* ingest (``jixiao ingest``: parse on both cores + land in DuckDB + Parquet),
  its floor (DuckDB ``read_csv`` of the same rows already flattened to TSV:
  the bare cost of landing those bytes) and ingest ÷ floor;
* ``dbt build`` and the quality suites on the ingested warehouse;
* the warehouse's size;
* at the largest size: the p50/p95 latency of every dashboard query (through
  ``dashboards.queries``) and a nightly ``jixiao build`` with one new file.

Results: bench/results/<size>.json and bench/results/summary.md (pasted into
bench/README.md with the machine's description). Then the reading benchmark
(bench/reading.py: forms per second per source, ingest ÷ the lines floor on
the bundled documents copied 2,000 times; ``--reading-copies 0`` skips it).
Then the published formats (issue 14): ``jixiao ingest`` of 10,000 synthetic
forms as text, xlsx, xls, ods, docx, html and PDF (bench/formats.py:
forms/s per format), and the PDF benchmark (bench/pdf.py: pages/s of the PDF
source and of pdfplumber and pypdfium2, and the PDF corpus ingested by DuckDB
and by Spark); ``--format-forms 0`` / ``--pdf-forms 0`` skip them. Their
corpora are rendered once (LibreOffice for xls, ods and PDF: the first run
takes ≈ 1 h more) and cached.

    python -m bench.run [--sizes 1000 10000 100000] [--seed 1] [--reading-copies 2000]
                        [--format-forms 10000] [--pdf-forms 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.steps import TABLES

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
ENV = {**os.environ, "CI": "true", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


# -- measuring a step -------------------------------------------------------
def _tree(pid: int) -> dict[int, tuple[int, int]]:
    """Resident bytes and CPU ticks (user + system) of a process and each of
    its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, ticks, pages = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        stats[int(entry)] = (pages * os.sysconf("SC_PAGE_SIZE"), ticks)
    found, stack = {}, [pid]
    while stack:
        p = stack.pop()
        if p in stats:
            found[p] = stats[p]
        stack.extend(children.get(p, []))
    return found


def measure(cmd: list[str], env: dict | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Run a command; its wall time, peak RSS of its process tree, exit code,
    and the CPU seconds (user + system) of the tree: the command's own and its
    waited-for children's exactly (rusage), plus the last 50 ms sample of every
    other descendant (a process pool's workers are the forkserver's children,
    which no rusage of ours counts). On a shared machine wall time grows with
    the other sessions' load, CPU time much less.
    ``ok``: the exit codes that mean the step did its work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    ticks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            tree = _tree(proc.pid)
            peak = max(peak, sum(rss for rss, _ in tree.values()))
            ticks.update({p: max(t, ticks.get(p, 0)) for p, (_, t) in tree.items()})
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    ticks.pop(proc.pid, None)
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "exit": proc.returncode,
            "cpu_seconds": round(own + sum(ticks.values()) / os.sysconf("SC_CLK_TCK"), 2)}


def jixiao(*args: str) -> list[str]:
    return [PY, "-m", "jixiao.cli", *args]


def step(name: str, *args: Path) -> list[str]:
    return [PY, "-m", "bench.steps", name, *map(str, args)]


# -- the steps ---------------------------------------------------------------
def corpus(size: int, seed: int) -> Path:
    out = WORK / f"corpus_{size}_{seed}"
    if not (out / "answer_key.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(jixiao("synth", "--forms", str(size), "--seed", str(seed), "--out", str(out)), check=True, env=ENV)
    return out


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def flatten_to_tsv(db: Path, out: Path) -> Path:
    """The landed rows, flattened to one TSV per table (the floor's input)."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db), read_only=True) as con:
        for table in TABLES:
            con.execute(f"COPY raw.{table} TO '{out / (table + '.tsv')}' (HEADER, DELIMITER '\t')").fetchall()
    return out


def bench_size(size: int, seed: int, queries: bool, nightly: bool, spark: bool = False) -> dict:
    docs = corpus(size, seed) / "docs"
    run_dir = WORK / f"run_{size}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    db = run_dir / "jixiao.duckdb"
    result: dict = {"forms": size, "files": len(list(docs.iterdir())), "input_mb": round(folder_bytes(docs) / 2**20, 1)}

    ingest = measure(jixiao("ingest", str(docs), "--db", str(db)))
    ingest["forms_per_s"] = round(size / ingest["seconds"])
    ingest["mb_per_s"] = round(result["input_mb"] / ingest["seconds"], 1)
    result["ingest"] = ingest

    tsv = flatten_to_tsv(db, run_dir / "tsv")
    floor = measure(step("floor", run_dir / "floor.duckdb", tsv))
    floor["tsv_mb"] = round(folder_bytes(tsv) / 2**20, 1)
    result["floor"] = floor
    result["ingest_over_floor"] = round(ingest["seconds"] / max(floor["seconds"], 0.01), 1)

    result["dbt_build"] = measure(
        [str(Path(PY).parent / "dbt"), "build", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
         "--target-path", str(run_dir / "dbt"), "--log-path", str(run_dir / "dbt")],
        env={**ENV, "JIXIAO_DB": str(db)},
    )
    result["quality"] = measure(step("quality", db, run_dir / "data_docs"))
    result["pipeline_seconds"] = round(
        result["ingest"]["seconds"] + result["dbt_build"]["seconds"] + result["quality"]["seconds"], 1
    )
    result["pipeline_peak_rss_mb"] = max(result[k]["peak_rss_mb"] for k in ("ingest", "dbt_build", "quality"))
    result["warehouse_mb"] = round(db.stat().st_size / 2**20, 1)
    if spark:
        from bench.spark import run_spark_dbt, run_spark_ingest

        result["spark_ingest"] = run_spark_ingest(docs, run_dir / "spark")
        result["spark_dbt_build"] = run_spark_dbt(run_dir / "spark" / "landing", run_dir / "spark")
    if queries:
        result["queries"] = query_latencies(db)
    if nightly:
        result["nightly"] = nightly_build(docs, run_dir, seed)
    return result


def query_latencies(db: Path, repeats: int = 20) -> dict:
    """p50/p95 of every dashboard query, through the dashboard's own module."""
    from dashboards import queries
    from dashboards.connection import open_locked_down

    con = open_locked_down(db)  # the dashboard's own read-only connection
    out = {}
    try:
        for name, call in queries.example_calls(con).items():
            call()  # warm
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                call()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}
    finally:
        con.close()
    return out


NIGHTLY_RUNS = 3


def nightly_build(docs: Path, run_dir: Path, seed: int) -> dict:
    """A full `jixiao build` over the corpus, then three nightly ones, each
    with one new file; the median nightly build is the figure
    (bench.nightly.timed_build times each phase from the build's own lines)."""
    from bench.nightly import PHASES, timed_build

    raw = run_dir / "raw"
    raw.mkdir()
    for path in docs.iterdir():
        os.link(path, raw / path.name)
    served = run_dir / "served" / "jixiao.duckdb"
    first = measure(jixiao("build", "--raw", str(raw), "--db", str(served)))
    extra = run_dir / "extra"
    subprocess.run(jixiao("synth", "--forms", str(10 * NIGHTLY_RUNS), "--seed", str(seed + 1000), "--out", str(extra)),
                   check=True, env=ENV)
    nightly = []
    for i, new in enumerate(sorted((extra / "docs").iterdir())[:NIGHTLY_RUNS]):
        shutil.copy(new, raw / f"nightly_{i}_{new.name}")
        nightly.append(timed_build(ROOT, raw, served))
    median = {k: statistics.median(v) if (v := [b[k] for b in nightly if b.get(k) is not None]) else None
              for k in PHASES}
    return {"first_full_build": first, "nightly_median": median, "nightly_runs": nightly}


def machine() -> dict:
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"cores": os.cpu_count(), "memory_gb": round(int(mem) / 2**20, 1), "cpu": cpu,
            "python": platform.python_version(), "load_avg_at_start": os.getloadavg()}


def summary(results: list[dict], info: dict) -> str:
    lines = [f"Machine: {info['cores']} cores, {info['memory_gb']} GB, {info['cpu']}, Python {info['python']}.", "",
             "| forms | files | input MB | ingest s | forms/s | MB/s | ingest peak MB | floor s | ingest ÷ floor "
             "| dbt build s | dbt peak MB | quality s | quality peak MB | pipeline s | warehouse MB |",
             "|" + "---|" * 15]
    for r in results:
        lines.append(
            f"| {r['forms']:,} | {r['files']:,} | {r['input_mb']} | {r['ingest']['seconds']} | {r['ingest']['forms_per_s']:,} "
            f"| {r['ingest']['mb_per_s']} | {r['ingest']['peak_rss_mb']} | {r['floor']['seconds']} | {r['ingest_over_floor']} "
            f"| {r['dbt_build']['seconds']} | {r['dbt_build']['peak_rss_mb']} | {r['quality']['seconds']} "
            f"| {r['quality']['peak_rss_mb']} | {r['pipeline_seconds']} | {r['warehouse_mb']} |"
        )
    spark = [r for r in results if "spark_ingest" in r]
    if spark:
        lines += ["", "Spark beside DuckDB (local[*] on the same cores; seconds include the JVM and session start, "
                  "peak MB the whole process tree):", "",
                  "| forms | DuckDB ingest s | Spark ingest s | Spark session s | DuckDB ingest MB | Spark ingest MB "
                  "| DuckDB dbt s | Spark dbt s | DuckDB dbt MB | Spark dbt MB |",
                  "|" + "---|" * 10]
        for r in spark:
            si, sd = r["spark_ingest"], r["spark_dbt_build"]
            lines.append(
                f"| {r['forms']:,} | {r['ingest']['seconds']} | {si['seconds']} | {si['session_seconds']} "
                f"| {r['ingest']['peak_rss_mb']} | {si['peak_rss_mb']} | {r['dbt_build']['seconds']} | {sd['seconds']} "
                f"| {r['dbt_build']['peak_rss_mb']} | {sd['peak_rss_mb']} |"
            )
    for r in results:
        if "queries" in r:
            lines += ["", f"Dashboard queries at {r['forms']:,} forms (ms, {20} runs each):", "",
                      "| query | p50 | p95 |", "|---|---|---|"]
            lines += [f"| `{k}` | {v['p50_ms']} | {v['p95_ms']} |" for k, v in r["queries"].items()]
        if "nightly" in r:
            n = r["nightly"]
            m = n["nightly_median"]
            lines += ["", f"Builds at {r['forms']:,} forms: first full `jixiao build` {n['first_full_build']['seconds']} s "
                      f"(peak {n['first_full_build']['peak_rss_mb']} MB); nightly with one new file, median of "
                      f"{len(n['nightly_runs'])}: {m['wall']} s wall, {m['cpu']} s CPU (start {m['to_first_line']} s, "
                      f"ingest {m['ingest']} s, dbt {m['dbt']} s of which models and tests {m['dbt_after_found']} s, "
                      f"quality {m['quality']} s, validate and publish {m['publish']} s)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spark-from", type=int, default=10000, metavar="FORMS",
                        help="also run the Spark ingest and dbt build at this size and above (default 10000; "
                             "needs the [spark] extra and Java 17; 0 = never)")
    parser.add_argument("--reading-copies", type=int, default=2000, metavar="N",
                        help="the reading benchmark (bench/reading.py): the bundled documents copied N times "
                             "(default 2000 = 96,000 forms; 0 = skip)")
    parser.add_argument("--format-forms", type=int, default=10000, metavar="FORMS",
                        help="forms/s per published format at this many forms (bench/formats.py; 0 = skip)")
    parser.add_argument("--pdf-forms", type=int, default=10000, metavar="FORMS",
                        help="the PDF benchmark at this many forms (bench/pdf.py; with the Spark ingest unless "
                             "--spark-from 0; 0 = skip)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    info = machine()
    results = []
    for size in args.sizes:
        largest = size == max(args.sizes)
        print(f"bench: {size:,} forms ...", flush=True)
        result = bench_size(size, args.seed, queries=largest, nightly=largest,
                            spark=0 < args.spark_from <= size)
        (RESULTS / f"{size}.json").write_text(json.dumps({"machine": info, **result}, indent=1, ensure_ascii=False))
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    text = summary(results, info)
    (RESULTS / "summary.md").write_text(text)
    print(text)
    if args.reading_copies:
        from bench import reading

        print(f"bench: reading, {args.reading_copies:,} copies of the bundled documents ...", flush=True)
        reading.run(args.reading_copies, with_profile=True)
    if args.format_forms:
        from bench import formats

        print(f"bench: published formats, {args.format_forms:,} forms each ...", flush=True)
        print(formats.table(formats.run(args.format_forms, list(formats.FORMATS), args.seed)))
    if args.pdf_forms:
        from bench import pdf

        print(f"bench: PDF, {args.pdf_forms:,} forms ...", flush=True)
        steps = [s for s in pdf.STEPS if args.spark_from or s != "spark_ingest"]
        pdf.main(["--forms", str(args.pdf_forms), "--seed", str(args.seed), "--steps", *steps])
    return 0


if __name__ == "__main__":
    sys.exit(main())
