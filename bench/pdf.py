"""PDF ingest speed: pages/s and forms/s of the PDF source, and the two libraries it could stand on.

    python -m bench.pdf                      # 300 forms (a small run: the machine is shared)
    python -m bench.pdf --forms 10000        # the issue's size (renders ≈ 1,000 files with LibreOffice first)

Renders synthetic forms (``synth.generate``, seed 1) in the national template as
.xlsx with merged cells and prints them to PDF with LibreOffice headless (10
forms a file, each form from the top of a page; cached under bench/work/), then
measures, each in its own process (wall time, peak RSS of the process tree):

* ``source``: ``ingest.sources.pdf.read`` on every file, on 1 and on 2 worker processes;
* ``pdfplumber``: pdfplumber (pdfminer.six) reading every page's characters and
  running its table finder (``find_tables`` + ``extract``), 1 process;
* ``pypdfium2``: PDFium reading every page's characters with their boxes and its
  path objects, 1 process (the extraction the source is built on).

Wall times move with whatever else runs on the machine; CPU seconds (the
process and its workers) hardly do, and give the cost of a page or a form on
one core.

Results: bench/results/pdf_<forms>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.run import PY, RESULTS, WORK, measure, machine

FORMS_PER_FILE = 10


def corpus(forms: int, seed: int) -> Path:
    """``forms`` synthetic forms as PDFs printed by LibreOffice, cached."""
    out = WORK / f"pdf_{forms}_{seed}"
    key = out / "key.json"
    if key.exists():
        return out
    from jixiao.paths import RAW_DIR
    from synth.generate import Generator
    from synth.parts import harvest
    from tests.support.office_pdf import soffice_convert, workbook

    rng = random.Random(seed)
    generator = Generator(harvest(RAW_DIR), rng)
    xlsx_dir, docs = out / "xlsx", out / "docs"
    xlsx_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(0, forms, FORMS_PER_FILE):
        planned = [
            generator.form(rng.choice((2020, 2021, 2022, 2023)), rng.choice(("万元", "元")), "pdf").form
            for _ in range(min(FORMS_PER_FILE, forms - k))
        ]
        path = xlsx_dir / f"pdf_{seed}_{k // FORMS_PER_FILE:05d}.xlsx"
        workbook([[form] for form in planned]).save(path)  # one sheet, so one page run, per form
        files.append({"file": f"{path.stem}.pdf", "forms": len(planned)})
    for start in range(0, len(files), 50):  # one LibreOffice start per 50 files
        soffice_convert([xlsx_dir / f"{Path(f['file']).stem}.xlsx" for f in files[start:start + 50]], docs)
    key.write_text(json.dumps({"forms": forms, "files": files}, indent=1))
    return out


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


def _measured(kind: str, docs: Path, *rest: str) -> dict:
    """One child process, watched (wall time, peak RSS); with the figures it wrote."""
    out_file = docs.parent / f"{kind}{''.join(rest)}.json"
    stats = measure([PY, "-m", "bench.pdf", "--child", kind, str(docs), str(out_file), *rest])
    return {**json.loads(out_file.read_text()), **stats}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(prog="bench.pdf")
    parser.add_argument("--forms", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    folder = corpus(args.forms, args.seed)
    docs = folder / "docs"
    key = json.loads((folder / "key.json").read_text())
    result: dict = {"forms": key["forms"], "files": len(key["files"]),
                    "input_mb": round(sum(p.stat().st_size for p in docs.glob("*.pdf")) / 2**20, 1),
                    "machine": machine()}
    for name, child in [("source_1_worker", ["source", "1"]), ("source_2_workers", ["source", "2"]),
                        ("pdfplumber", ["pdfplumber"]), ("pypdfium2", ["pypdfium2"])]:
        step = _measured(child[0], docs, *child[1:])
        step["pages_per_s"] = round(step["pages"] / step["work_seconds"], 1)
        step["cpu_ms_per_page"] = round(1000 * step["cpu_seconds"] / step["pages"], 1)
        if name.startswith("source"):
            step["forms_per_s"] = round(key["forms"] / step["work_seconds"], 1)
            step["cpu_ms_per_form"] = round(1000 * step["cpu_seconds"] / key["forms"], 1)
        result[name] = step
        print(name, json.dumps(step))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"pdf_{args.forms}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
