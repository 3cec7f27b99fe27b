"""Write a synthetic corpus: documents plus an answer key of every form.

``jixiao synth --forms N --seed S --out DIR`` writes ``DIR/docs/*.txt`` and
``DIR/answer_key.json``. The same N and seed always give the same corpus.
``--format xlsx|xls|ods|docx|html|pdf`` writes the same kind of forms as
office documents in the national template instead (synth/render_office.py),
with the same answer key; xls, ods and pdf through LibreOffice.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from jixiao.paths import RAW_DIR
from synth import render_office, render_pdftext, render_tabular
from synth.generate import DEFECT_RULES, DEFECTS, Generator, Planned
from synth.parts import harvest
from synth.render_tabular import shift

# Share of forms that carry one deliberate defect.
DEFECT_SHARE = 0.25
YEARS = (2020, 2021, 2022, 2023)
# Share of documents in the pdftotext-style layout (the rest are tab-separated).
PDFTEXT_SHARE = 0.2
RENDERERS = {"tabular": render_tabular, "pdftext": render_pdftext}
GRADE_PRINTED = {"minhang", "center", render_office.STYLE, *render_pdftext.PRINTS_GRADE}


@dataclass
class Document:
    name: str
    encoding: str | None  # 'utf-8' | 'gb18030' (None: an office document)
    newline: str | None  # '\n' | '\r\n'
    layout: str  # the text layout, or the office format
    style: str
    forms: list[Planned] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    data: bytes | None = None  # an office document's bytes (lines stay empty)
    # form_seq -> (file, form_seq) of the same project-year: the later form that replaces
    # it in the marts, or the earlier form it replaces (the defect duplicate_project_year)
    replaced_by: dict[int, tuple[str, int]] = field(default_factory=dict)
    replaces: dict[int, tuple[str, int]] = field(default_factory=dict)


def _document_sizes(total: int, rng: random.Random) -> list[int]:
    sizes = []
    while total > 0:
        size = min(total, rng.choice([1, 3, 5, 8, 10, 12, 20, 30]))
        sizes.append(size)
        total -= size
    return sizes


def _possible_defects(layout: str, style: str) -> list[str]:
    """The defects a document can show: a style that prints no 评分等级 cannot
    show a grade that disagrees; the pdftotext-style parser rejects a form
    whose indicator weights do not add up (it checks its reading of the
    rows with that sum), so a pdftext form cannot land that defect."""
    return [
        d for d in DEFECTS
        if not (d == "grade_mismatch" and style not in GRADE_PRINTED)
        and not (d == "weights_not_total" and layout == "pdftext")
    ]


def build_corpus(n_forms: int, seed: int, raw_dir: Path = RAW_DIR) -> list[Document]:
    rng = random.Random(seed)
    generator = Generator(harvest(raw_dir), rng)
    docs = []
    # clean forms of finished documents, by year, that a later document may re-publish
    published: dict[int, list[tuple[Document, int, tuple[str, str, str]]]] = {}
    for k, size in enumerate(_document_sizes(n_forms, rng), start=1):
        layout = "pdftext" if rng.random() < PDFTEXT_SHARE else "tabular"
        renderer = RENDERERS[layout]
        style = rng.choice(renderer.STYLES)
        doc = Document(
            name=f"synth_{seed}_{k:06d}.txt",
            encoding="gb18030" if rng.random() < 0.2 else "utf-8",
            newline="\r\n" if rng.random() < 0.2 else "\n",
            layout=layout,
            style=style,
        )
        year = rng.choice(YEARS)
        money_unit = "元" if rng.random() < (0.6 if layout == "pdftext" else 0.2) else "万元"
        possible = _possible_defects(layout, style)
        clean = []
        for seq in range(1, size + 1):
            defects = (rng.choice(possible),) if rng.random() < DEFECT_SHARE else ()
            earlier = None
            if defects == ("duplicate_project_year",) and published.get(year):
                earlier = published[year].pop(rng.randrange(len(published[year])))
            planned = generator.form(year, money_unit, style, defects, republishes=earlier[2] if earlier else None)
            if earlier:
                earlier_doc, earlier_seq, _ = earlier
                earlier_doc.replaced_by[earlier_seq] = (doc.name, seq)
                doc.replaces[seq] = (earlier_doc.name, earlier_seq)
            elif not planned.defects:
                f = planned.form
                clean.append((doc, seq, (f.supervising_department, f.implementing_unit, f.project_name)))
            lines, expected = renderer.render(planned.form, style, rng)
            expected = replace(shift(expected, len(doc.lines)), form_seq=seq)
            doc.forms.append(Planned(expected, style, planned.defects))
            doc.lines.extend(lines)
        published.setdefault(year, []).extend(clean)
        docs.append(doc)
    return docs


def build_office_corpus(n_forms: int, seed: int, fmt: str, raw_dir: Path = RAW_DIR) -> list[Document]:
    """Documents of ``fmt`` (render_office.FORMATS), as many forms each as the
    text corpus puts in a document. xls, ods and pdf are converted from xlsx
    or docx in one LibreOffice run."""
    rng = random.Random(seed)
    generator = Generator(harvest(raw_dir), rng)
    native = render_office.CONVERTED_FROM.get(fmt, fmt)
    possible = _possible_defects("office", render_office.STYLE)
    docs = []
    for k, size in enumerate(_document_sizes(n_forms, rng), start=1):
        year = rng.choice(YEARS)
        money_unit = "元" if rng.random() < 0.2 else "万元"
        planned = [
            generator.form(year, money_unit, render_office.STYLE,
                           (rng.choice(possible),) if rng.random() < DEFECT_SHARE else ())
            for _ in range(size)
        ]
        data, expected = render_office.render_native([p.form for p in planned], native, rng)
        doc = Document(name=f"synth_{seed}_{k:06d}.{native}", encoding=None, newline=None, layout=native,
                       style=render_office.STYLE, data=data)
        doc.forms = [Planned(replace(form, form_seq=seq), p.style, p.defects)
                     for seq, (form, p) in enumerate(zip(expected, planned), start=1)]
        docs.append(doc)
    if fmt != native:
        converted = render_office.convert({d.name: d.data for d in docs}, fmt)
        for doc in docs:
            doc.name = f"{Path(doc.name).stem}.{fmt}"
            doc.data, doc.layout = converted[doc.name], fmt
    return docs


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _placement(doc: Document, seq: int) -> dict:
    """Where the marts put the form: fct_evaluation, or (replaced by a later document's
    form of the same project-year) fct_duplicate_evaluation, next to the form kept."""
    out: dict = {"mart": "fct_duplicate_evaluation" if seq in doc.replaced_by else "fct_evaluation"}
    if seq in doc.replaced_by:
        file, kept_seq = doc.replaced_by[seq]
        out["kept_form"] = {"file": file, "form_seq": kept_seq}
    if seq in doc.replaces:
        file, dropped_seq = doc.replaces[seq]
        out["replaces_form"] = {"file": file, "form_seq": dropped_seq}
    return out


def write_corpus(docs: list[Document], out: Path) -> dict:
    folder = out / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    key = {"documents": []}
    for doc in docs:
        if doc.data is not None:
            (folder / doc.name).write_bytes(doc.data)
        else:
            text = doc.newline.join(doc.lines) + doc.newline
            (folder / doc.name).write_bytes(text.encode(doc.encoding))
        key["documents"].append(
            {
                "file": doc.name,
                "encoding": doc.encoding,
                "newline": None if doc.newline is None else "CRLF" if doc.newline == "\r\n" else "LF",
                "layout": doc.layout,
                "style": doc.style,
                "forms": [
                    {
                        "defects": list(p.defects),
                        "expected_rules": sorted({DEFECT_RULES[d] for d in p.defects}),
                        **_placement(doc, seq),
                        **_jsonable(asdict(p.form)),
                    }
                    for seq, p in enumerate(doc.forms, start=1)
                ],
            }
        )
    (out / "answer_key.json").write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    return key


def synth_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = getattr(args, "format", "text")
    docs = build_corpus(args.forms, args.seed) if fmt == "text" else build_office_corpus(args.forms, args.seed, fmt)
    write_corpus(docs, out)
    n_defects = sum(1 for d in docs for p in d.forms if p.defects)
    print(
        f"synth: {sum(len(d.forms) for d in docs)} forms in {len(docs)} documents under {out / 'docs'} "
        f"({n_defects} with a deliberate inconsistency); answer key {out / 'answer_key.json'}"
    )
    return 0
