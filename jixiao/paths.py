"""Where things are: the project root, the warehouse, the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_ROOT / "data" / "raw"
DEFAULT_DB = PROJECT_ROOT / "data" / "jixiao.duckdb"


def warehouse_path(cli_value: str | None = None) -> Path:
    """``--db`` wins, then ``JIXIAO_DB``, then ``data/jixiao.duckdb``."""
    if cli_value:
        return Path(cli_value).resolve()
    if env := os.environ.get("JIXIAO_DB"):
        return Path(env).resolve()
    return DEFAULT_DB
