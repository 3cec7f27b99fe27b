{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
-- 绩效指标结果 (indicator results): one row per indicator — category, target
-- and actual as printed and parsed, whether the target was met, weight, score.
with indicators as (
    select stg.*
    from {{ ref('stg_raw__indicators') }} as stg
    inner join {{ ref('int_evaluations_deduplicated') }} as dedup
        on stg.evaluation_id = dedup.evaluation_id and dedup.is_kept
    {{- jixiao.where_refreshed('stg.evaluation_id') }}
),

assessed as (
    select * from {{ ref('int_indicators_assessed') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

categories as (
    select * from {{ ref('int_indicator_categories') }}
),

projects as (
    select evaluation_id, year, project_id, department_id from {{ ref('int_evaluation_projects') }}
)

select
    {{ dbt.concat(['indicators.evaluation_id', "'-'", dbt.cast('indicators.indicator_seq', dbt.type_string())]) }}
        as indicator_id,
    indicators.evaluation_id,
    indicators.indicator_seq,
    projects.year,
    projects.project_id,
    projects.department_id,
    categories.category_id,
    indicators.level1_name,
    indicators.level2_name,
    categories.is_misplaced as category_is_misplaced,
    indicators.indicator_name,
    indicators.target_text,
    indicators.actual_text,
    assessed.target_notation,
    assessed.actual_notation,
    assessed.target_operator,
    assessed.target_low,
    assessed.target_high,
    assessed.target_unit,
    assessed.target_is_quantitative,
    assessed.target_operator_printed,
    assessed.target_parse_status,
    assessed.target_direction,
    assessed.actual_operator,
    assessed.actual_low,
    assessed.actual_high,
    assessed.actual_unit,
    assessed.actual_is_quantitative,
    assessed.actual_parse_status,
    assessed.actual_band,
    assessed.target_met,
    assessed.target_met_basis,
    indicators.weight,
    indicators.score,
    cast(round({{ jixiao.safe_divide('indicators.score', 'indicators.weight') }}, 4)
        as {{ jixiao.type_points() }}) as score_ratio,
    indicators.deviation_reason,
    indicators.line_no,
    indicators.source_ref,
    indicators.target_operator_cell,
    indicators.target_value_cell,
    indicators.target_unit_cell,
    indicators.uncertain,
    indicators.uncertain_reason
from indicators
inner join assessed
    on indicators.evaluation_id = assessed.evaluation_id
    and indicators.indicator_seq = assessed.indicator_seq
left join categories
    on {{ dbt.concat(["coalesce(indicators.level1_name, '')", "'|'", "coalesce(indicators.level2_name, '')"]) }}
        = categories.printed_key
left join projects on indicators.evaluation_id = projects.evaluation_id
