"""The template reader: any cell grid in, forms out (see :mod:`reader`)."""

from __future__ import annotations

import dataclasses

from ingest.checks import check_all
from ingest.forms import infer_document_years
from ingest.grid import Grid
from ingest.records import Form, Issue, Severity
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
        issues.extend(grid.issues)
        if not grid.rows:  # a form its source could not make a grid of: it keeps its number
            seq += 1
            continue
        got, problems, count = read_grid(grid, seq)
        forms.extend(got)
        issues.extend(problems)
        seq += count
    if forms:
        issues = [i for i in issues if i.code != "no_form"]
    forms, issues = _attach_warnings(forms, issues)
    return check_all(infer_document_years(forms), issues)


def _attach_warnings(forms: list[Form], issues: list[Issue]) -> tuple[list[Form], list[Issue]]:
    """A source's warnings about a form that landed go with that form."""
    landed: dict[int | None, int] = {f.form_seq: k for k, f in enumerate(forms)}
    rest = []
    for issue in issues:
        k = landed.get(issue.form_seq) if issue.severity is Severity.WARNING else None
        if k is None:
            rest.append(issue)
        else:
            forms[k] = dataclasses.replace(forms[k], warnings=(*forms[k].warnings, issue))
    return forms, rest
