-- 项目 (projects): one project across years (same implementing unit, same or
-- renamed project name); named as printed in its latest year.
with evaluations as (
    select
        projects.*,
        forms.form_seq,
        forms.source_file
    from {{ ref('int_evaluation_projects') }} as projects
    inner join {{ ref('stg_raw__forms') }} as forms on projects.evaluation_id = forms.evaluation_id
    inner join {{ ref('int_evaluations_deduplicated') }} as dedup
        on projects.evaluation_id = dedup.evaluation_id and dedup.is_kept
),

latest as (
    select
        project_id,
        project_name,
        row_number() over (
            partition by project_id order by year desc, source_file, form_seq
        ) as recency
    from evaluations
),

names as (
    select distinct project_id, project_name from evaluations
),

name_lists as (
    select
        project_id,
        {{ dbt.listagg('project_name', "' | '", 'order by project_name') }} as name_variants
    from names
    group by project_id
),

years as (
    select distinct project_id, year from evaluations
),

year_lists as (
    select
        project_id,
        {{ dbt.listagg(dbt.cast('year', dbt.type_string()), "', '", 'order by year') }} as years,
        min(year) as first_year,
        max(year) as last_year,
        count(*) as n_years
    from years
    group by project_id
),

grouped as (
    select
        project_id,
        min(department_id) as department_id,
        min(project_key) as project_key,
        count(*) as n_evaluations
    from evaluations
    group by project_id
)

select
    grouped.project_id,
    latest.project_name,
    grouped.department_id,
    grouped.project_key,
    year_lists.years,
    year_lists.first_year,
    year_lists.last_year,
    year_lists.n_years,
    grouped.n_evaluations,
    name_lists.name_variants
from grouped
inner join latest on grouped.project_id = latest.project_id and latest.recency = 1
inner join year_lists on grouped.project_id = year_lists.project_id
inner join name_lists on grouped.project_id = name_lists.project_id
