"""The unit and year filters, carried across pages.

They live in the sidebar of the entry script (so their widget state survives page
switches) and are mirrored in the URL (``?unit=<department_id>&year=2023``), so a
link or a reload opens the same selection. Empty selection = all units / all years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl
import streamlit as st

UNITS_KEY = "filter_units"
YEARS_KEY = "filter_years"
_SEEDED_KEY = "_filters_seeded"
_CURRENT_KEY = "_filters_current"


@dataclass(frozen=True)
class Filters:
    units: tuple[str, ...] = ()  # department_id values; () = all
    years: tuple[int, ...] = ()  # () = all
    calendar: tuple[int, ...] = ()  # the years in scope (selected, else every year of dim_year)
    years_without_data: tuple[int, ...] = ()  # years in scope that hold no form at all
    unit_names: dict[str, str] = field(default_factory=dict)

    def query_string(self, **extra: str) -> str:
        """URL query for these filters plus ``extra`` (e.g. evaluation=…)."""
        pairs = [("unit", u) for u in self.units] + [("year", str(y)) for y in self.years]
        return urlencode(pairs + list(extra.items()))

    def describe(self) -> str:
        units = "、".join(self.unit_names.get(u, u) for u in self.units) or "全部单位"
        years = "、".join(str(y) for y in self.years) or "全部年度"
        return f"{units} · {years}"


def _seed_from_url(unit_ids: list[str], years: list[int]) -> None:
    """On a session's first run, take the selection from the URL (ignoring unknown values)."""
    if st.session_state.get(_SEEDED_KEY):
        return
    st.session_state[_SEEDED_KEY] = True
    wanted_units = [u for u in st.query_params.get_all("unit") if u in unit_ids]
    wanted_years = [int(y) for y in st.query_params.get_all("year") if y.isdigit() and int(y) in years]
    if wanted_units:
        st.session_state[UNITS_KEY] = wanted_units
    if wanted_years:
        st.session_state[YEARS_KEY] = wanted_years


def _write_url(units: list[str], years: list[int]) -> None:
    for key, values in (("unit", units), ("year", [str(y) for y in years])):
        if values:
            if st.query_params.get_all(key) != values:
                st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]


def render(unit_options: pl.DataFrame, year_options: pl.DataFrame) -> Filters:
    """Draw the filters in the sidebar and return the selection (also kept for ``current()``)."""
    unit_names = dict(zip(unit_options["department_id"], unit_options["department_name"], strict=True))
    levels = dict(zip(unit_options["department_id"], unit_options["unit_level"], strict=True))
    has_data = dict(zip(year_options["year"], year_options["has_data"], strict=True))
    unit_ids, years = list(unit_names), [int(y) for y in has_data]
    _seed_from_url(unit_ids, years)

    st.sidebar.header("筛选")
    picked_units = st.sidebar.multiselect(
        "实施单位",
        options=unit_ids,
        format_func=lambda u: f"{unit_names[u]}（{levels[u]}）" if levels.get(u) else unit_names[u],
        key=UNITS_KEY,
        placeholder="全部单位",
    )
    picked_years = st.sidebar.multiselect(
        "年度",
        options=years,
        format_func=lambda y: str(y) if has_data[y] else f"{y}（无数据）",
        key=YEARS_KEY,
        placeholder="全部年度",
    )
    _write_url(picked_units, picked_years)
    calendar = tuple(sorted(picked_years)) if picked_years else tuple(years)
    filters = Filters(
        units=tuple(picked_units),
        years=tuple(sorted(picked_years)),
        calendar=calendar,
        years_without_data=tuple(y for y in calendar if not has_data[y]),
        unit_names=unit_names,
    )
    st.session_state[_CURRENT_KEY] = filters
    return filters


def current() -> Filters:
    """The selection drawn by the entry script in this run."""
    return st.session_state.get(_CURRENT_KEY, Filters())
