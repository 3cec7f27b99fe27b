"""A nightly ``jixiao build`` with one new file, phase by phase, for one or
more versions of the code side by side (bench/README.md, "A nightly build's
fixed costs").

For each source tree (``--tree NAME=DIR``, default: this one) it builds a
served warehouse from a synthetic corpus, then runs ``--runs`` nightly builds,
each adding one new document; the trees take turns (A B, B A, A B ...) so
that they see the same load on a shared machine. Per build: wall time, CPU
time (user + system, its children included), and from its printed lines the
time to the first line, dbt's start to its "Found ..." line, the quality step,
the time between the last line and the process's end, and whether dbt reused
its previous parse. Medians of the nightly builds are printed and written to
``--out`` (JSON).

    python -m bench.nightly --forms 2000 --runs 3 --tree before=/tmp/old --tree after=.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.run import ENV, PY, ROOT, WORK

PHASES = ("wall", "cpu", "to_first_line", "ingest", "dbt", "dbt_to_found", "dbt_after_found", "quality", "publish",
          "after_last_line")


def synth(forms: int, seed: int, out: Path) -> list[Path]:
    if not (out / "answer_key.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([PY, "-m", "jixiao.cli", "synth", "--forms", str(forms), "--seed", str(seed), "--out", str(out)],
                       check=True, env=ENV, capture_output=True)
    return sorted((out / "docs").iterdir())


def timed_build(tree: Path, raw: Path, served: Path) -> dict:
    """One `jixiao build` of ``tree``'s code, timed line by line."""
    started = time.perf_counter()
    # run in the tree: `python -m` puts the working folder first on sys.path, before PYTHONPATH
    proc = subprocess.Popen([PY, "-m", "jixiao.cli", "build", "--raw", str(raw), "--db", str(served)],
                            cwd=tree, env={**ENV, "PYTHONPATH": str(tree)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = [(time.perf_counter() - started, line) for line in proc.stdout]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started

    def at(test) -> float | None:
        return next((t for t, line in lines if test(line)), None)

    dbt_start, found = at(lambda x: "dbt build: running" in x), at(lambda x: "Found " in x)
    dbt_done = at(lambda x: x.startswith("dbt build: ") and "passed" in x)
    q_start = at(lambda x: x.startswith("quality: running"))
    q_done = at(lambda x: x.startswith("quality: ") and "findings" in x)
    published = at(lambda x: x.startswith("published build"))
    building = at(lambda x: x.startswith("build ") and ": building" in x)

    def between(a: float | None, b: float | None) -> float | None:
        return round(b - a, 2) if a is not None and b is not None else None

    return {
        "exit": os.waitstatus_to_exitcode(status),
        "wall": round(wall, 2),
        "cpu": round(usage.ru_utime + usage.ru_stime, 2),
        "to_first_line": round(lines[0][0], 2) if lines else None,
        "dbt_to_found": round(found - dbt_start, 2) if found and dbt_start else None,
        "quality": round(q_done - q_start, 2) if q_done and q_start else None,
        "ingest": between(building, dbt_start),  # copy of the served file, hashing, parsing, landing, Parquet
        "dbt": between(dbt_start, dbt_done),  # dbt's import and parse, models and tests
        "dbt_after_found": between(found, dbt_done),  # models and tests alone
        "publish": between(q_done, published),  # ops.build_runs, validation of the new file, swap
        "mode": "incremental" if any("(incremental)" in line for _, line in lines[:3]) else "full",
        "after_last_line": round(wall - lines[-1][0], 2) if lines else None,
        "dbt_parse": "full" if any("Unable to do partial parsing" in line for _, line in lines) else "reused",
        "load_avg": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "nightly.json")
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"this": str(ROOT)}
    trees = {name: Path(d).resolve() for name, d in trees.items()}

    docs = synth(args.forms, args.seed, WORK / f"corpus_{args.forms}_{args.seed}")
    extra = synth(10 * args.runs, args.seed + 1000, WORK / f"nightly_extra_{args.seed}")
    results: dict[str, dict] = {}
    for name, tree in trees.items():
        run_dir = WORK / f"nightly_{args.forms}_{name}"
        shutil.rmtree(run_dir, ignore_errors=True)
        (run_dir / "raw").mkdir(parents=True)
        for doc in docs:
            os.link(doc, run_dir / "raw" / doc.name)
        results[name] = {"dir": run_dir, "full": timed_build(tree, run_dir / "raw", run_dir / "served" / "jixiao.duckdb"),
                         "nightly": []}
        print(name, "full", results[name]["full"], flush=True)
    for i in range(args.runs):
        for name in (list(trees) if i % 2 == 0 else list(reversed(trees))):
            run_dir = results[name]["dir"]
            shutil.copy(extra[i], run_dir / "raw" / f"nightly_{i}_{extra[i].name}")
            build = timed_build(trees[name], run_dir / "raw", run_dir / "served" / "jixiao.duckdb")
            results[name]["nightly"].append(build)
            print(name, "nightly", i, build, flush=True)
    summary = {}
    for name, r in results.items():
        values = {k: [b[k] for b in r["nightly"] if b[k] is not None] for k in PHASES}
        summary[name] = {"full": r["full"], "nightly": r["nightly"],
                         "nightly_median": {k: statistics.median(v) if v else None for k, v in values.items()}}
        print(name, "nightly median", summary[name]["nightly_median"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"forms": args.forms, "runs": args.runs, "trees": {k: str(v) for k, v in trees.items()},
                                    "results": summary}, indent=1))
    return 0 if all(b["exit"] == 0 for r in results.values() for b in [r["full"], *r["nightly"]]) else 1


if __name__ == "__main__":
    sys.exit(main())
