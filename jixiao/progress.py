"""Progress of a batch: a bar on a terminal, plain lines in CI or a log."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ingest.landing import FileSummary


class Progress:
    """Pass as ``ingest(on_start=progress.start, on_done=progress)``: the total
    is the number of files ingest will parse (an incremental run skips some)."""

    def __init__(self, total: int = 0, stream: TextIO | None = None):
        self.done = 0
        self.forms = 0
        self.stream = stream or sys.stderr  # looked up now: a test may have replaced it
        self.start(total)

    def start(self, total: int) -> None:
        self.total = total
        self.bar = self.stream.isatty() and not os.environ.get("CI") and total > 1

    def __call__(self, result: FileSummary) -> None:
        self.done += 1
        self.forms += result.forms_landed
        if self.bar:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files, {self.forms} forms"
            )
            if self.done == self.total:
                self.stream.write("\n")
        else:
            rejected = len({i.form_seq for i in result.rejected})
            refused = next((i.code for i in result.rejected if i.form_seq is None), None)
            detail = f"refused: {refused}" if refused else f"{result.layout or 'no layout'}, {result.encoding or 'not text'}"
            self.stream.write(
                f"parsed {result.source_file}: {result.forms_landed} forms landed, {rejected} rejected ({detail})\n"
            )
        self.stream.flush()
