{#
    Incremental builds (issue 17): what a build recomputes, written once.

    int_evaluation_contexts lists every landed form with what its rows in the
    marts depend on beyond its own file's content (project, departments,
    whether it is the kept form of its project and year) and whether this
    build recomputes them (is_refreshed: a form that is new, from a changed
    file, or whose context changed; every form on a full build). The
    evaluation-keyed incremental models delete the rows of refreshed and
    removed forms before they run (delete_refreshed_rows, a pre-hook) and
    select only the refreshed forms' rows (where_refreshed); their data tests
    and the quality rules look at the same forms (get_where_subquery below,
    quality/run.py). On Spark the same models are plain tables
    (incremental_materialization): every build is a full build there.
#}

{# The refreshed forms' evaluation ids, as a subquery. #}
{% macro refreshed_evaluations() -%}
(select evaluation_id from {{ ref('int_evaluation_contexts') }} where is_refreshed)
{%- endmacro %}

{# `where <column> in (refreshed forms)` on an incremental run; nothing on a full one. #}
{% macro where_refreshed(column) -%}
{%- if is_incremental() %} where {{ column }} in {{ jixiao.refreshed_evaluations() }}{% endif -%}
{%- endmacro %}

{# Pre-hook of an evaluation-keyed incremental model: drop the rows of the forms
   this build recomputes and of the forms that are gone. #}
{% macro delete_refreshed_rows() -%}
{%- if is_incremental() -%}
delete from {{ this }}
where evaluation_id in {{ jixiao.refreshed_evaluations() }}
   or evaluation_id not in (select evaluation_id from {{ ref('int_evaluation_contexts') }})
{%- endif -%}
{%- endmacro %}

{# incremental on DuckDB; a table on engines whose table format has no DELETE (Spark's Parquet). #}
{% macro incremental_materialization() -%}
{{ 'incremental' if target.type == 'duckdb' else 'table' }}
{%- endmacro %}

{# The config of an evaluation-keyed incremental model. #}
{% macro evaluation_keyed_config() -%}
{{ config(
    materialized=jixiao.incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ jixiao.delete_refreshed_rows() }}",
    meta={'refreshed_by': 'evaluation_id'},
) }}
{%- endmacro %}

{#
    Data tests of an incremental model check the rows this build wrote: a test
    configured with `where: "__refreshed__"` (dbt_project.yml, for the
    intermediate and mart folders) sees only the refreshed forms' rows of an
    incremental model, and the whole table of any other model or on a full
    build. `where: "__whole_table__"` keeps a test on the whole table (row
    counts against another model). Any other `where` is dbt's own.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where == '__refreshed__' -%}
        {%- if jixiao.is_refreshable(relation) and not flags.FULL_REFRESH and var('check_refreshed_only', true) -%}
            {%- set filtered -%}
                (select * from {{ relation }} where evaluation_id in (select evaluation_id from {{ jixiao.contexts_relation() }} where is_refreshed)) dbt_subquery
            {%- endset -%}
            {%- do return(filtered) -%}
        {%- else -%}
            {%- do return(relation) -%}
        {%- endif -%}
    {%- elif where and where != '__whole_table__' -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{# Whether `relation` is one of this project's evaluation-keyed incremental
   models. Only those: they are built after int_evaluation_contexts (they read
   it), so their tests see this build's refreshed forms; a test of a model
   built before it (staging views, the models the contexts are made of) would
   see the last build's. #}
{% macro is_refreshable(relation) -%}
    {%- if not execute or target.type != 'duckdb' -%}{%- do return(false) -%}{%- endif -%}
    {%- set node = jixiao.model_node(relation.identifier) -%}
    {%- do return(node is not none and node.schema == relation.schema
                  and node.config.materialized == 'incremental'
                  and (node.config.meta or {}).get('refreshed_by') == 'evaluation_id') -%}
{%- endmacro %}

{# int_evaluation_contexts' relation, found without ref() (a test macro may not add dependencies). #}
{% macro contexts_relation() -%}
    {%- set node = jixiao.model_node('int_evaluation_contexts') -%}
    {%- do return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -%}
{%- endmacro %}

{# This project's model `name` in the graph, by its unique id (no model here has an alias). #}
{% macro model_node(name) -%}
    {%- do return(graph.nodes.get('model.' ~ project_name ~ '.' ~ name)) -%}
{%- endmacro %}
