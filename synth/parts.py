"""Real parts of the bundled forms, harvested through the real parsers:
units, project names, goal narratives, indicator rows and reasons, and the
project-years the bundled forms take."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline import discover, parse_file

# A quantitative notation: an optional operator, a number, a unit.
QUANT = re.compile(r"^(?P<op>≥|>=|>|=|≤|<=|<)?(?P<num>\d+(?:\.\d+)?)(?P<sp> ?)(?P<unit>\(?[^\d()\s]+\)?|\([^)]*\))?$")


@dataclass(frozen=True)
class IndicatorPart:
    level1: str
    level2: str | None
    name: str
    target: str
    actual: str

    @property
    def quantitative(self) -> bool:
        t, a = QUANT.match(self.target), QUANT.match(self.actual)
        return bool(t and a and t.group("op") in (None, "≥", ">=", "=") and t.group("unit") == a.group("unit"))


@dataclass(frozen=True)
class Parts:
    units: list[tuple[str, str]]  # (supervising department, implementing unit)
    projects: list[str]
    goals: list[tuple[str, str]]
    indicators: list[IndicatorPart]
    reasons: list[str]
    project_years: list[tuple[str, str, int]]  # (implementing unit, project name, year) of a bundled form


def harvest(raw_dir: Path) -> Parts:
    units, projects, goals, indicators, reasons, project_years = set(), set(), set(), set(), set(), set()
    for path in discover([raw_dir]):
        for form in parse_file(path).forms:
            if form.supervising_department and form.implementing_unit:
                units.add((form.supervising_department, form.implementing_unit))
            projects.add(form.project_name)
            if form.implementing_unit and form.year:
                project_years.add((form.implementing_unit, form.project_name, form.year))
            if form.goal_planned and form.goal_actual and "\n" not in form.goal_planned + form.goal_actual:
                goals.add((form.goal_planned, form.goal_actual))
            for ind in form.indicators:
                if ind.deviation_reason:
                    reasons.add(ind.deviation_reason)
                if ind.level1 and ind.level2 and ind.target and ind.actual and "\t" not in ind.name:
                    indicators.add(IndicatorPart(ind.level1, ind.level2, ind.name, ind.target, ind.actual))
    return Parts(
        units=sorted(units),
        projects=sorted(projects),
        goals=sorted(goals),
        indicators=sorted(indicators, key=lambda p: (p.level1, p.level2 or "", p.name, p.target, p.actual)),
        reasons=sorted(reasons),
        project_years=sorted(project_years),
    )
