"""models/exposures.yml declares every dashboard page and exactly the marts its SQL reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from jixiao.paths import PROJECT_ROOT

DASHBOARDS = PROJECT_ROOT / "dashboards"
EXPOSURES = {e["name"]: e for e in yaml.safe_load((PROJECT_ROOT / "models" / "exposures.yml").read_text())["exposures"]}
MODELS = {p.stem for p in (PROJECT_ROOT / "models" / "marts").glob("*.sql")}
# Page script -> exposure; the entry script's sidebar is dashboard_filters.
PAGES = {
    "overview.py": "dashboard_overview",
    "units.py": "dashboard_units",
    "project.py": "dashboard_project",
    "quality.py": "dashboard_quality",
    "self_assessment.py": "dashboard_self_assessment",
}


def _query_marts() -> dict[str, set[str]]:
    """queries.py: function name -> the dbt marts its SQL names (marts.<model>)."""
    tree = ast.parse((DASHBOARDS / "queries.py").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            text = ast.get_source_segment((DASHBOARDS / "queries.py").read_text(encoding="utf-8"), node) or ""
            found[node.name] = {m for m in re.findall(r"marts\.(\w+)", text) if m in MODELS}
    return found


def _reads(script: Path, marts_of: dict[str, set[str]]) -> set[str]:
    called = set(re.findall(r"queries\.(\w+)", script.read_text(encoding="utf-8")))
    helpers = {"_summary_sql": {"fct_evaluation", "dim_department", "dim_year"}}
    reads = set().union(*(marts_of.get(name, set()) for name in called))
    if called & {"unit_year_summary", "year_summary"}:
        reads |= helpers["_summary_sql"]
    return reads


def _declared(name: str) -> set[str]:
    return {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in EXPOSURES[name]["depends_on"]}


def test_every_page_is_declared() -> None:
    pages = {p.name for p in (DASHBOARDS / "views").glob("*.py")}
    assert pages == set(PAGES)
    app = (DASHBOARDS / "app.py").read_text(encoding="utf-8")
    assert all(f'"{page}"' in app for page in PAGES)
    assert set(EXPOSURES) == set(PAGES.values()) | {"dashboard_filters"}


def test_each_exposure_names_the_marts_its_page_reads() -> None:
    marts_of = _query_marts()
    for page, exposure in PAGES.items():
        assert _reads(DASHBOARDS / "views" / page, marts_of) == _declared(exposure), page
    assert _reads(DASHBOARDS / "app.py", marts_of) == _declared("dashboard_filters")


def test_no_query_reads_the_landing_zone() -> None:
    assert "raw." not in (DASHBOARDS / "queries.py").read_text(encoding="utf-8").replace("raw.*", "")
