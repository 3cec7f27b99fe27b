-- 未定位单位 (units not placed): every unit of dim_department with no region —
-- its spellings, why (ambiguous: the place printed exists in several regions,
-- e.g. 朝阳区; conflicting: its spellings name different places;
-- no_place_name: no place printed and no placed supervisor) and the candidate
-- regions. Add the place to the unit's name in seed department_name_variants,
-- or wait for a document that names it; never a guess.
with departments as (
    select * from {{ ref('dim_department') }}
    where region_id is null
),

names as (
    select distinct department_id, name_key from {{ ref('int_department_names') }}
),

regions as (
    select * from {{ ref('int_department_regions') }}
),

candidates as (
    select
        names.department_id,
        {{ dbt.listagg('regions.candidate_regions', "' || '", 'order by regions.candidate_regions') }}
            as candidate_regions
    from names
    inner join regions on regions.name_key = names.name_key
    where regions.candidate_regions is not null
    group by names.department_id
)

select
    departments.department_id,
    departments.department_name,
    departments.name_variants,
    departments.place_status,
    candidates.candidate_regions
from departments
left join candidates on candidates.department_id = departments.department_id
