"""Building blocks the pages share: a chart with its table and CSV download beside it."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards.labels import for_display


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Chinese correctly."""
    return ("\ufeff" + frame.write_csv()).encode("utf-8")


def number_formats(frame: pl.DataFrame) -> dict[str, st.column_config.NumberColumn]:
    """Two decimals for every float column (amounts, rates, scores)."""
    return {c: st.column_config.NumberColumn(format="%.2f") for c, t in frame.schema.items() if t.is_float()}


def table_with_download(table: pl.DataFrame, *, key: str, filename: str, height: int | str = "auto") -> None:
    """The table (Chinese column names) and a button downloading exactly that table as CSV."""
    shown = for_display(table)
    st.dataframe(shown, hide_index=True, height=height, key=f"table_{key}", placeholder="—",
                 column_config=number_formats(shown))
    st.download_button(
        "下载 CSV",
        data=csv_bytes(shown),
        file_name=filename,
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart_with_table(
    title: str,
    chart: alt.TopLevelMixin,
    table: pl.DataFrame,
    *,
    key: str,
    filename: str,
    caption: str | None = None,
) -> None:
    """A titled chart, and beside it the table it draws and its CSV download."""
    st.subheader(title)
    if caption:
        st.caption(caption)
    if table.height == 0:
        st.info("所选范围内没有数据。")
        return
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.altair_chart(chart, width="stretch", key=f"chart_{key}")
    with right:
        table_with_download(table, key=key, filename=filename)


def fmt(value: float | int | None, digits: int = 2, suffix: str = "") -> str:
    """A number for a metric card; '无数据' when missing."""
    if value is None:
        return "无数据"
    return f"{value:,.{digits}f}{suffix}"
