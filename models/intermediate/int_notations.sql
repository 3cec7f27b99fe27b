{{ config(materialized=jixiao.incremental_materialization(), incremental_strategy='append', on_schema_change='fail') }}
-- Every distinct target (年度指标值) and actual (实际完成值), in normalised
-- notation: the input of the notation parser. Incremental: a build adds the
-- notations of the forms it recomputes (int_evaluation_contexts) that are not
-- here yet; a notation no form prints any more stays until the next full build
-- (it is only looked up by its text, so it changes no result).
-- depends_on: {{ ref('int_evaluation_contexts') }}
with indicators as (
    select target_notation, actual_notation from {{ ref('stg_raw__indicators') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

notations as (
    select target_notation as notation from indicators where target_notation is not null
    union
    select actual_notation as notation from indicators where actual_notation is not null
)

select notation from notations
{%- if is_incremental() %}
where notation not in (select notation from {{ this }})
{%- endif %}
