"""Forms per second per published format (issue 14, item 5): ``jixiao ingest``
of the same number of synthetic forms written as text, xlsx, xls, ods, docx,
html and PDF.

    python -m bench.formats                                  # 10,000 forms of every format
    python -m bench.formats --forms 2000 --formats xlsx pdf  # fewer

Each format's corpus is ``jixiao synth --format F --forms N --seed S`` (the
national template with real merged cells; xls and ods converted from xlsx,
pdf printed from docx, by LibreOffice headless), cached under
``bench/work/formats_<N>_<S>/<F>/``; rendering it is measured once, when it
is made, and kept beside it (``render.json``). Then, each in its own process
(``bench.run.measure``: wall time, CPU seconds and peak RSS of the process
tree): ``jixiao ingest docs --db …`` on both cores (parse in worker
processes, land in DuckDB and Parquet), and the forms it landed and refused,
counted in the warehouse. For PDF, also the pages. The load average before
and after each step is kept with it: wall times on a shared machine move with
it, CPU seconds much less.

Results: bench/results/formats_<N>.json (steps not re-run are kept from the
file's earlier run, with their own load figures).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.run import RESULTS, WORK, folder_bytes, jixiao, machine, measure

FORMATS = ("text", "xlsx", "xls", "ods", "docx", "html", "pdf")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def corpus(fmt: str, forms: int, seed: int) -> Path:
    """``forms`` synthetic forms in ``fmt`` (cached), with the cost of making them."""
    out = WORK / f"formats_{forms}_{seed}" / fmt
    if not (out / "answer_key.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        before = load()
        render = measure(jixiao("synth", "--format", fmt, "--forms", str(forms), "--seed", str(seed), "--out", str(out)))
        (out / "render.json").write_text(json.dumps({**render, "load_before": before, "load_after": load()}))
    return out


def pdf_pages(docs: Path) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in docs.glob("*.pdf"):
        doc = pdfium.PdfDocument(path)
        pages += len(doc)
        doc.close()
    return pages


def landed(db: Path) -> dict:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        forms, = con.execute("SELECT count(*) FROM raw.forms").fetchone()
        errors = dict(con.execute("SELECT severity || ':' || error_code, count(*) FROM raw.ingest_errors GROUP BY 1").fetchall())
        formats = dict(con.execute("SELECT source_format, count(*) FROM raw.forms GROUP BY 1").fetchall())
    return {"forms_landed": forms, "ingest_errors": errors, "source_formats": formats}


def ingest(fmt: str, folder: Path, run_dir: Path) -> dict:
    """``jixiao ingest`` of one format's corpus into a fresh warehouse."""
    docs = folder / "docs"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    key = json.loads((folder / "answer_key.json").read_text(encoding="utf-8"))
    forms = sum(len(d["forms"]) for d in key["documents"])
    out: dict = {"forms": forms, "files": len(key["documents"]), "input_mb": round(folder_bytes(docs) / 2**20, 1)}
    if fmt == "pdf":
        out["pages"] = pdf_pages(docs)
    before = load()
    step = measure(jixiao("ingest", str(docs), "--db", str(run_dir / "jixiao.duckdb")), ok=(0, 1))
    out.update(step, load_before=before, load_after=load(), **landed(run_dir / "jixiao.duckdb"))
    out["forms_per_s"] = round(forms / step["seconds"], 1)
    out["cpu_ms_per_form"] = round(1000 * step["cpu_seconds"] / forms, 2)
    out["forms_per_cpu_s"] = round(forms / max(step["cpu_seconds"], 0.01), 1)
    if "pages" in out:
        out["pages_per_s"] = round(out["pages"] / step["seconds"], 1)
        out["cpu_ms_per_page"] = round(1000 * step["cpu_seconds"] / out["pages"], 2)
    render = folder / "render.json"
    if render.exists():
        out["render"] = json.loads(render.read_text())
    return out


def run(forms: int, formats: list[str], seed: int = 1) -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"formats_{forms}.json"
    result = json.loads(path.read_text()) if path.exists() else {"forms": forms, "seed": seed}
    result["machine"] = machine()
    for fmt in formats:
        started = time.perf_counter()
        folder = corpus(fmt, forms, seed)
        print(f"bench.formats: {fmt} corpus ready ({time.perf_counter() - started:.0f} s)", flush=True)
        result.setdefault("formats", {})[fmt] = step = ingest(fmt, folder, WORK / f"formats_run_{forms}" / fmt)
        print(fmt, json.dumps(step, ensure_ascii=False), flush=True)
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return result


def table(result: dict) -> str:
    """The README's table of a run."""
    lines = ["| format | files | forms | MB | ingest s, wall | forms/s | CPU s | CPU ms / form | peak MB | load (1 min) |",
             "|" + "---|" * 10]
    for fmt, r in result["formats"].items():
        lines.append(f"| {fmt} | {r['files']:,} | {r['forms']:,} | {r['input_mb']} | {r['seconds']} | {r['forms_per_s']:,} "
                     f"| {r['cpu_seconds']} | {r['cpu_ms_per_form']} | {r['peak_rss_mb']:,} "
                     f"| {r['load_before'][0]}–{r['load_after'][0]} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.formats")
    parser.add_argument("--forms", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args(argv)
    print(table(run(args.forms, args.formats, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
