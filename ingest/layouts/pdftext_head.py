"""The header and the 年度总体目标 of a pdftotext-style form.

* ``项目名称 X``; ``主管部门 A 实施单位 B``, or ``主管部门 A B`` when the
  实施单位 label came out elsewhere (on its own line, above the budget): the
  two values are then the two units in printed order.
* The goals follow the ``预期目标 实际完成情况`` header as paragraphs: a
  paragraph starts with an indented line; a block that starts without
  indentation right after a paragraph that did not end a sentence is that
  paragraph's continuation (the extractor broke it at a blank line). The
  first paragraph group is 预期目标, the rest 实际完成情况; more than two
  groups leave the split uncertain and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import vocabulary as V
from ingest.layouts.pdftext_lines import Line
from ingest.records import Issue, Severity
from ingest.text import unwrap

_SENTENCE_END = tuple("。！？；.!?;")


def after_label(line: Line, label: str) -> str:
    """The text after a label printed at the start of the line (spaces inside
    the label and a colon after it allowed)."""
    pattern = r"\s*".join(map(re.escape, label))
    return re.sub(rf"^\s*{pattern}\s*[:：]?\s*", "", line.raw).strip()


@dataclass
class Units:
    supervising: str | None
    implementing: str | None
    warnings: list[Issue] = field(default_factory=list)


def read_units(line: Line, seq: int) -> Units:
    rest = after_label(line, V.SUPERVISING_DEPARTMENT)
    parts = re.split(rf"(?:^|\s+){V.IMPLEMENTING_UNIT}[:：]?(?:\s+|$)", rest, maxsplit=1)
    if len(parts) == 2:
        return Units(parts[0].strip() or None, parts[1].strip() or None)
    tokens = rest.split()
    if len(tokens) == 2:
        return Units(tokens[0], tokens[1])
    if len(tokens) == 1:
        return Units(
            tokens[0],
            None,
            [
                Issue(
                    "implementing_unit_missing",
                    f"the 主管部门 line prints one unit ({tokens[0]}) and no 实施单位 value",
                    line.no,
                    seq,
                    Severity.WARNING,
                )
            ],
        )
    half = len(tokens) // 2
    if tokens and len(tokens) % 2 == 0 and tokens[:half] == tokens[half:]:
        return Units(" ".join(tokens[:half]), " ".join(tokens[half:]))
    return Units(
        rest or None,
        None,
        [
            Issue(
                "implementing_unit_uncertain",
                f"cannot tell the 主管部门 from the 实施单位 in {rest!r}; all of it is kept as 主管部门",
                line.no,
                seq,
                Severity.WARNING,
            )
        ],
    )


def _join_group(group: list[list[Line]]) -> str:
    items = ["".join(line.text for line in item) for item in group]
    return "\n".join(unwrap(item) for item in items if item)


def read_goals(lines: list[Line], start: int, is_text) -> tuple[list[list[list[Line]]], int]:
    """Paragraph groups from ``lines[start:]`` and the index after them.

    ``is_text(line)`` says whether a line is plain text (no label, value …).
    A group is a list of items (indented lines with their continuations)."""
    groups: list[list[list[Line]]] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if not is_text(line):
            break
        if line.indent >= 2:
            if line.block_start or not groups:
                groups.append([[line]])
            else:
                groups[-1].append([line])
        elif not groups:
            break
        elif line.block_start:
            last = groups[-1][-1][-1].text
            if last.endswith(_SENTENCE_END):
                break
            groups[-1][-1].append(line)
        else:
            groups[-1][-1].append(line)
        i += 1
    return groups, i


def goal_texts(groups: list[list[list[Line]]], seq: int) -> tuple[str | None, str | None, list[Issue]]:
    warnings: list[Issue] = []
    if not groups:
        return None, None, warnings
    planned = _join_group(groups[0])
    actual = "\n".join(_join_group(g) for g in groups[1:]) or None
    if len(groups) != 2:
        warnings.append(
            Issue(
                "goal_split_uncertain",
                f"the 年度总体目标 holds {len(groups)} paragraph group(s), not 2; the first is taken as "
                "预期目标 and the rest as 实际完成情况",
                groups[0][0][0].no,
                seq,
                Severity.WARNING,
            )
        )
    return planned, actual, warnings
