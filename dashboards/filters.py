"""The region, unit and year filters, carried across pages.

They live in the sidebar of the entry script (so their widget state survives page
switches) and are mirrored in the URL (``?province=310000&city=…&unit=<department_id>&year=2023``),
so a link or a reload opens the same selection. Empty selection = all. Provinces and cities
(marts.dim_region, through each unit's region) narrow the units: pages receive the units in
scope as ``Filters.units``; a unit that could not be placed is in no province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl
import streamlit as st

UNITS_KEY = "filter_units"
YEARS_KEY = "filter_years"
PROVINCES_KEY = "filter_provinces"
CITIES_KEY = "filter_cities"
NO_UNIT = "__no_unit__"  # the units in scope when a region holds none of them (matches no department_id)
_SEEDED_KEY = "_filters_seeded"
_CURRENT_KEY = "_filters_current"


@dataclass(frozen=True)
class Filters:
    units: tuple[str, ...] = ()  # department_id values in scope; () = all
    picked_units: tuple[str, ...] = ()  # the units picked by hand (what the URL keeps)
    provinces: tuple[str, ...] = ()  # province region_ids picked; () = all
    cities: tuple[str, ...] = ()  # city region_ids picked; () = all
    region_names: dict[str, str] = field(default_factory=dict)
    years: tuple[int, ...] = ()  # () = all
    calendar: tuple[int, ...] = ()  # the years in scope (selected, else every year of dim_year)
    years_without_data: tuple[int, ...] = ()  # years in scope that hold no form at all
    unit_names: dict[str, str] = field(default_factory=dict)

    def query_string(self, **extra: str) -> str:
        """URL query for these filters plus ``extra`` (e.g. evaluation=…)."""
        pairs = (
            [("province", p) for p in self.provinces]
            + [("city", c) for c in self.cities]
            + [("unit", u) for u in self.picked_units]
            + [("year", str(y)) for y in self.years]
        )
        return urlencode(pairs + list(extra.items()))

    def describe(self) -> str:
        regions = "、".join(self.region_names.get(r, r) for r in self.cities or self.provinces)
        units = "、".join(self.unit_names.get(u, u) for u in self.picked_units) or (
            f"{regions}的全部单位" if regions else "全部单位"
        )
        years = "、".join(str(y) for y in self.years) or "全部年度"
        return f"{units} · {years}"


def _seed_from_url(unit_ids: list[str], years: list[int], provinces: list[str], cities: list[str]) -> None:
    """On a session's first run, take the selection from the URL (ignoring unknown values)."""
    if st.session_state.get(_SEEDED_KEY):
        return
    st.session_state[_SEEDED_KEY] = True
    for key, param, known in ((PROVINCES_KEY, "province", provinces), (CITIES_KEY, "city", cities)):
        wanted = [v for v in st.query_params.get_all(param) if v in known]
        if wanted:
            st.session_state[key] = wanted
    wanted_units = [u for u in st.query_params.get_all("unit") if u in unit_ids]
    wanted_years = [int(y) for y in st.query_params.get_all("year") if y.isdigit() and int(y) in years]
    if wanted_units:
        st.session_state[UNITS_KEY] = wanted_units
    if wanted_years:
        st.session_state[YEARS_KEY] = wanted_years


def _write_url(units: list[str], years: list[int], provinces: list[str], cities: list[str]) -> None:
    for key, values in (("province", provinces), ("city", cities), ("unit", units), ("year", [str(y) for y in years])):
        if values:
            if st.query_params.get_all(key) != values:
                st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]


def _options(regions: pl.DataFrame, id_col: str, name_col: str) -> dict[str, str]:
    """Region id -> name, in the frame's order, without nulls and repeats."""
    found = regions.select(id_col, name_col).drop_nulls().unique(maintain_order=True)
    return dict(zip(found[id_col], found[name_col], strict=True))


def _keep_known(key: str, known: list[str]) -> None:
    """Drop picked values that are no longer offered (a narrower region)."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in known]


def render(unit_options: pl.DataFrame, year_options: pl.DataFrame, region_options: pl.DataFrame | None = None) -> Filters:
    """Draw the filters in the sidebar and return the selection (also kept for ``current()``)."""
    unit_names = dict(zip(unit_options["department_id"], unit_options["department_name"], strict=True))
    levels = dict(zip(unit_options["department_id"], unit_options["unit_level"], strict=True))
    has_data = dict(zip(year_options["year"], year_options["has_data"], strict=True))
    unit_ids, years = list(unit_names), [int(y) for y in has_data]
    regions = region_options if region_options is not None else pl.DataFrame(
        schema={"department_id": pl.String, "province_id": pl.String, "province": pl.String,
                "city_id": pl.String, "city": pl.String})
    province_names = _options(regions, "province_id", "province")
    city_names = _options(regions, "city_id", "city")
    _seed_from_url(unit_ids, years, list(province_names), list(city_names))

    st.sidebar.header("筛选")
    picked_provinces = st.sidebar.multiselect(
        "省份", options=list(province_names), format_func=province_names.__getitem__, key=PROVINCES_KEY,
        placeholder="全部省份",
    )
    in_provinces = regions.filter(pl.col("province_id").is_in(picked_provinces)) if picked_provinces else regions
    offered_cities = _options(in_provinces, "city_id", "city")
    _keep_known(CITIES_KEY, list(offered_cities))
    picked_cities = st.sidebar.multiselect(
        "城市", options=list(offered_cities), format_func=offered_cities.__getitem__, key=CITIES_KEY,
        placeholder="全部城市",
    )
    in_region = in_provinces.filter(pl.col("city_id").is_in(picked_cities)) if picked_cities else in_provinces
    region_units = set(in_region["department_id"].to_list())
    if picked_provinces or picked_cities:
        unit_ids = [u for u in unit_ids if u in region_units]
    _keep_known(UNITS_KEY, unit_ids)
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
    _write_url(picked_units, picked_years, picked_provinces, picked_cities)
    calendar = tuple(sorted(picked_years)) if picked_years else tuple(years)
    if picked_units:
        in_scope = tuple(picked_units)
    elif picked_provinces or picked_cities:
        in_scope = tuple(unit_ids) or (NO_UNIT,)
    else:
        in_scope = ()
    filters = Filters(
        units=in_scope,
        picked_units=tuple(picked_units),
        provinces=tuple(picked_provinces),
        cities=tuple(picked_cities),
        region_names=province_names | city_names,
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
