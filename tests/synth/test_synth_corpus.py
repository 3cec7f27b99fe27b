"""A synthetic corpus of 1,000 forms, in both layouts (tab-separated and
pdftotext-style), lands exactly as its answer key says."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from clitools import run_jixiao as jixiao
from synth.answer_key import differences, finding_differences, load_key
from synth.generate import CHECK_CODES, DEFECT_CHECKS, DEFECT_RULES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    proc = jixiao("synth", "--forms", "1000", "--seed", "11", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "synth: 1000 forms" in proc.stdout
    return out


def test_the_corpus_mixes_layouts_encodings_line_ends_and_styles(corpus):
    key = load_key(corpus / "answer_key.json")
    docs = key["documents"]
    assert sum(len(d["forms"]) for d in docs) == 1000
    assert {d["encoding"] for d in docs} == {"utf-8", "gb18030"}
    assert {d["newline"] for d in docs} == {"LF", "CRLF"}
    assert {(d["layout"], d["style"]) for d in docs} == {
        ("tabular", "minhang"), ("tabular", "city"), ("tabular", "center"),
        ("pdftext", "pdf_reading"), ("pdftext", "pdf_extracted"),
    }
    pdf_forms = [f for d in docs if d["layout"] == "pdftext" for f in d["forms"]]
    assert 100 < len(pdf_forms) < 400  # about a fifth of the documents
    assert len({tuple(f["defects"]) for f in pdf_forms if f["defects"]}) > 8  # inconsistencies in both layouts
    for doc in docs:
        data = (corpus / "docs" / doc["file"]).read_bytes()
        assert (b"\r\n" in data) == (doc["newline"] == "CRLF")
        assert (b"\t" in data) == (doc["layout"] == "tabular")
    defective = [f for d in docs for f in d["forms"] if f["defects"]]
    assert 150 < len(defective) < 350
    assert {x for f in defective for x in f["defects"]} == set(DEFECT_RULES)  # every kind, issue 16's rules too


def test_a_duplicate_is_a_clean_form_republished_in_a_later_document(corpus):
    key = load_key(corpus / "answer_key.json")
    forms = {(d["file"], f["form_seq"]): f for d in key["documents"] for f in d["forms"]}
    dropped = [(where, f) for where, f in forms.items() if f["mart"] == "fct_duplicate_evaluation"]
    republished = [f for f in forms.values() if "duplicate_project_year" in f["defects"]]
    assert len(dropped) == len(republished) > 3
    for (file, seq), form in dropped:
        kept_at = (form["kept_form"]["file"], form["kept_form"]["form_seq"])
        kept = forms[kept_at]
        assert form["defects"] == [] and kept["defects"] == ["duplicate_project_year"]
        assert kept["replaces_form"] == {"file": file, "form_seq": seq} and kept["mart"] == "fct_evaluation"
        assert kept_at[0] > file  # the later file's form is the one kept
        assert [kept[k] for k in ("implementing_unit", "project_name", "year")] == \
            [form[k] for k in ("implementing_unit", "project_name", "year")]


def test_same_seed_same_corpus(corpus, tmp_path):
    again = tmp_path / "again"
    assert jixiao("synth", "--forms", "1000", "--seed", "11", "--out", str(again)).returncode == 0

    def digest(folder: Path) -> str:
        h = hashlib.sha256()
        for path in sorted((folder / "docs").iterdir()):
            h.update(path.name.encode() + path.read_bytes())
        return h.hexdigest()

    assert digest(again) == digest(corpus)


def test_ingest_matches_the_answer_key_exactly(corpus, tmp_path):
    db = tmp_path / "j.duckdb"
    proc = jixiao("ingest", str(corpus / "docs"), "--db", str(db))
    assert proc.returncode == 0, proc.stdout
    assert "1000 forms landed, 0 rejected" in proc.stdout
    key = load_key(corpus / "answer_key.json")
    assert differences(key, db) == []
    with duckdb.connect(str(db), read_only=True) as con:
        layouts = dict(con.sql("SELECT source_file, layout FROM raw.source_files").fetchall())
        warnings = {code for (code,) in con.sql("SELECT DISTINCT error_code FROM raw.ingest_errors").fetchall()}
        flagged: dict[tuple[str, int], set[str]] = {}
        for file, seq, code in con.sql("SELECT source_file, form_seq, error_code FROM raw.ingest_errors").fetchall():
            if code in CHECK_CODES:
                flagged.setdefault((file, seq), set()).add(code)
        confidence = dict(((f, s), c) for f, s, c in con.sql(
            "SELECT source_file, form_seq, parse_confidence FROM raw.forms").fetchall())
    assert layouts == {d["file"]: d["layout"] for d in key["documents"]}
    # every form is read with certainty: no pairing, category span, cell cut
    # or goal split left to a best guess, no line left unread; the only
    # warnings are a planted 总分 that its scores do not add up to and years
    # read from the narrative (titles printed without one)
    assert warnings - CHECK_CODES <= {"scores_do_not_reconcile", "year_inferred_from_narrative"}
    # the checks flag exactly the planted breaks of a form's own arithmetic, and those forms are less than certain
    for doc in key["documents"]:
        for form in doc["forms"]:
            where = (doc["file"], form["form_seq"])
            implied = set().union(*(DEFECT_CHECKS.get(d, set()) for d in form["defects"]))
            assert flagged.get(where, set()) == implied, (where, form["defects"])
            assert (confidence[where] < 1) == bool(implied), where


def test_quality_findings_flag_exactly_the_planted_inconsistencies(corpus, tmp_path):
    """The whole pipeline (`jixiao build`: ingest, dbt, Great Expectations) on
    1,000 synthetic forms: every planted inconsistency is flagged by its rule,
    and nothing else is flagged anywhere."""
    served = tmp_path / "jixiao.duckdb"
    proc = jixiao("build", "--raw", str(corpus / "docs"), "--db", str(served))
    assert proc.returncode == 0, proc.stdout[-3000:]
    key = load_key(corpus / "answer_key.json")
    planted = sum(1 for d in key["documents"] for f in d["forms"] if f["defects"])
    assert planted > 150
    assert finding_differences(key, served) == []
    # clean forms that spend under 90% say why, so the rule flags only the planted ones
    with duckdb.connect(str(served), read_only=True) as con:
        (low,), = con.sql("SELECT count(*) FROM marts.fct_evaluation WHERE execution_rate_computed_pct < 90").fetchall()
    unexplained = sum(1 for d in key["documents"] for f in d["forms"] if "low_execution_without_reason" in f["defects"])
    assert low > 2 * unexplained > 0
