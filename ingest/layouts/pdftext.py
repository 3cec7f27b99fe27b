"""pdftotext-style layout: form tables extracted from a PDF block by block.

What the text looks like (``data/raw/001_…`` is the model): no tabs; one
output line per PDF text line, text blocks separated by blank lines; cells
that share a baseline on one line, separated by single spaces (a number
and the unit printed after a space, ``≥90 (%)``, ``25 篇``, are one cell,
and so is a bare number and the word after it on a value line with a cell
too many: a name is never a bare number, ``0 履职事故``);
a wrapped cell on several lines, each as wide as its column. The extractor
emits a page's blocks in its own reading order, so

* a form's budget block and indicator table may come before its title, and
  the parts of a two-page form interleave with each other;
* the 实施单位 label may stand alone above the budget (its value then sits on
  the 主管部门 line: ``主管部门 A B``);
* labels are printed vertically (``绩`` ``效`` ``指`` ``标``) or wrapped
  (``满意度指`` ``标``); category labels that span several rows may come out
  in a column of their own, with no position;
* an indicator's value line (``300-400人 343人 3 3``) and its name may come
  apart: on a page whose values were extracted as one block the names come
  out later, grouped around the category labels; or the 分值/得分 column
  comes out as a block of ``3 3`` lines, and the rows' names, targets and
  actuals elsewhere.

What the parser relies on, in order (one module each):

1. :mod:`pdftext_lines`: widths of printed text, cells, merged labels; a
   form label (``主管部门``, ``项目资金（元）``) only as whole cells, never as
   the start of an indicator's name (``主管部门满意度``);
2. :mod:`pdftext_regions`: one run of lines per form: each form has one
   title, one 项目资金 block and one 总分 row (its score may exceed 100: an
   inflated form lands as printed); a form's run ends only after its 总分
   row, at the next budget block's first line or a second title;
3. :mod:`pdftext_head`, :mod:`pdftext_budget`: header, goals and the budget
   block, however its pieces were scattered (each piece read under its own
   column header);
4. :mod:`pdftext_rows`: indicator rows from the value lines (a line ending
   with 分值 and 得分), the text above each cut into 三级指标 / 年度指标值 /
   实际完成值 by wrap widths (:mod:`pdftext_cells`), 偏差原因分析 after rows
   that lost points, and after rows that kept them where the next row's
   own text (its name on its value line, its label) or the 总分 row ends it;
5. :mod:`pdftext_pairing`: rows whose names (or scores) were printed apart,
   paired with the stretch of text printed after (or before) them, which must
   hold exactly as many;
6. :mod:`pdftext_categories`: 一级/二级 categories: labels printed with a row
   anchor it; the others span contiguous runs in the template's order.

A form's ``line_start``/``line_end`` span its whole run of lines (its title
may stand in the middle); an indicator's ``line_no`` is its value line.

Cross-checks: the rows' weights must sum to the 总分 weight less the budget
weight (else the form is rejected: a row is missing, extra or misread), and
every row must have a name; a score sum that differs from the 总分 lands as
printed with a ``scores_do_not_reconcile`` warning.

Uncertainties, recorded as warnings on the form (``raw.ingest_errors``):

* ``pairing_uncertain``: rows whose names or scores were printed apart. The
  pairing follows wording (units, rates, timeliness words), category
  labels and, for scores, the scoring arithmetic, keeping printed neighbours
  together; it is the best fit, not a reading of the text;
* ``category_span_uncertain``: rows whose category comes from a label
  printed without position: the spans follow the template order, the
  national 一级 weights (产出 50 / 效益 30 / 满意度 10) and the rows' wording;
* ``cell_split_uncertain``: wrapped text above a value line that could be
  cut into name/target/actual in more than one way the widths allow (such
  as a name on the first line of a wrapped target, or a name holding a
  space), or a value line with more cells than name/target/actual whose
  extra cells read like values (``培训合格率 ≥95% 以上 98%``);
* ``reason_uncertain``: text between a row that kept its points and the
  next row's name, read as the first row's 偏差原因分析 by widths alone;
Every search is bounded (cell cutting, pairing, category spans): a form past
a bound is refused as ``too_complex``, naming its line.

* ``goal_split_uncertain``, ``implementing_unit_missing`` /
  ``implementing_unit_uncertain``, ``unrecognized_line`` (text no part of
  the parser could place, kept out of the data but named).
"""

from __future__ import annotations

from ingest.forms import is_title
from ingest.grid import Grid
from ingest.layouts.pdftext_form import read_form
from ingest.layouts.pdftext_lines import physical_lines
from ingest.layouts.pdftext_regions import split_regions
from ingest.records import FormError, Issue, ParsedFile

NAME = "pdftext"


def detect(lines: list[str]) -> bool:
    """A form title, and (unlike the tabular layout) most lines hold no tab."""
    content = [line for line in lines if line.strip()]
    if not content or not any(is_title(line) for line in content):
        return False
    tabbed = sum("\t" in line for line in content)
    return tabbed < 0.5 * len(content)


def read(text: str) -> list[Grid]:
    """One grid per form the text's runs of lines hold; a run that cannot be
    reconstructed is an empty grid carrying the error (its form keeps its
    number)."""
    lines = physical_lines(text)
    if not any(is_title(line.raw) for line in lines):
        return []
    grids = []
    for seq, region in enumerate(split_regions(lines), start=1):
        try:
            grids.append(read_form(region, seq))
        except FormError as err:
            grids.append(Grid(rows=[], source=NAME, issues=[Issue(err.code, err.message, err.line_no, seq)]))
    return grids


def parse(text: str) -> ParsedFile:
    """The forms of the text, read off the reconstructed grids by the template reader."""
    from ingest.template import read_grids  # the reader imports the vocabulary this package shares

    result = ParsedFile(layout=NAME)
    grids = read(text)
    if not grids:
        result.issues.append(Issue("no_form", "no 财政项目支出绩效自评表 title found: the file holds no form"))
        return result
    result.forms, result.issues = read_grids(grids)
    return result
