{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
-- 自评表 (evaluations): one row per form — its project, units, money in 元,
-- execution rate as printed and recomputed, scores, grade as printed and as
-- implied by the total, and its indicators summed up. One form per project
-- and year: a duplicate from an older file is in fct_duplicate_evaluation.
with forms as (
    select stg.*
    from {{ ref('stg_raw__forms') }} as stg
    inner join {{ ref('int_evaluations_deduplicated') }} as dedup
        on stg.evaluation_id = dedup.evaluation_id and dedup.is_kept
    {{- jixiao.where_refreshed('stg.evaluation_id') }}
),

projects as (
    select * from {{ ref('int_evaluation_projects') }}
),

budgets as (
    select * from {{ ref('int_evaluation_budgets') }}
),

indicators as (
    select
        indicators.evaluation_id,
        count(*) as n_indicators,
        sum(indicators.weight) as indicator_weight_sum,
        sum(indicators.score) as indicator_score_sum,
        count(case when assessed.target_met then 1 end) as n_targets_met,
        count(case when not assessed.target_met then 1 end) as n_targets_not_met
    from {{ ref('stg_raw__indicators') }} as indicators
    inner join {{ ref('int_indicators_assessed') }} as assessed
        on indicators.evaluation_id = assessed.evaluation_id
        and indicators.indicator_seq = assessed.indicator_seq
    {{- jixiao.where_refreshed('indicators.evaluation_id') }}
    group by indicators.evaluation_id
),

grade_bands as (
    select grade, min_score from {{ ref('grade_bands') }}
),

grades as (
    select
        forms.evaluation_id,
        grade_bands.grade,
        row_number() over (partition by forms.evaluation_id order by grade_bands.min_score desc) as band_rank
    from forms
    inner join grade_bands on forms.total_score >= grade_bands.min_score
)

select
    forms.evaluation_id,
    forms.year,
    projects.project_id,
    projects.department_id,
    projects.supervising_department_id,
    forms.project_name,
    forms.implementing_unit,
    forms.supervising_department,
    budgets.budget_initial_yuan,
    budgets.budget_full_year_yuan,
    budgets.executed_yuan,
    forms.execution_rate_pct,
    budgets.execution_rate_computed_pct,
    forms.budget_weight,
    forms.budget_score,
    forms.total_weight,
    forms.total_score,
    forms.grade_printed,
    grades.grade as grade_computed,
    coalesce(indicators.n_indicators, 0) as n_indicators,
    coalesce(indicators.n_targets_met, 0) as n_targets_met,
    coalesce(indicators.n_targets_not_met, 0) as n_targets_not_met,
    cast(indicators.indicator_weight_sum as {{ jixiao.type_points() }}) as indicator_weight_sum,
    cast(indicators.indicator_score_sum as {{ jixiao.type_points() }}) as indicator_score_sum,
    forms.money_unit,
    forms.year_source,
    forms.source_file,
    forms.form_seq,
    forms.layout,
    forms.line_start,
    forms.line_end,
    forms.source_format,
    forms.source_ref,
    forms.parse_confidence,
    forms.goal_planned,
    forms.goal_actual
from forms
left join projects on forms.evaluation_id = projects.evaluation_id
left join budgets on forms.evaluation_id = budgets.evaluation_id
left join indicators on forms.evaluation_id = indicators.evaluation_id
left join grades on forms.evaluation_id = grades.evaluation_id and grades.band_rank = 1
