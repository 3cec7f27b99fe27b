"""Entry script of the dashboard: ``streamlit run dashboards/app.py`` (or ``jixiao dashboard``).

Draws the navigation, the shared filters and the build status, then runs the page.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # `streamlit run` puts only dashboards/ on the path
    sys.path.insert(0, str(_ROOT))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402
import streamlit as st  # noqa: E402

from dashboards import build_info, filters, queries  # noqa: E402
from dashboards.connection import WarehouseUnavailable, file_identity  # noqa: E402
from dashboards.data import fetch, warehouse  # noqa: E402

# Not "pages/": a pages/ folder beside the entry script switches Streamlit to its old
# file-based mode, where a deep link (/units) runs the page without this script.
_PAGES = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="财政项目绩效自评 · 领导驾驶舱", page_icon="📊", layout="wide")

navigation = st.navigation(
    [
        st.Page(_PAGES / "overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page(_PAGES / "units.py", title="单位对比", icon=":material/compare:", url_path="units"),
        st.Page(_PAGES / "project.py", title="项目", icon=":material/description:", url_path="project"),
        st.Page(_PAGES / "quality.py", title="数据质量", icon=":material/rule:", url_path="quality"),
        st.Page(_PAGES / "self_assessment.py", title="自评质量", icon=":material/fact_check:",
                url_path="self_assessment"),
    ]
)


def _build_status(build: pl.DataFrame) -> None:
    """The last build (ops.build_runs) if recorded, and when the warehouse file was written."""
    path = warehouse().path
    written = datetime.fromtimestamp(file_identity(path).mtime_ns / 1e9)
    st.sidebar.caption(f"数据仓库：`{path.name}`，更新于 {written:%Y-%m-%d %H:%M:%S}")
    if build.height:
        text, ok = build_info.describe(build.row(0, named=True))
        (st.sidebar.caption if ok else st.sidebar.warning)(text)


try:
    unit_options = fetch(queries.unit_options)
    year_options = fetch(queries.year_options)
    region_options = fetch(queries.region_options)
    last_build = fetch(queries.last_build)
except WarehouseUnavailable as err:
    st.error(f"数据仓库暂时无法打开：{err}。请先运行 `jixiao build` 生成数据仓库，然后刷新本页。")
    st.stop()
except duckdb.CatalogException as err:
    st.error(f"数据仓库中缺少汇总表（marts）：{err}。请运行 `jixiao build` 完成构建后刷新本页。")
    st.stop()

filters.render(unit_options, year_options, region_options)
_build_status(last_build)
navigation.run()
