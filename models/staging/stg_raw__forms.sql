-- 自评表 (forms): typed, trimmed, renamed to the warehouse's names.
with source as (
    select * from {{ source('raw', 'forms') }}
)

select
    cast(form_id as {{ dbt.type_string() }})              as evaluation_id,
    source_file,
    source_sha256,
    cast(form_seq as {{ dbt.type_int() }})                as form_seq,
    layout,
    cast(year as {{ dbt.type_int() }})                    as year,
    year_source,
    trim(project_name)                                    as project_name,
    trim(supervising_department)                          as supervising_department,
    trim(implementing_unit)                               as implementing_unit,
    trim(money_unit)                                      as money_unit,
    cast(budget_weight as {{ jixiao.type_points() }})     as budget_weight,
    cast(execution_rate_pct as {{ jixiao.type_points() }}) as execution_rate_pct,
    cast(budget_score as {{ jixiao.type_points() }})      as budget_score,
    cast(total_weight as {{ jixiao.type_points() }})      as total_weight,
    cast(total_score as {{ jixiao.type_points() }})       as total_score,
    nullif(trim(grade), '')                               as grade_printed,
    goal_planned,
    goal_actual,
    cast(line_start as {{ dbt.type_int() }})              as line_start,
    cast(line_end as {{ dbt.type_int() }})                as line_end,
    source_format,
    source_ref,
    ingested_at
from source
