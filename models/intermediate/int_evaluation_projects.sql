{#
    Each form's project and departments. One project across years = the same
    implementing unit (canonical) + the same project name, matched with
    notation normalised, spaces and years removed ("(2023 运维)" -> "(运维)",
    "2023 年…" -> "…"), or a rename listed in seed project_renames.
#}
{%- set year_re = '(19|20)[0-9]{2}' ~ jixiao.regex_alternatives(var('project_year_suffixes')) ~ '?' -%}
with forms as (
    select * from {{ ref('stg_raw__forms') }}
),

departments as (
    select printed_name, department_id, department_name from {{ ref('int_department_names') }}
),

renames as (
    select
        department_name,
        {{ jixiao.name_key('printed_name') }} as name_key,
        project_name
    from {{ ref('project_renames') }}
),

with_departments as (
    select
        forms.evaluation_id,
        forms.year,
        forms.project_name,
        {{ jixiao.name_key('forms.project_name') }} as project_name_key,
        implementing.department_id  as department_id,
        implementing.department_name as department_name,
        supervising.department_id   as supervising_department_id
    from forms
    left join departments as implementing on forms.implementing_unit = implementing.printed_name
    left join departments as supervising on forms.supervising_department = supervising.printed_name
),

keyed as (
    select
        with_departments.*,
        {{ jixiao.regexp_replace_all(
            'coalesce(' ~ jixiao.name_key('renames.project_name') ~ ', with_departments.project_name_key)',
            year_re) }} as project_key
    from with_departments
    left join renames
        on with_departments.department_name = renames.department_name
        and with_departments.project_name_key = renames.name_key
)

select
    evaluation_id,
    year,
    project_name,
    project_key,
    department_id,
    supervising_department_id,
    {{ jixiao.surrogate_key(['department_id', 'project_key']) }} as project_id
from keyed
