"""Recognise printed indicator categories, however the extraction broke them."""

from __future__ import annotations

from functools import lru_cache

from ingest.text import squash
from ingest.vocabulary import LEVEL1_NAMES, LEVEL2_PARENT

# every category name, 一级 first, each once (成本指标 is both)
CATEGORY_NAMES = tuple(dict.fromkeys((*LEVEL1_NAMES, *LEVEL2_PARENT)))


@lru_cache(maxsize=4096)
def canonical_category(cell: str) -> str | None:
    """The category a cell names: exact, or the unique category it begins
    (``服务对象`` and ``服务 对象 满意 度指`` are 服务对象满意度指标)."""
    text = squash(cell)
    if len(text) < 2:
        return None
    if text in CATEGORY_NAMES:
        return text
    matches = [name for name in CATEGORY_NAMES if name.startswith(text)]
    return matches[0] if len(matches) == 1 else None


@lru_cache(maxsize=4096)
def is_category_fragment(cell: str) -> bool:
    """A piece of a category label that a wrap pushed onto its own line
    (``标``, ``度指 标``, ``满意度指标``)."""
    text = squash(cell)
    return bool(text) and any(text in name for name in CATEGORY_NAMES)


def is_level1(name: str) -> bool:
    return name in LEVEL1_NAMES


def parent_of(level2: str) -> str | None:
    return LEVEL2_PARENT.get(level2)
