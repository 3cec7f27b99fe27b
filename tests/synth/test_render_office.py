"""``jixiao synth --format …`` writes office documents made by real office
software (openpyxl, python-docx, LibreOffice) whose grids hold the answer
key's forms where the key's line numbers say."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from clitools import run_jixiao as jixiao
from ingest.sources import sniff_file
from office_forms import TITLE, assert_grids_hold
from synth.answer_key import load_key

MAGIC = {"xlsx": b"PK\x03\x04", "docx": b"PK\x03\x04", "ods": b"PK\x03\x04", "xls": b"\xd0\xcf\x11\xe0",
         "pdf": b"%PDF-"}


def _corpus(tmp_path_factory, fmt: str, forms: int = 24, seed: int = 7) -> Path:
    out = tmp_path_factory.mktemp(f"synth_{fmt}")
    proc = jixiao("synth", "--forms", str(forms), "--seed", str(seed), "--format", fmt, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"synth: {forms} forms" in proc.stdout
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "xls", "ods"])
def test_synthetic_office_documents_hold_their_answer_key(tmp_path_factory, fmt):
    out = _corpus(tmp_path_factory, fmt)
    key = load_key(out / "answer_key.json")
    docs = key["documents"]
    assert sum(len(d["forms"]) for d in docs) == 24
    assert {(d["layout"], d["style"]) for d in docs} == {(fmt, "national")}
    checked = 0
    for doc in docs:
        data = (out / "docs" / doc["file"]).read_bytes()
        assert doc["file"].endswith(f".{fmt}")
        if fmt in MAGIC:
            assert data.startswith(MAGIC[fmt])
        source = sniff_file(data)
        assert source is not None and source.NAME == fmt
        checked += assert_grids_hold(source.read(data), doc["forms"])
    assert checked == sum(len(f["indicators"]) for d in docs for f in d["forms"])


def test_xlsx_documents_have_real_merged_cells_and_number_formats(tmp_path_factory):
    out = _corpus(tmp_path_factory, "xlsx", forms=5, seed=3)
    path = next((out / "docs").iterdir())
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert "<mergeCell " in sheet and 'ref="A1:J1"' in sheet
    assert 'formatCode="0.00%"' in styles or 'numFmtId="10"' in styles


def test_pdf_documents_are_converted_from_word_with_every_form(tmp_path_factory):
    out = _corpus(tmp_path_factory, "pdf", forms=6, seed=4)
    key = load_key(out / "answer_key.json")
    for doc in key["documents"]:
        path = out / "docs" / doc["file"]
        assert path.read_bytes().startswith(MAGIC["pdf"])
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count(TITLE) == len(doc["forms"])
        for form in doc["forms"]:
            assert form["project_name"] in text.replace("\n", "")


def test_a_corpus_is_converted_in_several_libreoffice_runs_each_document_its_own(monkeypatch, tmp_path):
    """A large corpus is converted SOFFICE_BATCH documents per LibreOffice run (one run
    would outlast its timeout), two runs at once: every document still comes back,
    holding its own forms."""
    from synth import render_office
    from synth.corpus import build_office_corpus, write_corpus

    monkeypatch.setattr(render_office, "SOFFICE_BATCH", 1)
    monkeypatch.setattr(render_office, "SOFFICE_PARALLEL", 2)
    docs = build_office_corpus(14, 5, "xls")
    assert len(docs) > 1  # more than one batch
    key = write_corpus(docs, tmp_path)
    assert sum(len(d["forms"]) for d in key["documents"]) == 14
    for doc, keyed in zip(docs, key["documents"], strict=True):
        assert doc.name == keyed["file"] and doc.name.endswith(".xls") and doc.data.startswith(MAGIC["xls"])
        checked = assert_grids_hold(sniff_file(doc.data).read(doc.data), keyed["forms"])
        assert checked == sum(len(f["indicators"]) for f in keyed["forms"])
