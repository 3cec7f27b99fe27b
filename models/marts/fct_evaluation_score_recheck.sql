{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
{#
    评分复核·自评表 (score re-check per form): the points the form claims
    (budget score + its indicators' scores, as printed) and the points its own
    numbers support under the national rules: budget score = weight ×
    执行率 (全年执行数 ÷ 全年预算数, the printed rate without money), never
    above the weight; each indicator as fct_score_recheck re-derives it.
    score_gap = claimed − re-derived (positive: scored above the numbers).
#}
{%- set tolerance = var('score_tolerance') %}
with evaluations as (
    select * from {{ ref('fct_evaluation') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

indicators as (
    select
        evaluation_id,
        count(*) as n_indicators,
        count(case when is_rederived then 1 end) as n_indicators_rederived,
        count(case when is_scored_above then 1 end) as n_indicators_above,
        sum(score_claimed) as indicator_points_claimed,
        sum(score_rederived) as indicator_points_rederived,
        sum(case when score_gap > 0 then score_gap else 0 end) as indicator_points_above
    from {{ ref('fct_score_recheck') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
    group by evaluation_id
),

budgets as (
    select
        evaluation_id,
        -- exact decimals on every engine (DuckDB divides decimals as doubles)
        budget_weight
            * least({{ jixiao.safe_divide('coalesce(execution_rate_computed_pct, execution_rate_pct)', '100') }}, 1)
            as budget_supported
    from evaluations
)

select
    evaluations.evaluation_id,
    evaluations.year,
    evaluations.project_id,
    evaluations.department_id,
    evaluations.project_name,
    evaluations.total_score,
    evaluations.budget_weight,
    evaluations.budget_score as budget_score_claimed,
    cast(round(budgets.budget_supported, 4) as {{ jixiao.type_points() }}) as budget_score_rederived,
    coalesce(evaluations.budget_score > budgets.budget_supported + {{ tolerance }}, false) as budget_is_scored_above,
    coalesce(indicators.n_indicators, 0) as n_indicators,
    coalesce(indicators.n_indicators_rederived, 0) as n_indicators_rederived,
    coalesce(indicators.n_indicators_above, 0) as n_indicators_above,
    cast(indicators.indicator_points_claimed as {{ jixiao.type_points() }}) as indicator_points_claimed,
    cast(indicators.indicator_points_rederived as {{ jixiao.type_points() }}) as indicator_points_rederived,
    cast(
        coalesce(evaluations.budget_score, 0) + coalesce(indicators.indicator_points_claimed, 0)
        as {{ jixiao.type_points() }}) as points_claimed,
    cast(round(
        coalesce(budgets.budget_supported, evaluations.budget_score, 0)
            + coalesce(indicators.indicator_points_rederived, 0), 4)
        as {{ jixiao.type_points() }}) as points_rederived,
    cast(round(
        coalesce(evaluations.budget_score, 0) + coalesce(indicators.indicator_points_claimed, 0)
            - coalesce(budgets.budget_supported, evaluations.budget_score, 0)
            - coalesce(indicators.indicator_points_rederived, 0), 4)
        as {{ jixiao.type_points() }}) as score_gap,
    cast(round(
        coalesce(indicators.indicator_points_above, 0)
            + case when evaluations.budget_score > budgets.budget_supported
                   then evaluations.budget_score - budgets.budget_supported else 0 end, 4)
        as {{ jixiao.type_points() }}) as points_above
from evaluations
left join budgets on evaluations.evaluation_id = budgets.evaluation_id
left join indicators on evaluations.evaluation_id = indicators.evaluation_id
