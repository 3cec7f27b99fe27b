"""Which project-year a form is, as the marts match it, and distinct project names.

The marts keep one form per (implementing unit, project, year)
(models/intermediate/int_evaluations_deduplicated.sql): the unit canonical
through seed department_name_variants, the project name with notation
normalised, spaces and years removed (int_evaluation_projects.sql). A corpus
gives each form its own project-year by numbering the phases of a project
(二期, 三期 …) when a harvested name is taken, except where a duplicate is
planted on purpose.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from jixiao.paths import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
# macros/notation.sql: normalise_notation, then strip_spaces
_WIDE, _NARROW = "０１２３４５６７８９．％（）＞＜＝═－～", "0123456789.%()><==-~"
_OPERATORS = {"≥": ">=", "≧": ">=", "≤": "<=", "≦": "<="}
# int_evaluation_projects: a year, with an optional suffix of var project_year_suffixes
_YEAR = re.compile(r"(19|20)[0-9]{2}(年度|年)?")
_DIGITS = "零一二三四五六七八九"


def name_key(name: str) -> str:
    key = name.translate(str.maketrans(_WIDE, _NARROW))
    for sign, ascii_sign in _OPERATORS.items():
        key = key.replace(sign, ascii_sign)
    return re.sub(r"\s+", "", key)


def project_key(name: str) -> str:
    return _YEAR.sub("", name_key(name))


def department_names(seeds: Path = SEEDS) -> dict[str, str]:
    """name key of a printed department name -> its canonical department."""
    with (seeds / "department_name_variants.csv").open(encoding="utf-8") as f:
        return {name_key(row["printed_name"]): row["department_name"] for row in csv.DictReader(f)}


def budget_words(seeds: Path = SEEDS) -> tuple[str, ...]:
    """The words by which a 偏差原因 names the money (seed budget_reason_words)."""
    with (seeds / "budget_reason_words.csv").open(encoding="utf-8") as f:
        return tuple(row["word"] for row in csv.DictReader(f))


def chinese_number(n: int) -> str:
    """1..9999 in Chinese numerals (二, 十二, 二十三, 一百零五, 一千二百三十)."""
    if n >= 100:
        for unit, size in (("千", 1000), ("百", 100)):
            if n >= size:
                head, rest = divmod(n, size)
                if not rest:
                    return f"{_DIGITS[head]}{unit}"
                tail = chinese_number(rest)
                tail = "一" + tail if 10 <= rest < 20 else tail  # 一百一十, 一千零一十
                return f"{_DIGITS[head]}{unit}{'零' if rest < size // 10 else ''}{tail}"
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def phase_name(name: str, phase: int) -> str:
    """The project's ``phase``-th phase (1: the name as harvested): 党建经费（二期）,
    and before a closing parenthetical, 闵行党建管理信息平台二期（2023 运维）,
    干部出入境审批和证照管理系统二期 (2023 运维)."""
    if phase == 1:
        return name
    label = f"{chinese_number(phase)}期"
    match = re.search(r"\s*[（(][^（()）]*[)）]$", name)
    if match and match.start() > 0:
        return f"{name[:match.start()]}{label}{name[match.start():]}"
    return f"{name}（{label}）"


class ProjectYears:
    """The project-years a corpus has used, and a free project name for each new form."""

    def __init__(self, taken: Iterable[tuple[str, str, int]] = (), seeds: Path = SEEDS):
        """``taken``: (implementing unit, project name, year) already published."""
        self.departments = department_names(seeds)
        self.used: set[tuple[str, str, int]] = {self.key(*project_year) for project_year in taken}

    def key(self, implementing_unit: str, project: str, year: int) -> tuple[str, str, int]:
        unit = name_key(implementing_unit)
        return self.departments.get(unit, unit), project_key(project), year

    def claim(self, implementing_unit: str, project: str, year: int) -> str:
        """The first phase of ``project`` whose project-year is still free, now taken."""
        for phase in range(1, 10_000):
            name = phase_name(project, phase)
            key = self.key(implementing_unit, name, year)
            if key not in self.used:
                self.used.add(key)
                return name
        raise ValueError(f"no free phase of {project!r} in {year}")
