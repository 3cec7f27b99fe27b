"""The measurements behind the choice of libraries for the office sources
(README, "Published files"): each candidate reads the same documents — 30
synthetic forms in one file, and a workbook with a million formatted empty
rows — in a fresh process; wall time and peak memory (RSS) of the read.

    PYTHONPATH=. python -m bench.office_readers
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = {
    "xlsx": ["jixiao", "calamine", "openpyxl"],
    "xls": ["jixiao", "calamine"],
    "ods": ["jixiao", "calamine"],
    "docx": ["jixiao", "python-docx"],
    "html": ["jixiao"],
}

_READ = r'''
import io, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a reader that runs away fails here, not the machine
open("/proc/self/clear_refs", "w").write("5")  # the peak RSS inherited from the forking parent is reset


def peak_mb():
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    return int(line.split()[1]) // 1024


kind, fmt, path = sys.argv[1:4]
data = open(path, "rb").read()
if kind == "jixiao":
    from ingest.sources import sniff_file
    source = sniff_file(data)
t = time.perf_counter()
if kind == "jixiao":
    n = sum(1 for g in source.read(data) for c in g.cells() if c.text)
elif kind == "calamine":
    import python_calamine as pc
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    n = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        sheet.merged_cell_ranges
        n += sum(1 for row in sheet.to_python() for v in row if v != "")
elif kind == "openpyxl":
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    n = 0
    for ws in book.worksheets:
        list(ws.merged_cells.ranges)
        n += sum(1 for c in ws._cells.values() if c.value is not None and c.number_format is not None)
elif kind == "python-docx":
    import docx
    doc = docx.Document(io.BytesIO(data))
    n = sum(1 for t in doc.tables for row in t.rows for c in row.cells if c.text)
print(f"{(time.perf_counter() - t) * 1000:.0f} {peak_mb()} {n}")
'''


def main() -> None:
    from jixiao.paths import RAW_DIR
    from synth import bad_files, render_office
    from synth.generate import Generator
    from synth.parts import harvest

    rng = random.Random(1)
    gen = Generator(harvest(RAW_DIR), rng)
    forms = [gen.form(2022, "万元", render_office.STYLE).form for _ in range(30)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {}
        for fmt in ("xlsx", "docx", "html"):
            files[fmt] = render_office.render_native(forms, fmt, random.Random(0))[0]
        for fmt in ("xls", "ods"):
            files[fmt] = render_office.convert({"f.xlsx": files["xlsx"]}, fmt)[f"f.{fmt}"]
        single, _ = render_office.render_xlsx(forms[:1])
        files["xlsx, 1 form + 1M empty rows"] = bad_files.with_empty_rows(single, 1_000_000, 2000, cells_per_row=2)
        files["xlsx, 1 form + a value at XFD1048576"] = bad_files.with_stray_value(single, "XFD1048576")
        script = folder / "read.py"
        script.write_text(_READ)
        print(f"{'document':32} {'reader':12} {'ms':>7} {'peak MB':>8} {'cells':>6}")
        for label, data in files.items():
            fmt = label.split(",")[0]
            path = folder / f"doc.{fmt}"
            path.write_bytes(data)
            for kind in CANDIDATES[fmt]:
                proc = subprocess.run([sys.executable, str(script), kind, fmt, str(path)], capture_output=True,
                                      text=True, timeout=600)
                ms, mb, n = proc.stdout.split() if proc.returncode == 0 else (f"exit {proc.returncode}", "", "")
                print(f"{label:32} {kind:12} {ms:>7} {mb:>8} {n:>6}")


if __name__ == "__main__":
    main()
