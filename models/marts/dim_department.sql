-- 部门 (departments): one row per canonical unit, every printed spelling,
-- its region (dim_region), level (市级/区级), district and whether it is a
-- (汇总) summary unit (seed departments; a unit missing from the seed gets no
-- level). The region is its spellings' place (int_department_regions), the
-- deepest one; spellings placed in two different places of that depth leave
-- the unit unplaced.
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

divisions as (
    select
        division_code,
        case level when 'county' then 3 when 'city' then 2 else 1 end as level_rank
    from {{ ref('admin_divisions') }}
),

placed as (
    select
        names.department_id,
        names.region_id,
        names.region_basis,
        divisions.level_rank,
        max(divisions.level_rank) over (partition by names.department_id) as deepest_rank
    from (select distinct department_id, region_id, region_basis from names) as names
    inner join divisions on names.region_id = divisions.division_code
),

regions as (
    select
        department_id,
        case when count(distinct region_id) = 1 then min(region_id) end as region_id,
        case when count(distinct region_id) = 1 then min(region_basis) end as region_basis,
        count(distinct region_id) as n_regions
    from placed
    where level_rank = deepest_rank
    group by department_id
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
    regions.region_id,
    regions.region_basis,
    case
        when regions.region_id is not null then 'placed'
        when regions.n_regions > 1 then 'conflicting'
        when ambiguous.department_id is not null then 'ambiguous'
        else 'no_place_name'
    end as place_status,
    register.level,
    register.district,
    coalesce(
        register.is_summary_unit,
        {{ dbt.right('grouped.department_name', dbt.length("'" ~ suffix ~ "'")) }} = '{{ suffix }}'
    ) as is_summary_unit,
    coalesce(register.base_department_name, grouped.department_name) as base_department_name,
    register.department_name is not null as is_registered
from grouped
left join regions on grouped.department_id = regions.department_id
left join (
    select distinct department_id from names where place_status = 'ambiguous'
) as ambiguous on grouped.department_id = ambiguous.department_id
left join register on grouped.department_name = register.department_name
