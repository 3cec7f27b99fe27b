"""What the dashboard knows about the quality step besides marts.dq_findings: the
rule titles of its catalogue (quality/rules.toml) and where its Data Docs are."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

import polars as pl

from jixiao.paths import PROJECT_ROOT

RULES_FILE = PROJECT_ROOT / "quality" / "rules.toml"

# Where a build may leave the Great Expectations Data Docs (first existing wins).
DATA_DOCS_CANDIDATES = (
    PROJECT_ROOT / "data" / "quality" / "data_docs" / "index.html",
    PROJECT_ROOT / "data" / "quality" / "index.html",
    PROJECT_ROOT / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html",
)


DATA_DOCS_ENV = "JIXIAO_DATA_DOCS"  # a Data Docs index.html, when a build puts it elsewhere


def data_docs_index(built: Path | None = None, candidates: tuple[Path, ...] = DATA_DOCS_CANDIDATES) -> Path | None:
    """The Data Docs' index.html: $JIXIAO_DATA_DOCS if set, else the one the last build
    recorded (``built``, from ops.build_runs), else the first candidate that exists."""
    if env := os.environ.get(DATA_DOCS_ENV):
        return Path(env).resolve() if Path(env).is_file() else None
    if built is not None and built.is_file():
        return built
    return next((p for p in candidates if p.is_file()), None)


@cache
def _rule_rows(path: Path) -> tuple[tuple[str, str, str], ...]:
    if not path.is_file():
        return ()
    with path.open("rb") as fh:
        rules = tomllib.load(fh).get("rule", [])
    return tuple((r["id"], r.get("title", r["id"]), r.get("table", "")) for r in rules if "id" in r)


def rule_titles(path: Path = RULES_FILE) -> pl.DataFrame:
    """rule_id, rule_title (Chinese), rule_table — one row per rule of the catalogue."""
    rows = _rule_rows(path)
    return pl.DataFrame(
        {"rule_id": [r[0] for r in rows], "rule_title": [r[1] for r in rows], "rule_table": [r[2] for r in rows]},
        schema={"rule_id": pl.String, "rule_title": pl.String, "rule_table": pl.String},
    )
