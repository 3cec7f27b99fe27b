"""Every SQL the dashboard runs, one named function per query, each returning a polars frame.

Each function takes a connection first: a ``dashboards.connection.Warehouse`` (the app)
or any DuckDB connection/cursor (tests, the benchmark). Filters are parameters:
``units`` (department_id values; empty = all units) and ``years`` (empty = all years).
Money comes out in 万元 (``*_wan``), rates and shares in percent.

The marts read here are the column contract of issue 4/5 (marts.fct_evaluation,
marts.fct_budget_line, marts.fct_indicator_result, marts.dim_department,
marts.dim_year, marts.dim_indicator_category, marts.dq_findings), issue 16's
marts.dim_region and the score re-check (marts.agg_unit_year_score_gap,
marts.fct_evaluation_score_recheck, marts.fct_score_recheck) and, when it
exists, ops.build_runs. The app reads marts only, never raw.*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import polars as pl

from dashboards.connection import Warehouse
from dashboards.labels import SEVERITY

Connection = Warehouse | duckdb.DuckDBPyConnection


def _filter_on(alias: str) -> str:
    """WHERE fragment: the unit and year filters on table ``alias`` (department_id, year)."""
    return f"""
    (len($units::VARCHAR[]) = 0 OR list_contains($units::VARCHAR[], {alias}.department_id))
    AND (len($years::INTEGER[]) = 0 OR list_contains($years::INTEGER[], {alias}.year))
"""


# Reused WHERE fragment: ``e`` is marts.fct_evaluation.
_FILTER = _filter_on("e")

# Used in place of marts.dq_findings before the quality step has ever run.
_NO_FINDINGS = """(SELECT NULL::VARCHAR AS finding_id, NULL::VARCHAR AS evaluation_id,
    NULL::INTEGER AS indicator_seq, NULL::VARCHAR AS rule_id, NULL::VARCHAR AS severity,
    NULL::VARCHAR AS expected, NULL::VARCHAR AS observed, NULL::VARCHAR AS message WHERE false)"""


def _severity_rank(column: str) -> str:
    """SQL ranking ``column`` most severe first (error, warning, info; anything else last),
    in the order of labels.SEVERITY."""
    whens = " ".join(f"WHEN '{s}' THEN {k}" for k, s in enumerate(SEVERITY))
    return f"CASE {column} {whens} ELSE {len(SEVERITY)} END"


SEARCH_LIMIT = 500  # forms a project search lists at most
FINDINGS_LIMIT = 5000  # findings the quality page lists at most (most severe first)


def _run(con: Connection, sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    frame = con.query(sql, params) if isinstance(con, Warehouse) else con.sql(sql, params=params).pl()
    # Scores and amounts are exact DECIMALs in the marts; charts and tables want floats.
    return frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def _filters(units: Sequence[str], years: Sequence[int]) -> dict[str, Any]:
    return {"units": list(units), "years": [int(y) for y in years]}


# --- catalogue ---------------------------------------------------------------------------


def table_columns(con: Connection, schema: str, table: str) -> pl.DataFrame:
    """Columns (name, type) of ``schema.table``; empty when the table does not exist."""
    return _run(
        con,
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = $schema AND table_name = $table ORDER BY ordinal_position""",
        {"schema": schema, "table": table},
    )


def has_table(con: Connection, schema: str, table: str) -> bool:
    return table_columns(con, schema, table).height > 0


def _findings_source(con: Connection) -> str:
    return "marts.dq_findings" if has_table(con, "marts", "dq_findings") else _NO_FINDINGS


def last_build(con: Connection) -> pl.DataFrame:
    """The latest row of ops.build_runs (all its columns); empty if there is no such table."""
    if not has_table(con, "ops", "build_runs"):
        return pl.DataFrame()
    return _run(con, "SELECT * FROM ops.build_runs ORDER BY coalesce(finished_at, started_at) DESC LIMIT 1")


def warehouse_counts(con: Connection) -> pl.DataFrame:
    """One row: forms, projects, units and years with data in the marts."""
    return _run(
        con,
        """SELECT count(*) AS n_evaluations, count(DISTINCT project_id) AS n_projects,
                  count(DISTINCT department_id) AS n_units,
                  (SELECT count(*) FROM marts.dim_year WHERE has_data) AS n_years
           FROM marts.fct_evaluation""",
    )


# --- filter options ----------------------------------------------------------------------


def unit_options(con: Connection) -> pl.DataFrame:
    """Implementing units that have at least one form: department_id, department_name, unit_level."""
    return _run(
        con,
        """SELECT d.department_id, d.department_name, d.level AS unit_level,
                  count(*) AS n_evaluations
           FROM marts.fct_evaluation e JOIN marts.dim_department d ON d.department_id = e.department_id
           GROUP BY ALL ORDER BY d.level, d.department_name""",
    )


def region_options(con: Connection) -> pl.DataFrame:
    """Implementing units with forms and their region (dim_region): department_id, province_id,
    province, city_id, city (null where the unit is unplaced or its region has no city)."""
    return _run(
        con,
        """SELECT DISTINCT d.department_id, r.province_id, r.province, r.city_id, r.city
           FROM marts.fct_evaluation e JOIN marts.dim_department d ON d.department_id = e.department_id
           LEFT JOIN marts.dim_region r ON r.region_id = d.region_id
           ORDER BY r.province_id NULLS LAST, r.city_id NULLS FIRST, d.department_id""",
    )


def year_options(con: Connection) -> pl.DataFrame:
    """Every year of the calendar (dim_year), with has_data."""
    return _run(con, "SELECT year, has_data FROM marts.dim_year ORDER BY year")


# --- 总览 -------------------------------------------------------------------------------

def _summary_sql(findings: str, *, by_unit: bool) -> str:
    """Measures per (unit ×) calendar year over a dense grid: every year of dim_year appears,
    a year without forms with null measures; changes against the previous calendar year
    are computed before the year filter, so they never skip a year."""
    keys = "department_id, year" if by_unit else "year"
    p_keys = "p.department_id, p.year" if by_unit else "p.year"
    grid = (
        """(SELECT DISTINCT d.department_id, d.department_name, d.level AS unit_level
              FROM marts.dim_department d
              WHERE d.department_id IN (SELECT department_id FROM per_form)) u
           CROSS JOIN marts.dim_year y"""
        if by_unit
        else "marts.dim_year y"
    )
    grid_keys = "u.department_id, u.department_name, u.unit_level, y.year" if by_unit else "y.year"
    join_on = "a.department_id = u.department_id AND a.year = y.year" if by_unit else "a.year = y.year"
    find_on = "f.department_id = u.department_id AND f.year = y.year" if by_unit else "f.year = y.year"
    partition = "PARTITION BY department_id " if by_unit else ""
    return f"""
WITH per_form AS (
    SELECT e.* FROM marts.fct_evaluation e
    WHERE len($units::VARCHAR[]) = 0 OR list_contains($units::VARCHAR[], e.department_id)
),
agg AS (
    SELECT {keys},
           count(*) AS n_projects, count(DISTINCT department_id) AS n_units,
           sum(budget_full_year_yuan) / 10000 AS budget_wan,
           sum(executed_yuan) / 10000 AS executed_wan,
           marts.execution_rate_pct(sum(executed_yuan), sum(budget_full_year_yuan)) AS execution_rate_pct,
           avg(total_score) AS mean_score,
           count(*) FILTER (WHERE grade_computed = '优') AS n_excellent,
           count(*) FILTER (WHERE grade_computed = '良') AS n_good,
           count(*) FILTER (WHERE grade_computed = '中') AS n_fair,
           count(*) FILTER (WHERE grade_computed = '差') AS n_poor
    FROM per_form GROUP BY {keys}
),
findings AS (
    SELECT {p_keys},
           count(*) FILTER (WHERE f.severity = 'error') AS n_errors,
           count(*) FILTER (WHERE f.severity = 'warning') AS n_warnings,
           count(*) FILTER (WHERE f.severity = 'info') AS n_infos
    FROM {findings} f JOIN per_form p ON p.evaluation_id = f.evaluation_id
    GROUP BY {p_keys}
),
grid AS (
    SELECT {grid_keys}, y.has_data AS year_has_data, a.n_projects IS NOT NULL AS has_data,
           a.n_projects, a.n_units, a.budget_wan, a.executed_wan, a.execution_rate_pct, a.mean_score,
           a.n_excellent, a.n_good, a.n_fair, a.n_poor,
           CASE WHEN a.n_projects IS NOT NULL THEN coalesce(f.n_errors, 0) END AS n_errors,
           CASE WHEN a.n_projects IS NOT NULL THEN coalesce(f.n_warnings, 0) END AS n_warnings,
           CASE WHEN a.n_projects IS NOT NULL THEN coalesce(f.n_infos, 0) END AS n_infos
    FROM {grid}
    LEFT JOIN agg a ON {join_on}
    LEFT JOIN findings f ON {find_on}
)
SELECT *,
       n_projects - lag(n_projects) OVER w AS n_projects_change,
       100 * (budget_wan / nullif(lag(budget_wan) OVER w, 0) - 1) AS budget_change_pct,
       execution_rate_pct - lag(execution_rate_pct) OVER w AS execution_rate_change_pp,
       mean_score - lag(mean_score) OVER w AS mean_score_change
FROM grid
WINDOW w AS ({partition}ORDER BY year)
QUALIFY len($years::INTEGER[]) = 0 OR list_contains($years::INTEGER[], year)
ORDER BY {"unit_level, department_name, year" if by_unit else "year"}
"""


def unit_year_summary(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """Per implementing unit × calendar year (every year of dim_year, with or without data):
    projects, budget and executed (万元), execution rate, mean total score, grade mix
    (by total score), findings by severity, and the change against the previous calendar
    year (null when either year has no data: 2022 is not compared with 2020)."""
    return _run(con, _summary_sql(_findings_source(con), by_unit=True), _filters(units, years))


def year_summary(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """Per calendar year, all selected units together (same measures as unit_year_summary)."""
    return _run(con, _summary_sql(_findings_source(con), by_unit=False), _filters(units, years))


# --- 单位对比 ----------------------------------------------------------------------------


def evaluation_scores(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """One row per form: unit, year, project, execution rate (computed from the money,
    else as printed), total score and grades."""
    return _run(
        con,
        f"""SELECT e.evaluation_id, e.year, e.department_id, d.department_name, e.project_id,
                   e.project_name,
                   e.budget_full_year_yuan / 10000 AS budget_wan,
                   e.executed_yuan / 10000 AS executed_wan,
                   coalesce(e.execution_rate_computed_pct, e.execution_rate_pct) AS execution_rate_pct,
                   e.budget_score, e.total_score, e.grade_printed, e.grade_computed
            FROM marts.fct_evaluation e JOIN marts.dim_department d ON d.department_id = e.department_id
            WHERE {_FILTER}
            ORDER BY d.department_name, e.year, e.total_score""",
        _filters(units, years),
    )


def points_lost_by_category(
    con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()
) -> pl.DataFrame:
    """Points lost (分值 − 得分) per unit × indicator category (一级 and 二级), in total and
    per form of the unit (n_forms counts the unit's forms in the selection)."""
    return _run(
        con,
        f"""WITH forms AS (
                SELECT e.evaluation_id, e.department_id FROM marts.fct_evaluation e WHERE {_FILTER}
            ),
            n AS (SELECT department_id, count(*) AS n_forms FROM forms GROUP BY department_id)
            SELECT f.department_id, d.department_name,
                   coalesce(c.level1_name, i.level1_name, '未分类') AS level1_name,
                   coalesce(c.level2_name, i.level2_name, '未分类') AS level2_name,
                   min(coalesce(c.sort_order, 999)) AS sort_order,
                   count(*) AS n_indicators,
                   sum(coalesce(i.weight, 0) - coalesce(i.score, 0)) AS points_lost,
                   any_value(n.n_forms) AS n_forms,
                   sum(coalesce(i.weight, 0) - coalesce(i.score, 0)) / any_value(n.n_forms)
                       AS points_lost_per_form
            FROM marts.fct_indicator_result i
            JOIN forms f ON f.evaluation_id = i.evaluation_id
            JOIN n ON n.department_id = f.department_id
            JOIN marts.dim_department d ON d.department_id = f.department_id
            LEFT JOIN marts.dim_indicator_category c ON c.category_id = i.category_id
            GROUP BY f.department_id, d.department_name, 3, 4
            ORDER BY d.department_name, sort_order""",
        _filters(units, years),
    )


def indicators_met(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """Per unit × year: indicators, indicators whose target could be judged, met, and the
    share met among those judged (target_met true / not null)."""
    return _run(
        con,
        f"""SELECT e.department_id, d.department_name, e.year,
                   count(*) AS n_indicators,
                   count(i.target_met) AS n_judged,
                   count(*) FILTER (WHERE i.target_met) AS n_met,
                   100.0 * count(*) FILTER (WHERE i.target_met) / nullif(count(i.target_met), 0)
                       AS met_share_pct
            FROM marts.fct_indicator_result i
            JOIN marts.fct_evaluation e ON e.evaluation_id = i.evaluation_id
            JOIN marts.dim_department d ON d.department_id = e.department_id
            WHERE {_FILTER}
            GROUP BY e.department_id, d.department_name, e.year ORDER BY d.department_name, e.year""",
        _filters(units, years),
    )


# --- 项目 -------------------------------------------------------------------------------


def search_evaluations(
    con: Connection,
    text: str = "",
    units: Sequence[str] = (),
    years: Sequence[int] = (),
    limit: int | None = None,
) -> pl.DataFrame:
    """Forms whose project name or unit (as printed or canonical) contains ``text``, the
    newest first, at most ``limit`` (default SEARCH_LIMIT)."""
    params = _filters(units, years) | {"text": text.strip(), "limit": SEARCH_LIMIT if limit is None else limit}
    return _run(
        con,
        f"""SELECT e.evaluation_id, e.year, e.project_id, e.project_name, d.department_name,
                   e.implementing_unit, e.total_score, coalesce(e.grade_printed, e.grade_computed) AS grade
            FROM marts.fct_evaluation e JOIN marts.dim_department d ON d.department_id = e.department_id
            WHERE {_FILTER}
              AND ($text = '' OR contains(e.project_name, $text) OR contains(d.department_name, $text)
                   OR contains(e.implementing_unit, $text) OR contains(e.supervising_department, $text))
            ORDER BY e.year DESC, d.department_name, e.project_name
            LIMIT $limit""",
        params,
    )


def evaluation_header(con: Connection, evaluation_id: str) -> pl.DataFrame:
    """The form's header, money and totals (one row; empty if unknown)."""
    return _run(
        con,
        """SELECT e.*, d.department_name, s.department_name AS supervising_department_name
           FROM marts.fct_evaluation e
           LEFT JOIN marts.dim_department d ON d.department_id = e.department_id
           LEFT JOIN marts.dim_department s ON s.department_id = e.supervising_department_id
           WHERE e.evaluation_id = $id""",
        {"id": evaluation_id},
    )


def evaluation_goals(con: Connection, evaluation_id: str) -> pl.DataFrame:
    """The form's 年度总体目标 (planned and achieved), from marts.fct_evaluation."""
    return _run(
        con,
        "SELECT goal_planned, goal_actual FROM marts.fct_evaluation WHERE evaluation_id = $id",
        {"id": evaluation_id},
    )


def evaluation_budget_lines(con: Connection, evaluation_id: str) -> pl.DataFrame:
    """The form's budget block, one row per fund source (code, its label from seed fund_sources,
    is_total) in the form's order, amounts in the printed unit, and where each line was read."""
    return _run(
        con,
        """SELECT fund_source, fund_source_zh, is_total, initial_amount, full_year_amount, executed_amount,
                  source_ref
           FROM marts.fct_budget_line WHERE evaluation_id = $id
           ORDER BY fund_source_order, fund_source""",
        {"id": evaluation_id},
    )


def evaluation_indicators(con: Connection, evaluation_id: str) -> pl.DataFrame:
    """The form's indicators in printed order, with the findings on each row joined into text, where
    each row was read (source_ref: ``line 88``, ``Sheet1!C14``, ``p.2 [x0 y0 x1 y1]``) and whether
    its reading is uncertain (uncertain, uncertain_reason, as the loader marked it)."""
    findings = _findings_source(con)
    return _run(
        con,
        f"""WITH f AS (
                SELECT indicator_seq, count(*) AS n_findings,
                       list({{'severity': severity, 'rule_id': rule_id, 'message': message}}
                            ORDER BY {_severity_rank("severity")}, rule_id)
                           AS finding_list,
                       arg_min(severity, {_severity_rank("severity")}) AS worst_severity
                FROM {findings} WHERE evaluation_id = $id AND indicator_seq IS NOT NULL
                GROUP BY indicator_seq
            )
            SELECT i.indicator_seq, i.level1_name, i.level2_name, i.indicator_name,
                   i.target_text, i.actual_text, i.weight, i.score, i.deviation_reason,
                   i.target_met, i.score_ratio, coalesce(f.n_findings, 0) AS n_findings,
                   coalesce(i.source_ref, 'line ' || i.line_no) AS source_ref,
                   coalesce(i.uncertain, false) AS uncertain, i.uncertain_reason,
                   f.finding_list, array_to_string(list_transform(f.finding_list, lambda x: x.message), chr(10))
                       AS findings,
                   f.worst_severity AS severity
            FROM marts.fct_indicator_result i LEFT JOIN f ON f.indicator_seq = i.indicator_seq
            WHERE i.evaluation_id = $id ORDER BY i.indicator_seq""",
        {"id": evaluation_id},
    )


def evaluation_findings(con: Connection, evaluation_id: str) -> pl.DataFrame:
    """Every finding on the form (form-level first, then by indicator)."""
    return _run(
        con,
        f"""SELECT finding_id, indicator_seq, rule_id, severity, expected, observed, message
            FROM {_findings_source(con)} WHERE evaluation_id = $id
            ORDER BY indicator_seq NULLS FIRST,
                     {_severity_rank("severity")}, rule_id""",
        {"id": evaluation_id},
    )


def project_history(con: Connection, project_id: str) -> pl.DataFrame:
    """Every form of the project across years (the project recurs under one project_id)."""
    return _run(
        con,
        """SELECT e.evaluation_id, e.year, e.project_name, d.department_name,
                  e.budget_full_year_yuan / 10000 AS budget_wan, e.executed_yuan / 10000 AS executed_wan,
                  coalesce(e.execution_rate_computed_pct, e.execution_rate_pct) AS execution_rate_pct,
                  e.total_score, coalesce(e.grade_printed, e.grade_computed) AS grade, e.n_indicators
           FROM marts.fct_evaluation e LEFT JOIN marts.dim_department d ON d.department_id = e.department_id
           WHERE e.project_id = $project ORDER BY e.year""",
        {"project": project_id},
    )


# --- 数据质量 ----------------------------------------------------------------------------


def findings_list(
    con: Connection,
    units: Sequence[str] = (),
    years: Sequence[int] = (),
    severities: Sequence[str] = (),
    rules: Sequence[str] = (),
    limit: int = FINDINGS_LIMIT,
) -> pl.DataFrame:
    """Findings with their form's unit, year and project (most severe first)."""
    params = _filters(units, years) | {
        "severities": list(severities),
        "rules": list(rules),
        "limit": limit,
    }
    return _run(
        con,
        f"""SELECT f.finding_id, f.evaluation_id, e.year, d.department_name, e.project_name,
                   f.indicator_seq, i.indicator_name, f.rule_id, f.severity, f.expected, f.observed,
                   f.message
            FROM {_findings_source(con)} f
            JOIN marts.fct_evaluation e ON e.evaluation_id = f.evaluation_id
            JOIN marts.dim_department d ON d.department_id = e.department_id
            LEFT JOIN marts.fct_indicator_result i
                   ON i.evaluation_id = f.evaluation_id AND i.indicator_seq = f.indicator_seq
            WHERE {_FILTER}
              AND (len($severities::VARCHAR[]) = 0 OR list_contains($severities::VARCHAR[], f.severity))
              AND (len($rules::VARCHAR[]) = 0 OR list_contains($rules::VARCHAR[], f.rule_id))
            ORDER BY {_severity_rank("f.severity")},
                     e.year, d.department_name, e.project_name, f.indicator_seq NULLS FIRST
            LIMIT $limit""",
        params,
    )


def findings_by_rule(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """Findings per rule and severity, with how many forms each rule flags."""
    return _run(
        con,
        f"""SELECT f.rule_id, f.severity, count(*) AS n_findings,
                   count(DISTINCT f.evaluation_id) AS n_evaluations,
                   any_value(f.message ORDER BY f.finding_id) AS message
            FROM {_findings_source(con)} f JOIN marts.fct_evaluation e ON e.evaluation_id = f.evaluation_id
            WHERE {_FILTER}
            GROUP BY f.rule_id, f.severity
            ORDER BY {_severity_rank("f.severity")},
                     n_findings DESC, f.rule_id""",
        _filters(units, years),
    )


def findings_by_unit_year(
    con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()
) -> pl.DataFrame:
    """Findings per unit × year × severity."""
    return _run(
        con,
        f"""SELECT e.department_id, d.department_name, e.year, f.severity, count(*) AS n_findings
            FROM {_findings_source(con)} f
            JOIN marts.fct_evaluation e ON e.evaluation_id = f.evaluation_id
            JOIN marts.dim_department d ON d.department_id = e.department_id
            WHERE {_FILTER}
            GROUP BY e.department_id, d.department_name, e.year, f.severity
            ORDER BY d.department_name, e.year,
                     {_severity_rank("f.severity")}""",
        _filters(units, years),
    )


def duplicate_evaluations(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """Forms left out of the marts because a newer file printed the same project and year
    (marts.fct_duplicate_evaluation), beside the form kept; empty on a warehouse built
    before the mart existed."""
    if not has_table(con, "marts", "fct_duplicate_evaluation"):
        return pl.DataFrame()
    return _run(
        con,
        f"""SELECT x.year, d.department_name, x.project_name,
                   x.source_file, x.form_seq, x.total_score,
                   x.kept_source_file, x.kept_form_seq, x.kept_total_score,
                   x.kept_evaluation_id, x.evaluation_id
            FROM marts.fct_duplicate_evaluation x
            JOIN marts.dim_department d ON d.department_id = x.department_id
            JOIN marts.fct_evaluation e ON e.evaluation_id = x.kept_evaluation_id
            WHERE {_FILTER}
            ORDER BY x.year, d.department_name, x.project_name, x.source_file, x.form_seq""",
        _filters(units, years),
    )


# --- 自评质量 -----------------------------------------------------------------------------


def score_gap_by_unit_year(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """marts.agg_unit_year_score_gap: per unit × year, points claimed and re-derived, the gap,
    the points above and the share of indicators scored above (in percent); largest gap first."""
    return _run(
        con,
        f"""SELECT g.department_id, g.department_name, g.year, r.full_name AS region_name,
                   g.n_evaluations, g.n_indicators, g.n_indicators_above,
                   100 * g.share_indicators_above AS share_above_pct, g.n_budget_scores_above,
                   g.points_claimed, g.points_rederived, g.score_gap, g.points_above, g.score_gap_per_form
            FROM marts.agg_unit_year_score_gap g LEFT JOIN marts.dim_region r ON r.region_id = g.region_id
            WHERE {_filter_on("g")}
            ORDER BY g.score_gap DESC, g.department_name, g.year""",
        _filters(units, years),
    )


def score_gap_forms(con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()) -> pl.DataFrame:
    """marts.fct_evaluation_score_recheck: one row per form, largest gap first."""
    return _run(
        con,
        f"""SELECT s.evaluation_id, s.department_id, d.department_name, s.year, s.project_name,
                   s.budget_score_claimed, s.budget_score_rederived, s.points_claimed, s.points_rederived,
                   s.score_gap, s.points_above, s.n_indicators, s.n_indicators_above, s.total_score
            FROM marts.fct_evaluation_score_recheck s
            JOIN marts.dim_department d ON d.department_id = s.department_id
            WHERE {_filter_on("s")}
            ORDER BY s.score_gap DESC, d.department_name, s.year, s.project_name""",
        _filters(units, years),
    )


def score_gap_indicators(
    con: Connection, units: Sequence[str] = (), years: Sequence[int] = ()
) -> pl.DataFrame:
    """marts.fct_score_recheck: the indicators whose claimed score differs from what their
    result supports (scored above first, then by gap), with their form and unit."""
    return _run(
        con,
        f"""SELECT r.evaluation_id, r.department_id, d.department_name, r.year, e.project_name,
                   r.indicator_seq, r.indicator_name, r.target_text, r.actual_text, r.recheck_rule,
                   r.weight, r.score_claimed, r.score_rederived, r.score_gap, r.is_scored_above
            FROM marts.fct_score_recheck r
            JOIN marts.fct_evaluation e ON e.evaluation_id = r.evaluation_id
            JOIN marts.dim_department d ON d.department_id = r.department_id
            WHERE {_filter_on("r")} AND r.score_gap <> 0
            ORDER BY r.is_scored_above DESC, r.score_gap DESC, d.department_name, r.year, e.project_name,
                     r.indicator_seq""",
        _filters(units, years),
    )


# --- for the benchmark: every query above, called with real parameters -------------------


def example_calls(con: Connection) -> dict[str, Callable[[], pl.DataFrame]]:
    """Each query of this module bound to parameters taken from the warehouse itself
    (the busiest unit, the latest year with data, a project that recurs if any)."""
    busiest = _run(
        con,
        """SELECT department_id, max(year) AS year, any_value(evaluation_id ORDER BY year DESC) AS ev,
                  any_value(project_id ORDER BY year DESC) AS project
           FROM marts.fct_evaluation GROUP BY department_id ORDER BY count(*) DESC LIMIT 1""",
    ).row(0, named=True)
    units, years = [busiest["department_id"]], [busiest["year"]]
    ev, project = busiest["ev"], busiest["project"]
    return {
        "last_build": lambda: last_build(con),
        "warehouse_counts": lambda: warehouse_counts(con),
        "unit_options": lambda: unit_options(con),
        "year_options": lambda: year_options(con),
        "region_options": lambda: region_options(con),
        "unit_year_summary": lambda: unit_year_summary(con),
        "unit_year_summary_filtered": lambda: unit_year_summary(con, units, years),
        "year_summary": lambda: year_summary(con),
        "evaluation_scores": lambda: evaluation_scores(con),
        "points_lost_by_category": lambda: points_lost_by_category(con),
        "indicators_met": lambda: indicators_met(con),
        "search_evaluations": lambda: search_evaluations(con, "经费"),
        "evaluation_header": lambda: evaluation_header(con, ev),
        "evaluation_goals": lambda: evaluation_goals(con, ev),
        "evaluation_budget_lines": lambda: evaluation_budget_lines(con, ev),
        "evaluation_indicators": lambda: evaluation_indicators(con, ev),
        "evaluation_findings": lambda: evaluation_findings(con, ev),
        "project_history": lambda: project_history(con, project),
        "findings_list": lambda: findings_list(con),
        "findings_by_rule": lambda: findings_by_rule(con),
        "findings_by_unit_year": lambda: findings_by_unit_year(con),
        "duplicate_evaluations": lambda: duplicate_evaluations(con),
        "score_gap_by_unit_year": lambda: score_gap_by_unit_year(con),
        "score_gap_forms": lambda: score_gap_forms(con, units, years),
        "score_gap_indicators": lambda: score_gap_indicators(con),
    }
