"""The rule titles of the quality step's catalogue (quality/rules.toml), for the quality page.

Read here with tomllib rather than through ``quality.rules.load_catalogue``: that module
imports Great Expectations (seconds and ~100 MB), which the dashboard does not need.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import polars as pl

from jixiao.paths import PROJECT_ROOT

RULES_FILE = PROJECT_ROOT / "quality" / "rules.toml"


@cache
def _titles(path: Path) -> tuple[tuple[str, str], ...]:
    return tuple((r["id"], r["title"]) for r in tomllib.loads(path.read_text(encoding="utf-8"))["rule"])


def rule_titles(path: Path = RULES_FILE) -> pl.DataFrame:
    """rule_id, rule_title (Chinese) — one row per rule of the catalogue."""
    return pl.DataFrame(_titles(path), schema={"rule_id": pl.String, "rule_title": pl.String}, orient="row")
