"""Property-based tests: mangled documents never crash, stall or land a bad form.

Random mutations (hypothesis) of the bundled documents (data/raw) and of
synthetic ones (synth.corpus): lines deleted, duplicated or swapped, cells
split or merged, junk bytes inserted, the file cut at any byte, the encoding
and line ends switched. Each mangled file goes through the real parsing
entry point, ``ingest.pipeline.parse_bytes``, in the worker pool the ingest
uses (``ingest.isolation.IsolatedParser``) under a time limit; the
properties:

* it returns: no ``parser_error`` (an exception), no ``worker_crashed``, no
  ``timeout`` (the limit, not a clock in the test, says what is too slow);
* every form that lands is well-formed: a project name, indicators, each
  with a name, and no negative weight, score, amount or total;
* every form that lands either adds up (ingest.checks finds nothing) or
  says it does not: ``parse_confidence`` below 1 and a warning per problem.

The normal run tries a bounded number of examples (profile ``default``,
well under a minute here); ``make fuzz`` runs the ``fuzz`` profile
(``JIXIAO_HYPOTHESIS_PROFILE=fuzz``, many more examples, and
``JIXIAO_FUZZ_EXAMPLES`` to choose how many) and prints how many documents
were tried.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.checks import check
from ingest.isolation import IsolatedParser, Source
from ingest.landing import FileResult
from ingest.limits import Limits
from ingest.records import Form
from jixiao.paths import RAW_DIR

PROFILE = os.environ.get("JIXIAO_HYPOTHESIS_PROFILE", "default")
EXAMPLES = {"default": 30, "fuzz": int(os.environ.get("JIXIAO_FUZZ_EXAMPLES", "2000"))}[PROFILE]
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the worker's time limit judges speed, not a clock here
    # the normal run tries the same examples every time (a finding is not a flaky test);
    # `make fuzz` draws new ones each run and keeps what failed in .hypothesis/ to replay it
    derandomize=PROFILE == "default",
    database=None if PROFILE == "default" else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
# A parse slower than this is a finding: the bundled documents take well under a second.
FUZZ_LIMITS = Limits(file_timeout=60, workers=2)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16-le", "utf-16-be", "utf-16", "big5")
FAILURES = {"parser_error", "worker_crashed", "timeout"}


@dataclass
class Tally:
    documents: int = 0
    forms_landed: int = 0
    refused: int = 0


TALLY = Tally()


def bundled_documents() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(RAW_DIR.glob("*.txt"))]


def synthetic_documents() -> list[tuple[str, str]]:
    from synth.corpus import build_corpus

    docs = build_corpus(16, seed=20261203)
    return [(d.name, "\n".join(d.lines) + "\n") for d in docs]


@cache
def bases() -> list[tuple[str, str]]:
    """The documents mutated: the bundled ones and a synthetic corpus (built on first use)."""
    return bundled_documents() + synthetic_documents()


@pytest.fixture(scope="module")
def parser():
    with IsolatedParser(FUZZ_LIMITS) as pool:
        yield pool
    print(f"\nproperties ({PROFILE}): {TALLY.documents} mangled documents parsed, "
          f"{TALLY.forms_landed} forms landed, {TALLY.refused} refusals")


# -- mutations ---------------------------------------------------------------
index = st.integers(min_value=0, max_value=10**6)
line_ops = st.one_of(
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("duplicate"), index),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("split_cell"), index, index),  # a tab inside a cell
    st.tuples(st.just("merge_cells"), index, index),  # a tab removed
    st.tuples(st.just("blank"), index),
)
byte_ops = st.one_of(
    st.tuples(st.just("junk"), index, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("truncate"), index),
)


def apply_line_op(lines: list[str], op: tuple) -> list[str]:
    if not lines:
        return lines
    kind, i = op[0], op[1] % len(lines)
    lines = list(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = op[2] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "split_cell" and lines[i]:
        k = op[2] % len(lines[i])
        lines[i] = lines[i][:k] + "\t" + lines[i][k:]
    elif kind == "merge_cells" and "\t" in lines[i]:
        tabs = [k for k, ch in enumerate(lines[i]) if ch == "\t"]
        k = tabs[op[2] % len(tabs)]
        lines[i] = lines[i][:k] + lines[i][k + 1:]
    elif kind == "blank":
        lines[i] = ""
    return lines


def apply_byte_op(data: bytes, op: tuple) -> bytes:
    at = op[1] % (len(data) + 1)
    if op[0] == "junk":
        return data[:at] + op[2] + data[at:]
    return data[:at]


@st.composite
def mangled(draw) -> tuple[str, bytes]:
    name, text = draw(st.sampled_from(bases()))
    lines = text.split("\n")
    for op in draw(st.lists(line_ops, max_size=6)):
        lines = apply_line_op(lines, op)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = newline.join(lines).encode(encoding, errors="replace")
    for op in draw(st.lists(byte_ops, max_size=3)):
        data = apply_byte_op(data, op)
    return name, data


# -- properties ----------------------------------------------------------------
def parse(parser: IsolatedParser, name: str, data: bytes) -> FileResult:
    [result] = list(parser.parse([Source(name, data=data)], rows=False))
    TALLY.documents += 1
    TALLY.forms_landed += len(result.forms)
    TALLY.refused += sum(1 for i in result.issues if i.severity.value == "error")
    return result


def assert_well_formed(form: Form) -> None:
    assert form.project_name.strip()
    assert form.indicators, f"form {form.form_seq} landed without indicators"
    for ind in form.indicators:
        assert ind.name.strip(), f"indicator {ind.indicator_seq} of form {form.form_seq} has no name"
        for value in (ind.weight, ind.score):
            assert value is None or value >= 0, f"indicator {ind.indicator_seq}: {value}"
    for value in (form.budget_weight, form.budget_score, form.total_weight, form.total_score):
        assert value is None or value >= 0
    for line in form.budget_lines:
        for value in (line.initial_amount, line.full_year_amount, line.executed_amount):
            assert value is None or value >= 0


def assert_adds_up_or_says_so(form: Form) -> None:
    """Never lands a form that fails the arithmetic checks without its flag:
    checking the landed form again finds only disagreements it already
    carries as warnings, with a confidence below 1."""
    found = check(form).warnings[len(form.warnings):]
    if found:
        assert form.parse_confidence < 1, f"form {form.form_seq}: {[w.message for w in found]}"
        assert {w.code for w in found} <= {w.code for w in form.warnings}


def assert_properties(result: FileResult) -> None:
    failures = [(i.code, i.message) for i in result.issues if i.code in FAILURES]
    assert not failures, failures
    for form in result.forms:
        assert_well_formed(form)
        assert_adds_up_or_says_so(form)


@SETTINGS
@given(document=mangled())
def test_mangled_documents_never_crash_stall_or_land_a_bad_form(parser, document):
    name, data = document
    assert_properties(parse(parser, name, data))


@pytest.mark.parametrize(("name", "text"), bundled_documents(), ids=[n for n, _ in bundled_documents()])
def test_the_unmangled_bundled_documents_hold_the_properties_too(parser, name, text):
    result = parse(parser, name, text.encode("utf-8"))
    assert result.forms
    assert_properties(result)
