"""How pages call the query module: through the current warehouse, cached per file identity.

The cache key holds the warehouse file's identity (inode, mtime, size), so after a
build replaces the file the next rerun misses the cache, the connection reopens on
the new file, and the page shows the new data without a restart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

from dashboards import queries
from dashboards.connection import Warehouse, file_identity, get_warehouse


def warehouse() -> Warehouse:
    """The warehouse this process serves ($JIXIAO_DB, else data/jixiao.duckdb)."""
    return get_warehouse()


def fetch(query: Callable[..., pl.DataFrame], *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Run ``queries.<query>`` on the current warehouse; raises WarehouseUnavailable."""
    wh = warehouse()
    frozen_args = tuple(_freeze(a) for a in args)
    frozen_kwargs = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
    identity = dataclasses.astuple(file_identity(wh.path))
    return _cached(query.__name__, str(wh.path), identity, frozen_args, frozen_kwargs)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | set) else value


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, path: str, identity: tuple, args: tuple, kwargs: tuple) -> pl.DataFrame:
    del identity  # part of the cache key only
    return getattr(queries, name)(get_warehouse(path), *args, **dict(kwargs))
