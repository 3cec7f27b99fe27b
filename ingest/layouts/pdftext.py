"""pdftotext-style layout: table text extracted from a PDF block by block.

(Full description below, filled in when the module is complete.)
"""

from __future__ import annotations

from ingest.forms import infer_document_years, is_title
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


def parse(text: str) -> ParsedFile:
    result = ParsedFile(layout=NAME)
    lines = physical_lines(text)
    if not any(is_title(line.raw) for line in lines):
        result.issues.append(Issue("no_form", "no 财政项目支出绩效自评表 title found: the file holds no form"))
        return result
    forms = []
    for seq, region in enumerate(split_regions(lines), start=1):
        try:
            forms.append(read_form(region, seq))
        except FormError as err:
            result.issues.append(Issue(err.code, err.message, err.line_no, seq))
    result.forms = infer_document_years(forms)
    return result
