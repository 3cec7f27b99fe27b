{#
    Apache Spark (target `spark`, dbt-spark): what the models need from it
    that DuckDB does natively. Every macro here is dispatched; the models are
    the same files on both engines.
#}

{#
    The `raw` source. On DuckDB the loaders land it in the warehouse itself
    (nothing to do). On Spark it is the Parquet landing zone, one dataset
    per table (<landing>/<table>.parquet, written by `jixiao ingest`, either
    engine): each becomes an external table raw.<table> over those files.
    The landing zone is var `landing` (jixiao passes it), else
    $JIXIAO_LANDING: an absolute path, or any URI the cluster reads
    (hdfs://, s3a://, abfss://, dbfs:/). Run as on-run-start.
#}
{% macro attach_landing_zone() -%}
    {{ return(adapter.dispatch('attach_landing_zone', 'jixiao')()) }}
{%- endmacro %}

{% macro default__attach_landing_zone() -%}
{%- endmacro %}

{% macro spark__attach_landing_zone() -%}
    {%- if execute -%}
        {%- set landing = var('landing', env_var('JIXIAO_LANDING', 'data/landing')) -%}
        {%- set tables = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- do tables.append(node) -%}
        {%- endfor -%}
        {%- do run_query('create schema if not exists ' ~ tables[0].schema) -%}
        {%- for node in tables -%}
            {%- set relation = node.schema ~ '.' ~ node.identifier -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' using parquet location '
                ~ "'" ~ landing ~ '/' ~ node.identifier ~ ".parquet'") -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#
    dbt-spark's listagg ignores `order by` (with a warning); the marts list
    name variants and years in order. Here the values are sorted by the
    order-by expression (ascending, the only order the models use) and
    nulls skipped, as DuckDB's string_agg does.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set order_by = (order_by_clause or '') | trim -%}
    {%- if order_by[:8] | lower == 'order by' -%}
        {%- set key = order_by[8:] | trim -%}
    {%- else -%}
        {%- set key = measure -%}
    {%- endif -%}
    {%- if key.split() | length > 1 and key.split()[-1] | lower in ('asc', 'desc') -%}
        {%- if key.split()[-1] | lower == 'desc' -%}
            {{ exceptions.raise_compiler_error('listagg on Spark sorts ascending only: ' ~ order_by_clause) }}
        {%- endif -%}
        {%- set key = key.rsplit(' ', 1)[0] -%}
    {%- endif -%}
    {%- set collected -%}
        transform(
            array_sort(collect_list(case when {{ measure }} is not null then struct({{ key }} as k, {{ measure }} as v) end)),
            x -> x.v)
    {%- endset -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}

{#
    Seeds on Spark: dbt-spark binds seed values as text, and in session
    mode an empty cell arrives as the string 'None' (and a quote in a cell
    breaks the statement). Here every value is written as a literal: null,
    true/false, a number, or an escaped string; then cast to the seed's
    column type, as dbt-spark does.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ jixiao.spark_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{# A Python value (from a seed's agate table) as a Spark SQL literal. #}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{#
    accepted_values quotes every value; Spark does not compare a boolean
    with a string ('True'), DuckDB does. Booleans are written unquoted.
#}
{% macro spark__test_accepted_values(model, column_name, values, quote=True) %}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {% for value in values -%}
        {%- if value is sameas true or value is sameas false -%}
            {{ 'true' if value else 'false' }}
        {%- elif quote -%}
            '{{ value }}'
        {%- else -%}
            {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)
{% endmacro %}
