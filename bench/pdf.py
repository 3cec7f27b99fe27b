"""PDF ingest speed: pages/s and forms/s of the PDF source, and the two libraries it could stand on.

    python -m bench.pdf                      # 300 forms (a small run: the machine is shared)
    python -m bench.pdf --forms 10000        # the issue's size (renders ≈ 900 files with LibreOffice first)
    python -m bench.pdf --forms 10000 --steps duckdb_ingest spark_ingest   # some steps (the others' results kept)

The corpus is bench.formats' PDF corpus: ``jixiao synth --format pdf`` (the
national template as .docx with merged cells, printed to PDF by LibreOffice
headless; 1 to 30 forms a file; cached under bench/work/formats_<N>_<seed>/pdf/).
Each step runs in its own process (wall time, peak RSS of the process tree):

* ``source``: ``ingest.sources.pdf.read`` on every file, on 1 and on 2 worker processes;
* ``pdfplumber``: pdfplumber (pdfminer.six) reading every page's characters and
  running its table finder (``find_tables`` + ``extract``), 1 process;
* ``pypdfium2``: PDFium reading every page's characters with their boxes and its
  path objects, 1 process (the extraction the source is built on);
* ``duckdb_ingest``: ``jixiao ingest`` of the folder (parse on both cores, land
  in DuckDB and Parquet), as ``make bench`` measures the text corpus;
* ``spark_ingest``: the Spark ingest of the folder (``jixiao ingest --engine
  spark``'s ``ingest_spark`` on a ``local[*]`` session, both cores; bench/spark.py:
  wall with the JVM and session start, the work inside the session, peak RSS of
  driver, JVM and Python workers). Needs the [spark] extra and Java 17.

Each step also keeps the load average before and after it (``load_before``,
``load_after``): the machine's other work, which wall times move with.

Wall times move with whatever else runs on the machine; CPU seconds (the
process and its workers) hardly do, and give the cost of a page or a form on
one core.

Results: bench/results/pdf_<forms>.json (steps not run keep their earlier figures).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.formats import corpus, landed, load, pdf_pages
from bench.run import PY, RESULTS, WORK, jixiao, measure, machine

STEPS = ("source_1_worker", "source_2_workers", "pdfplumber", "pypdfium2", "duckdb_ingest", "spark_ingest")


# -- what each measured process does ------------------------------------------------------
def _read_one(path: str) -> tuple[int, int]:
    """Pages and grids of one file through the PDF source."""
    import pypdfium2 as pdfium

    from ingest.sources import pdf

    data = Path(path).read_bytes()
    grids = pdf.read(data)
    doc = pdfium.PdfDocument(data)
    pages = len(doc)
    doc.close()
    return pages, len(grids)


def run_source(docs: Path, workers: int) -> dict:
    paths = sorted(map(str, docs.glob("*.pdf")))
    started = time.perf_counter()
    if workers == 1:
        done = [_read_one(p) for p in paths]
    else:
        with ProcessPoolExecutor(workers) as pool:
            done = list(pool.map(_read_one, paths, chunksize=4))
    return {"files": len(paths), "pages": sum(p for p, _ in done), "grids": sum(g for _, g in done),
            "work_seconds": round(time.perf_counter() - started, 2)}


def run_pdfplumber(docs: Path) -> dict:
    import pdfplumber

    started, pages, tables = time.perf_counter(), 0, 0
    for path in sorted(docs.glob("*.pdf")):
        with pdfplumber.open(path) as doc:
            for page in doc.pages:
                page.chars  # noqa: B018 (the characters with their boxes)
                for table in page.find_tables():
                    table.extract()
                    tables += 1
                pages += 1
                page.close()
    return {"pages": pages, "tables": tables, "work_seconds": round(time.perf_counter() - started, 2)}


def run_pypdfium2(docs: Path) -> dict:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    started, pages, chars = time.perf_counter(), 0, 0
    for path in sorted(docs.glob("*.pdf")):
        doc = pdfium.PdfDocument(path)
        for index in range(len(doc)):
            page = doc[index]
            [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
            textpage = page.get_textpage()
            for k in range(textpage.count_chars()):
                textpage.get_text_range(k, 1), textpage.get_charbox(k, loose=True)
                chars += 1
            textpage.close()
            page.close()
            pages += 1
        doc.close()
    return {"pages": pages, "chars": chars, "work_seconds": round(time.perf_counter() - started, 2)}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time, hardly
    changed by other jobs sharing the cores."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _child(argv: list[str]) -> int:
    kind, docs, out_file, *rest = argv
    cpu = _cpu_seconds()
    if kind == "source":
        out = run_source(Path(docs), int(rest[0]))
    elif kind == "pdfplumber":
        out = run_pdfplumber(Path(docs))
    else:
        out = run_pypdfium2(Path(docs))
    out["cpu_seconds"] = round(_cpu_seconds() - cpu, 2)
    Path(out_file).write_text(json.dumps(out))
    return 0


def _measured(kind: str, docs: Path, run_dir: Path, *rest: str) -> dict:
    """One child process, watched (wall time, peak RSS); with the figures it wrote."""
    out_file = run_dir / f"{kind}{''.join(rest)}.json"
    stats = measure([PY, "-m", "bench.pdf", "--child", kind, str(docs), str(out_file), *rest])
    return {**json.loads(out_file.read_text()), **stats}


def duckdb_ingest(docs: Path, run_dir: Path) -> dict:
    """``jixiao ingest`` of the PDFs into a fresh warehouse (both cores), and what it landed."""
    run_dir = run_dir / "duckdb_ingest"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    step = measure(jixiao("ingest", str(docs), "--db", str(run_dir / "jixiao.duckdb")), ok=(0, 1))
    step.update(landed(run_dir / "jixiao.duckdb"))
    step["work_seconds"] = step["seconds"]  # the process is the work (its start included)
    return step


def spark_ingest(docs: Path, run_dir: Path) -> dict:
    from bench.spark import run_spark_ingest

    step = run_spark_ingest(docs, run_dir / "spark")
    step["forms_landed"] = step["forms"]
    return step


def _step(name: str, docs: Path, run_dir: Path, key: dict, pages: int) -> dict:
    before = load()
    if name == "duckdb_ingest":
        step = duckdb_ingest(docs, run_dir)
    elif name == "spark_ingest":
        step = spark_ingest(docs, run_dir)
    else:
        child = {"source_1_worker": ["source", "1"], "source_2_workers": ["source", "2"]}.get(name, [name])
        step = _measured(child[0], docs, run_dir, *child[1:])
    step.update(load_before=before, load_after=load())
    step.setdefault("pages", pages)
    step["pages_per_s"] = round(step["pages"] / step["work_seconds"], 1)
    step["cpu_ms_per_page"] = round(1000 * step["cpu_seconds"] / step["pages"], 1)
    if name.startswith(("source", "duckdb", "spark")):
        step["forms_per_s"] = round(key["forms"] / step["work_seconds"], 1)
        step["forms_per_s_wall"] = round(key["forms"] / step["seconds"], 1)
        step["cpu_ms_per_form"] = round(1000 * step["cpu_seconds"] / key["forms"], 1)
    return step


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(prog="bench.pdf")
    parser.add_argument("--forms", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS),
                        help="the steps to run (default all; spark_ingest needs the [spark] extra and Java 17)")
    args = parser.parse_args(argv)
    folder = corpus("pdf", args.forms, args.seed)
    docs = folder / "docs"
    documents = json.loads((folder / "answer_key.json").read_text(encoding="utf-8"))["documents"]
    key = {"forms": sum(len(d["forms"]) for d in documents), "files": documents}
    out_file = RESULTS / f"pdf_{args.forms}.json"
    result: dict = json.loads(out_file.read_text()) if out_file.exists() else {}
    result.update({"forms": key["forms"], "files": len(key["files"]),
                   "input_mb": round(sum(p.stat().st_size for p in docs.glob("*.pdf")) / 2**20, 1),
                   "machine": machine()})
    pages = pdf_pages(docs)
    run_dir = WORK / f"pdf_run_{args.forms}_{args.seed}"
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in args.steps:
        result[name] = step = _step(name, docs, run_dir, key, pages)
        print(name, json.dumps(step, ensure_ascii=False), flush=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        out_file.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
