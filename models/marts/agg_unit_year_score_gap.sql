-- 自评分虚高 (score gap per unit and year): points the unit's forms claimed,
-- points their own numbers support (fct_evaluation_score_recheck), the gap,
-- and the share of its indicators scored above what their result supports.
with forms as (
    select * from {{ ref('fct_evaluation_score_recheck') }}
),

departments as (
    select department_id, department_name, region_id from {{ ref('dim_department') }}
)

select
    forms.department_id,
    departments.department_name,
    departments.region_id,
    forms.year,
    count(*) as n_evaluations,
    cast(sum(forms.n_indicators) as {{ dbt.type_int() }}) as n_indicators,
    cast(sum(forms.n_indicators_rederived) as {{ dbt.type_int() }}) as n_indicators_rederived,
    cast(sum(forms.n_indicators_above) as {{ dbt.type_int() }}) as n_indicators_above,
    cast(round({{ jixiao.safe_divide('sum(forms.n_indicators_above)', 'sum(forms.n_indicators)') }}, 4)
        as {{ jixiao.type_points() }}) as share_indicators_above,
    count(case when forms.budget_is_scored_above then 1 end) as n_budget_scores_above,
    cast(sum(forms.points_claimed) as {{ jixiao.type_measure() }}) as points_claimed,
    cast(sum(forms.points_rederived) as {{ jixiao.type_measure() }}) as points_rederived,
    cast(sum(forms.score_gap) as {{ jixiao.type_measure() }}) as score_gap,
    cast(sum(forms.points_above) as {{ jixiao.type_measure() }}) as points_above,
    cast(round({{ jixiao.safe_divide('sum(forms.score_gap)', 'count(*)') }}, 4) as {{ jixiao.type_measure() }})
        as score_gap_per_form
from forms
left join departments on forms.department_id = departments.department_id
group by forms.department_id, departments.department_name, departments.region_id, forms.year
