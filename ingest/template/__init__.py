"""The template reader: any cell grid in, forms out (see :mod:`reader`)."""

from __future__ import annotations

from ingest.checks import check_all
from ingest.forms import infer_document_years
from ingest.grid import Grid
from ingest.records import Form, Issue
from ingest.template.reader import read_grid


def read_grids(grids: list[Grid]) -> tuple[list[Form], list[Issue]]:
    """The forms of a file's grids, numbered through the file, each through
    the checks (:mod:`ingest.checks`), and the issues of those that could not
    land; years missing from a form are taken from the other forms of the
    same document."""
    forms: list[Form] = []
    issues: list[Issue] = []
    seq = 1
    for grid in grids:
        got, problems = read_grid(grid, seq)
        forms.extend(got)
        issues.extend(grid.issues)
        issues.extend(problems)
        seq += len(got) + len({p.form_seq for p in problems if p.form_seq is not None})
    if forms:
        issues = [i for i in issues if i.code != "no_form"]
    return check_all(infer_document_years(forms), issues)
