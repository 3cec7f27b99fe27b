-- 部门 (departments): one row per canonical unit, every printed spelling,
-- level (市级/区级), district and whether it is a (汇总) summary unit
-- (seed departments; a unit missing from the seed gets no level).
{%- set suffix = var('summary_unit_suffix') %}
with names as (
    select * from {{ ref('int_department_names') }}
),

register as (
    select * from {{ ref('departments') }}
),

variants as (
    select distinct department_id, department_name, printed_name from names
),

grouped as (
    select
        department_id,
        department_name,
        {{ dbt.listagg('printed_name', "' | '", 'order by printed_name') }} as name_variants,
        count(*) as n_name_variants
    from variants
    group by department_id, department_name
)

select
    grouped.department_id,
    grouped.department_name,
    grouped.name_variants,
    grouped.n_name_variants,
    register.level,
    register.district,
    coalesce(
        register.is_summary_unit,
        {{ dbt.right('grouped.department_name', dbt.length("'" ~ suffix ~ "'")) }} = '{{ suffix }}'
    ) as is_summary_unit,
    coalesce(register.base_department_name, grouped.department_name) as base_department_name,
    register.department_name is not null as is_registered
from grouped
left join register on grouped.department_name = register.department_name
