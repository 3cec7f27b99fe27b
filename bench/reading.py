"""The reading benchmark (issue 13 item 7): forms per second per source.

On the corpus of bench/corpus.py (the four bundled documents copied N times
with their project names varied, plus the other text sources' forms):

* ``jixiao ingest`` of bundled/ (the issue's corpus: real pipeline, both
  cores) and of variants/: wall time and peak RSS of the process tree;
* the **lines floor**: DuckDB's ``read_csv`` of the same files as plain lines
  (one column, every line of every file), in its own process;
  ingest ÷ floor (the issue's target: ≤ 20× on bundled/);
* parse only, one process, per source: ``parse_bytes`` over each source's
  files (bytes already in memory), forms/s and ms/form, also per original
  document (001's scrambled forms against the tab-separated ones);
* with ``--profile``: cProfile of ``parse_bytes`` over the tab-separated
  documents and over 001, the top costs by function and by module
  (results/reading_profile_<set>.txt).

    python -m bench.reading --copies 2000            # the issue's 96,000 forms
    python -m bench.reading --copies 100 --profile   # a quick look

Results: bench/results/reading_<copies>.json and reading_summary.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench import corpus
from bench.run import RESULTS, WORK, jixiao, machine, measure, step

# Parse-only timing reads at most this many copies of each original (all
# copies would take minutes for 001 alone at 2,000): enough for a steady rate.
PARSE_COPIES = 100


def corpus_dir(copies: int) -> Path:
    return WORK / f"reading_{copies}"


def ingest_and_floor(folder: Path, run_dir: Path, forms: int) -> dict:
    """``jixiao ingest`` of a folder and DuckDB's read_csv of its lines."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    files = [p for p in folder.iterdir() if p.is_file()]
    out: dict = {"files": len(files), "input_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
                 "forms": forms}
    # exit 1 = some file refused: still a full run (the per-source figures say which)
    ingest = measure(jixiao("ingest", str(folder), "--db", str(run_dir / "jixiao.duckdb")), ok=(0, 1))
    ingest["forms_per_s"] = round(forms / ingest["seconds"])
    out["ingest"] = ingest
    out["floor"] = measure(step("lines", run_dir / "floor.duckdb", folder))
    out["ingest_over_floor"] = round(ingest["seconds"] / max(out["floor"]["seconds"], 0.01), 1)
    out["ingest_over_floor_cpu"] = round(ingest["cpu_seconds"] / max(out["floor"]["cpu_seconds"], 0.01), 1)
    return out


def _rate(forms: int, files: int, seconds: float, cpu: float) -> dict:
    return {"files": files, "forms": forms, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "forms_per_s": round(forms / seconds) if seconds else None,
            "forms_per_cpu_s": round(forms / cpu) if cpu else None,
            "ms_per_form": round(1000 * seconds / forms, 3) if forms else None,
            "cpu_ms_per_form": round(1000 * cpu / forms, 3) if forms else None}


def parse_rates(root: Path, files: list[corpus.CorpusFile], per_original: int) -> dict:
    """parse_bytes over each original's first copies, in this process, bytes
    read beforehand: per source (the layout that read the file) and per
    original document."""
    from ingest.pipeline import parse_bytes

    chosen = [f for f in files if f.copy < per_original]
    by_original: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for f in chosen:
        by_original[f.original].append((f.path, (root / f.path).read_bytes()))
    for items in by_original.values():  # warm: imports, label caches
        parse_bytes(*items[0])
    per_source: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    originals: dict[str, dict] = {}
    for key, items in by_original.items():
        forms = errors = 0
        layouts = set()
        started, cpu_started = time.perf_counter(), time.process_time()
        for name, data in items:
            result = parse_bytes(name, data)
            forms += len(result.forms)
            errors += sum(1 for i in result.issues if i.severity.value == "error")
            layouts.add(result.layout)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        layout = "/".join(sorted(map(str, layouts)))
        originals[key] = {"source": layout, "errors": errors, **_rate(forms, len(items), seconds, cpu)}
        acc = per_source[layout]
        acc[0] += forms
        acc[1] += len(items)
        acc[2] += seconds
        acc[3] += cpu
    return {"per_source": {k: _rate(int(f), int(n), s, c) for k, (f, n, s, c) in sorted(per_source.items())},
            "per_original": originals}


def profile(root: Path, files: list[corpus.CorpusFile], out: Path, copies: int = 5) -> dict:
    """cProfile of parse_bytes over the tab-separated bundled documents and over
    001 (scrambled): top functions by own time, cumulative time, and own time
    per module. Text reports in ``out``; the top rows returned."""
    from ingest.pipeline import parse_bytes

    sets = {
        "tabular": [f for f in files if f.path.startswith("bundled/") and not f.original.startswith("001")],
        "pdftext": [f for f in files if f.path.startswith("bundled/") and f.original.startswith("001")],
    }
    summary = {}
    for name, chosen in sets.items():
        items = [(f.path, (root / f.path).read_bytes()) for f in chosen if f.copy < copies]
        parse_bytes(*items[0])
        prof = cProfile.Profile()
        prof.enable()
        forms = sum(len(parse_bytes(n, d).forms) for n, d in items)
        prof.disable()
        stats = pstats.Stats(prof)
        total = stats.total_tt
        funcs = []
        modules: dict[str, float] = defaultdict(float)
        for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
            where = _short(file)
            funcs.append((tt, ct, f"{where}:{line}({func})"))
            modules[where] += tt
        by_tt = sorted(funcs, reverse=True)[:25]
        by_ct = sorted(funcs, key=lambda r: r[1], reverse=True)[:40]
        by_mod = sorted(modules.items(), key=lambda r: r[1], reverse=True)[:20]
        lines = [f"cProfile of parse_bytes over {len(items)} files, {forms} forms ({name}); "
                 f"{total:.2f} s profiled, {1000 * total / max(forms, 1):.2f} ms/form under the profiler", "",
                 "own time by module (s, share):"]
        lines += [f"  {t:8.3f}  {100 * t / total:5.1f}%  {m}" for m, t in by_mod]
        lines += ["", "top functions by own time (own s, cumulative s):"]
        lines += [f"  {tt:8.3f}  {ct:8.3f}  {f}" for tt, ct, f in by_tt]
        lines += ["", "top functions by cumulative time (own s, cumulative s):"]
        lines += [f"  {tt:8.3f}  {ct:8.3f}  {f}" for tt, ct, f in by_ct]
        (out / f"reading_profile_{name}.txt").write_text("\n".join(lines) + "\n")
        summary[name] = {"forms": forms, "profiled_s": round(total, 3),
                         "modules": [[m, round(t, 3)] for m, t in by_mod[:10]],
                         "functions": [[f, round(tt, 3), round(ct, 3)] for tt, ct, f in by_tt[:10]]}
    return summary


def _short(file: str) -> str:
    for marker in ("/ingest/", "/site-packages/", "/lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1] if marker != "/ingest/" else "ingest/" + file.split(marker, 1)[1]
    return file


def summary_md(result: dict) -> str:
    info = result["machine"]
    lines = [f"Reading benchmark, {result['copies']:,} copies of the bundled documents "
             f"({result['variant_copies']:,} of each variant); {info['cores']} cores, load average at start "
             f"{', '.join(f'{x:.1f}' for x in info['load_avg_at_start'])}.", "",
             "| corpus | files | forms | input MB | ingest s (CPU s) | ingest peak MB | forms/s | floor s (CPU s) "
             "| floor peak MB | ingest ÷ floor, wall (CPU) |", "|" + "---|" * 10]
    for name in ("bundled", "variants"):
        r = result.get("ingest", {}).get(name)
        if r:
            lines.append(f"| {name} | {r['files']:,} | {r['forms']:,} | {r['input_mb']} | {r['ingest']['seconds']} "
                         f"({r['ingest']['cpu_seconds']}) | {r['ingest']['peak_rss_mb']} | {r['ingest']['forms_per_s']:,} "
                         f"| {r['floor']['seconds']} ({r['floor']['cpu_seconds']}) | {r['floor']['peak_rss_mb']} "
                         f"| {r['ingest_over_floor']} ({r['ingest_over_floor_cpu']}) |")
    p = result["parse"]
    lines += ["", "Parse only (`parse_bytes`, one process, bytes in memory), per source:", "",
              "| source | files | forms | wall s | forms/s | ms/form | CPU s | forms/CPU s | CPU ms/form |",
              "|" + "---|" * 9]
    lines += [f"| {k} | {v['files']} | {v['forms']} | {v['seconds']} | {v['forms_per_s']:,} | {v['ms_per_form']} "
              f"| {v['cpu_seconds']} | {v['forms_per_cpu_s']:,} | {v['cpu_ms_per_form']} |"
              for k, v in p["per_source"].items()]
    lines += ["", "Per original document:", "",
              "| original | source | files | forms | forms/s | ms/form | CPU ms/form | errors |", "|" + "---|" * 8]
    lines += [f"| {k} | {v['source']} | {v['files']} | {v['forms']} | {v['forms_per_s']:,} | {v['ms_per_form']} "
              f"| {v['cpu_ms_per_form']} | {v['errors']} |" for k, v in p["per_original"].items()]
    return "\n".join(lines) + "\n"


def run(copies: int, variant_copies: int | None = None, parse_copies: int = PARSE_COPIES,
        ingest: bool = True, with_profile: bool = False) -> dict:
    variant_copies = min(copies, 200) if variant_copies is None else variant_copies
    root = corpus_dir(copies)
    info = machine()
    started = time.perf_counter()
    files = corpus.cached(root, copies, variant_copies)
    result: dict = {"machine": info, "copies": copies, "variant_copies": variant_copies,
                    "corpus_seconds": round(time.perf_counter() - started, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    parse = parse_rates(root, files, min(parse_copies, max(copies, variant_copies)))
    result["parse"] = parse
    if ingest:
        forms_of = {k: v["forms"] / v["files"] for k, v in parse["per_original"].items()}
        result["ingest"] = {}
        for name in ("bundled", "variants"):
            forms = round(sum(forms_of[f.original] for f in files if f.path.startswith(name + "/")))
            result["ingest"][name] = ingest_and_floor(root / name, WORK / f"reading_run_{copies}_{name}", forms)
    if with_profile:
        result["profile"] = profile(root, files, RESULTS)
    (RESULTS / f"reading_{copies}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    text = summary_md(result)
    (RESULTS / "reading_summary.md").write_text(text)
    print(text, flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.reading")
    parser.add_argument("--copies", type=int, default=2000, help="copies of the bundled documents (default 2000)")
    parser.add_argument("--variant-copies", type=int, default=None,
                        help="copies of each other-source document (default: min(copies, 200))")
    parser.add_argument("--parse-copies", type=int, default=PARSE_COPIES,
                        help=f"copies of each original timed parse-only (default {PARSE_COPIES})")
    parser.add_argument("--no-ingest", action="store_true", help="parse-only figures, no ingest / floor")
    parser.add_argument("--profile", action="store_true", help="also cProfile the reader")
    args = parser.parse_args(argv)
    run(args.copies, args.variant_copies, args.parse_copies, not args.no_ingest, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
