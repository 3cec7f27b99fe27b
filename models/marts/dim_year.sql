-- 年度 (years): every year from var first_year to last_year and any year a
-- form is dated, with whether any form of that year is in the warehouse.
with covered as (
    {%- for year in range(var('first_year'), var('last_year') + 1) %}
    select {{ year }} as year
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

forms as (
    select year, count(*) as n_evaluations
    from {{ ref('int_evaluations_deduplicated') }}
    where is_kept
    group by year
),

years as (
    select year from covered
    union
    select year from forms
)

select
    cast(years.year as {{ dbt.type_int() }}) as year,
    coalesce(forms.n_evaluations, 0) > 0 as has_data,
    coalesce(forms.n_evaluations, 0) as n_evaluations
from years
left join forms on years.year = forms.year
