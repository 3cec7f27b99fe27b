{#
    The warehouse's measures, each defined once.

    execution_rate_pct(executed, full_year): 执行率 = 全年执行数 ÷ 全年预算数
    × 100, in percent, rounded half up to `decimals` (4) decimals, exactly and alike on
    every engine (safe_divide); null when the full-year budget is 0 or
    missing. Works on one form's amounts and on sums of many (a unit's
    year: sum(executed_yuan), sum(budget_full_year_yuan)).

    Every user takes it from here: the marts (int_evaluation_budgets ->
    fct_evaluation.execution_rate_computed_pct), and, through the DuckDB
    macro marts.execution_rate_pct(executed, full_year[, decimals]) that
    create_warehouse_macros() defines from it after every build, the
    analyses, the quality rules and the dashboard's SQL.
#}
{% macro execution_rate_pct(executed, full_year, decimals=4) -%}
    cast(round({{ jixiao.safe_divide('(' ~ executed ~ ') * 100', full_year) }}, {{ decimals }}) as {{ jixiao.type_points() }})
{%- endmacro %}

{#
    The measures above as SQL macros of the DuckDB warehouse (schema marts),
    for the SQL that does not go through dbt (analyses run by hand, quality
    rules, the dashboard). Run as on-run-end of `dbt build` / `dbt run`; a no-op on other engines
    (a Spark build's marts are copied into DuckDB, see README).
#}
{% macro create_warehouse_macros() -%}
    {{ return(adapter.dispatch('create_warehouse_macros', 'jixiao')()) }}
{%- endmacro %}

{% macro default__create_warehouse_macros() -%}
{%- endmacro %}

{% macro duckdb__create_warehouse_macros() -%}
    {#- only when building (or asked: `dbt run-operation create_warehouse_macros`,
        e.g. on the DuckDB file a Spark build's marts were copied into);
        `dbt docs generate` may run on a read-only warehouse -#}
    {%- if execute and flags.WHICH in ('build', 'run', 'run-operation') -%}
        {%- do run_query('create schema if not exists marts') -%}
        {%- do run_query(
            'create or replace macro marts.execution_rate_pct(executed, full_year, decimals := 4) as '
            ~ jixiao.execution_rate_pct('executed', 'full_year', 'decimals')) -%}
    {%- endif -%}
{%- endmacro %}
