"""Shared fixtures: the bundled documents and a warehouse built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.paths import RAW_DIR

DOCS = {
    "2020": RAW_DIR / "000_0e1cca4759df0cce.txt",
    "2022": RAW_DIR / "001_13e9ac82ec5acbf2.txt",
    "minhang": RAW_DIR / "002_42c27752b8eae618.txt",
    "training_center": RAW_DIR / "003_dc4befe519062102.txt",
}


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW_DIR
