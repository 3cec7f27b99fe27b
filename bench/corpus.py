"""The reading benchmark's corpus (issue 13 item 7): real documents, copied.

* ``bundled/``: the four bundled documents (data/raw/*) copied N times, every
  项目名称 value rewritten per copy (``…（副本00017）``) so that no two files
  are identical (one of 003's names is printed above its label, whose cells
  are empty, and stays as printed): 48 forms and ≈ 114 KB a copy, so 2,000 copies = 96,000
  forms ≈ 230 MB. The ``001_…`` copies (the scrambled pdftotext reading order,
  the hardest source) are a quarter of the files.
* ``variants/``: the other text sources, so each has a forms/s figure: the
  bundled tab-separated documents with their tabs as runs of spaces
  (``line.replace("\\t", "    ")``) and as markdown pipe tables, and the
  published samples of other governments that land (one pipe table, one
  space-aligned page, one cell per line), each copied M times with its names
  varied the same way.

Pure text in, text out; :func:`build` writes the files and a manifest (which
original each file copies and how it was rewritten).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from jixiao.paths import PROJECT_ROOT, RAW_DIR

SAMPLES_DIR = PROJECT_ROOT / "tests" / "samples" / "other-governments"
# The published samples of other governments that land a complete form (the
# others are cut off mid-table and are refused, as they should be).
LANDING_SAMPLES = ("yn_yongde_minglang_2022.txt", "ah_tianchang_slj_2022.txt", "sc_qingshen_fgj_2023.txt")

NAME_LABEL = "项目名称"
# What may stand between the label and its value: spaces, tabs, pipes, a colon.
_GAP = re.compile(r"[\t |:：\u3000]*")
# Where a value ends: a tab, a pipe, two spaces (a column gap), or the line's end.
_VALUE_END = re.compile(r"\t|\s*\||\s{2,}|\s*$")


def copy_tag(copy: int) -> str:
    return f"（副本{copy:05d}）"


def _vary_value(line: str, start: int, tag: str) -> str:
    end = _VALUE_END.search(line, start).start()
    return line[:end] + tag + line[end:]


def vary_names(text: str, tag: str) -> str:
    """Every 项目名称 value with ``tag`` appended: the value after the label on
    its line, or — when the label's cell ends its line (one cell per line) —
    the next non-blank line's first cell. Nothing else changes. Applied to a
    document before it is rewritten into another source."""
    lines = text.split("\n")
    pending = False
    for n, line in enumerate(lines):
        if pending and line.strip():
            lines[n] = _vary_value(line, len(line) - len(line.lstrip()), tag)
            pending = False
            continue
        at = line.find(NAME_LABEL)
        if at < 0:
            continue
        start = _GAP.match(line, at + len(NAME_LABEL)).end()
        if start < len(line.rstrip()):
            lines[n] = _vary_value(line, start, tag)
        else:
            # the label's cell ends its line: the value is the next line's
            # cell (one cell per line), unless the row prints more cells,
            # all empty (a form published with no name: it stays so)
            rest = line[at + len(NAME_LABEL) :]
            pending = "\t" not in rest and rest.count("|") <= 1
    return "\n".join(lines)


def spaces(text: str) -> str:
    """Tabs as runs of four spaces (a page saved as text)."""
    return text.replace("\t", "    ")


def markdown_table(text: str) -> str:
    """The document as one markdown table, as a converter writes it: every
    non-blank line a row of the same width, a separator under the first."""
    rows = [line.split("\t") for line in text.split("\n") if line.strip()]
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]]) + "\n"


@dataclass(frozen=True)
class Original:
    """A document the corpus copies, and how each copy is rewritten."""

    key: str  # e.g. "001_13e9ac82ec5acbf2" or "002_42c27752b8eae618.spaces"
    folder: str  # bundled | variants
    path: Path
    suffix: str  # the copies' file-name ending
    rewrite: Callable[[str], str] | None = None


def originals() -> list[Original]:
    found = [Original(p.stem, "bundled", p, p.suffix) for p in sorted(RAW_DIR.glob("*.txt"))]
    tabbed = [o for o in found if "\t" in o.path.read_text(encoding="utf-8")]
    found += [Original(o.key + ".spaces", "variants", o.path, ".txt", spaces) for o in tabbed]
    found += [Original(o.key + ".pipe", "variants", o.path, ".md", markdown_table) for o in tabbed]
    found += [Original(Path(n).stem, "variants", SAMPLES_DIR / n, Path(n).suffix) for n in LANDING_SAMPLES]
    return found


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    original: str
    copy: int


def build(out: Path, copies: int, variant_copies: int) -> list[CorpusFile]:
    """Write ``copies`` copies of each bundled document under out/bundled and
    ``variant_copies`` of each variant under out/variants; the manifest lands
    in out/manifest.json. Deterministic: the same arguments, the same bytes."""
    files: list[CorpusFile] = []
    for original in originals():
        text = original.path.read_text(encoding="utf-8")
        rewrite = original.rewrite or (lambda t: t)
        folder = out / original.folder
        folder.mkdir(parents=True, exist_ok=True)
        n = copies if original.folder == "bundled" else variant_copies
        for copy in range(n):
            name = f"{copy:05d}_{original.key}{original.suffix}"
            (folder / name).write_text(rewrite(vary_names(text, copy_tag(copy))), encoding="utf-8")
            files.append(CorpusFile(f"{original.folder}/{name}", original.key, copy))
    manifest = {"copies": copies, "variant_copies": variant_copies, "files": [asdict(f) for f in files]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return files


def cached(out: Path, copies: int, variant_copies: int) -> list[CorpusFile]:
    """The corpus at ``out``, built unless it is already there at this size."""
    manifest = out / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text())
        if (data["copies"], data["variant_copies"]) == (copies, variant_copies):
            return [CorpusFile(**f) for f in data["files"]]
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    return build(out, copies, variant_copies)
