"""Altair charts for the dashboard: pure functions from a query's frame to a chart.

Axis titles are Chinese (UI text). Years are ordinal, with every calendar year of the
selection on the axis, so a year without data shows as a labelled gap, never as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from dashboards.labels import COLUMNS, NO_DATA

GRADES = ["优", "良", "中", "差"]
GRADE_COLORS = ["#2e7d32", "#66bb6a", "#ffa726", "#e53935"]
SEVERITIES = ["错误", "警告", "提示"]
SEVERITY_COLORS = ["#e53935", "#fb8c00", "#90a4ae"]


def _year_axis(years: Sequence[int]) -> alt.X:
    return alt.X("year:O", title="年度", scale=alt.Scale(domain=[int(y) for y in years]),
                 axis=alt.Axis(labelAngle=0))


def _no_data_marks(years_without_data: Sequence[int], value: str, title: str) -> alt.Chart | None:
    """A "无数据" label sitting on the axis at each year without data (shares the y scale)."""
    if not years_without_data:
        return None
    frame = pl.DataFrame({"year": [int(y) for y in years_without_data], value: 0.0, "label": NO_DATA})
    return (
        alt.Chart(frame)
        .mark_text(color="#888", fontSize=13, baseline="bottom", dy=-4)
        .encode(x="year:O", y=alt.Y(f"{value}:Q", title=title), text="label:N")
    )


def _with_no_data(
    chart: alt.Chart, years_without_data: Sequence[int], value: str, title: str
) -> alt.Chart | alt.LayerChart:
    marks = _no_data_marks(years_without_data, value, title)
    return chart if marks is None else alt.layer(chart, marks)


def yearly_bars(
    frame: pl.DataFrame,
    value: str,
    *,
    years: Sequence[int],
    years_without_data: Sequence[int] = (),
    color: str | None = None,
    value_format: str = ",.2f",
) -> alt.Chart | alt.LayerChart:
    """Bars per year (grouped by ``color`` when given, e.g. one bar per unit)."""
    title = COLUMNS.get(value, value)
    base = alt.Chart(frame.filter(pl.col(value).is_not_null())).mark_bar().encode(
        x=_year_axis(years),
        y=alt.Y(f"{value}:Q", title=title),
        tooltip=[alt.Tooltip("year:O", title="年度"), alt.Tooltip(f"{value}:Q", title=title, format=value_format)],
    )
    if color:
        color_title = COLUMNS.get(color, color)
        base = base.encode(
            xOffset=alt.XOffset(f"{color}:N"),
            color=alt.Color(f"{color}:N", title=color_title, legend=alt.Legend(orient="right", labelLimit=200)),
            tooltip=[
                alt.Tooltip(f"{color}:N", title=color_title),
                alt.Tooltip("year:O", title="年度"),
                alt.Tooltip(f"{value}:Q", title=title, format=value_format),
            ],
        )
    return _with_no_data(base.properties(height=260), years_without_data, value, title)


def stacked_counts(
    long: pl.DataFrame,
    *,
    x: str,
    category: str,
    categories: Sequence[str],
    colors: Sequence[str],
    x_title: str,
    y_title: str,
    x_domain: Sequence | None = None,
    years_without_data: Sequence[int] = (),
    label_angle: int = 0,
) -> alt.Chart | alt.LayerChart:
    """Stacked bars of ``count`` per ``x``, stacked by ``category`` in a fixed order."""
    axis = alt.Axis(labelAngle=label_angle, labelLimit=200)
    scale = alt.Scale(domain=list(x_domain)) if x_domain is not None else alt.Undefined
    x_enc = alt.X(f"{x}:O", title=x_title, scale=scale, axis=axis)
    chart = (
        alt.Chart(long.filter(pl.col("count") > 0))
        .mark_bar()
        .encode(
            x=x_enc,
            y=alt.Y("count:Q", title=y_title, stack="zero"),
            color=alt.Color(f"{category}:N", title=COLUMNS.get(category, category),
                            scale=alt.Scale(domain=list(categories), range=list(colors))),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip(f"{x}:O", title=x_title), alt.Tooltip(f"{category}:N"),
                     alt.Tooltip("count:Q", title=y_title)],
        )
        .properties(height=260)
    )
    return _with_no_data(chart, years_without_data, "count", y_title)


def distribution_by_unit(frame: pl.DataFrame, value: str, *, domain: tuple[float, float] | None = None) -> alt.Chart:
    """Box plot of ``value`` per unit, every form a tick beside it (scores, execution rates)."""
    title = COLUMNS.get(value, value)
    scale = alt.Scale(domain=list(domain), clamp=True) if domain else alt.Scale(zero=False)
    y = alt.Y("department_name:N", title="实施单位", axis=alt.Axis(labelLimit=220))
    x = alt.X(f"{value}:Q", title=title, scale=scale)
    box = alt.Chart(frame).mark_boxplot(extent="min-max", size=18, opacity=0.5).encode(y=y, x=x)
    ticks = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=16, opacity=0.8)
        .encode(
            y=y,
            x=x,
            color=alt.Color("year:N", title="年度"),
            tooltip=[
                alt.Tooltip("project_name:N", title="项目名称"),
                alt.Tooltip("year:O", title="年度"),
                alt.Tooltip(f"{value}:Q", title=title, format=".2f"),
            ],
        )
    )
    n_units = max(frame["department_name"].n_unique(), 1)
    return alt.layer(box, ticks).properties(height=max(180, 50 * n_units))


def points_lost(frame: pl.DataFrame, category: str) -> alt.Chart:
    """Horizontal stacked bars: mean points lost per form, per unit, by indicator category."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("department_name:N", title="实施单位", axis=alt.Axis(labelLimit=220)),
            x=alt.X("points_lost_per_form:Q", title="每表平均失分", stack="zero"),
            color=alt.Color(f"{category}:N", title=COLUMNS[category], sort=alt.SortField("sort_order")),
            order=alt.Order("sort_order:Q"),
            tooltip=[
                alt.Tooltip("department_name:N", title="实施单位"),
                alt.Tooltip(f"{category}:N", title=COLUMNS[category]),
                alt.Tooltip("points_lost:Q", title="失分合计", format=".2f"),
                alt.Tooltip("points_lost_per_form:Q", title="每表平均失分", format=".2f"),
            ],
        )
        .properties(height=max(180, 50 * frame["department_name"].n_unique()))
    )


def horizontal_bars(frame: pl.DataFrame, *, y: str, x: str, color: str | None = None,
                    color_domain: Sequence[str] | None = None,
                    color_range: Sequence[str] | None = None) -> alt.Chart:
    """Plain horizontal bars (findings per rule)."""
    enc = {
        "y": alt.Y(f"{y}:N", title=COLUMNS.get(y, y), sort="-x", axis=alt.Axis(labelLimit=260)),
        "x": alt.X(f"{x}:Q", title=COLUMNS.get(x, x)),
        "tooltip": [alt.Tooltip(f"{c}:N" if c != x else f"{c}:Q", title=COLUMNS.get(c, c))
                    for c in [y, x] + ([color] if color else [])],
    }
    if color:
        scale = alt.Scale(domain=list(color_domain), range=list(color_range)) if color_domain else alt.Scale()
        enc["color"] = alt.Color(f"{color}:N", title=COLUMNS.get(color, color), scale=scale)
    return alt.Chart(frame).mark_bar().encode(**enc).properties(height=max(180, 36 * frame.height))
