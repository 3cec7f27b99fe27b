"""The reading benchmark's corpus (bench/corpus.py) at 2 copies: the files it
writes, their project names varied per copy, and every copy still landing the
forms of the document it copies. No timing here: speed is the benchmark's."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict

import pytest

from bench import corpus
from ingest.pipeline import parse_bytes

# Forms per document, counted by hand in the documents (a 财政项目支出绩效自评表
# title each): the four bundled ones, then the three published samples that land.
FORMS = {"000": 2, "001": 9, "002": 30, "003": 7, "yn_yongde": 1, "ah_tianchang": 1, "sc_qingshen": 1}


def _expected_forms(original: str) -> int:
    return next(n for prefix, n in FORMS.items() if original.startswith(prefix))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading_corpus")
    files = corpus.build(root, copies=2, variant_copies=2)
    results = {f.path: parse_bytes(f.path, (root / f.path).read_bytes()) for f in files}
    return root, files, results


def test_the_corpus_holds_every_copy(built):
    root, files, _ = built
    # 4 bundled documents x 2; the 3 tab-separated ones as spaces and as pipe
    # tables, and the 3 landing samples, x 2
    assert len(files) == 4 * 2 + (3 * 2 + 3) * 2
    on_disk = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert on_disk == sorted(f.path for f in files)
    assert sum(f.path.startswith("bundled/") for f in files) == 8
    # the scrambled pdftotext document, the hardest to read, is in the issue's corpus
    assert sum(f.path.startswith("bundled/") and f.original.startswith("001_") for f in files) == 2
    digests = {hashlib.sha256((root / f.path).read_bytes()).hexdigest() for f in files}
    assert len(digests) == len(files), "no two files of the corpus are identical"


def test_every_copy_lands_the_forms_of_its_document(built):
    _, files, results = built
    for f in files:
        result = results[f.path]
        assert len(result.forms) == _expected_forms(f.original), f.path
        assert not [i for i in result.issues if i.severity.value == "error"], f.path
    layouts = {f.original: results[f.path].layout for f in files}
    assert layouts["001_13e9ac82ec5acbf2"] == "pdftext"
    assert layouts["002_42c27752b8eae618"] == "tabular"
    assert layouts["002_42c27752b8eae618.spaces"] == "spaced"
    assert layouts["002_42c27752b8eae618.pipe"] == "pipe"
    assert layouts["yn_yongde_minglang_2022"] == "pipe"
    assert layouts["ah_tianchang_slj_2022"] == "spaced"
    assert layouts["sc_qingshen_fgj_2023"] == "cell_lines"


def test_project_names_vary_per_copy_and_nothing_else_does(built):
    _, files, results = built
    originals = {o.key: o for o in corpus.originals()}
    copies = defaultdict(dict)
    for f in files:
        copies[f.original][f.copy] = results[f.path]
    for key, by_copy in copies.items():
        original = originals[key]
        text = original.path.read_text(encoding="utf-8")
        plain = parse_bytes(key, (original.rewrite(text) if original.rewrite else text).encode("utf-8"))
        for copy, result in by_copy.items():
            tag = corpus.copy_tag(copy)
            untagged = 0
            for printed, landed in zip(plain.forms, result.forms, strict=True):
                if landed.project_name == printed.project_name:
                    untagged += 1
                else:
                    assert landed.project_name == printed.project_name + tag
                # warnings quote the name: compare what they say, not how
                assert [(w.code, w.line_no) for w in landed.warnings] == [(w.code, w.line_no) for w in printed.warnings]
                same = dataclasses.replace(landed, project_name=printed.project_name, warnings=printed.warnings)
                assert same == printed
            # 003 prints one name (教育培经费, line 137) on the line above its 项目名称
            # label, whose own cells are empty: that name is the same in every copy
            assert untagged == (1 if key.startswith("003_") else 0), key
        first, second = ({f.project_name for f in r.forms if f.project_name} for r in by_copy.values())
        assert len(first & second) == (1 if key.startswith("003_") else 0), key


def test_vary_names_reads_each_way_a_name_is_printed():
    tag = "（副本00007）"
    assert corpus.vary_names("项目名称\t\t机关服务费\t\t\n", tag) == f"项目名称\t\t机关服务费{tag}\t\t\n"
    assert corpus.vary_names("项目名称 机关服务费", tag) == f"项目名称 机关服务费{tag}"
    assert corpus.vary_names("    项目名称    机关服务费    主管部门", tag) == f"    项目名称    机关服务费{tag}    主管部门"
    assert corpus.vary_names("| 项目名称 | 机关服务费 | 主管部门 |", tag) == f"| 项目名称 | 机关服务费{tag} | 主管部门 |"
    assert corpus.vary_names("项目名称 |\n\n机关服务费 |", tag) == f"项目名称 |\n\n机关服务费{tag} |"
    # a form printed with no name keeps none
    assert corpus.vary_names("项目名称\t\t\t\n主管部门\tX", tag) == "项目名称\t\t\t\n主管部门\tX"
