{#
    Where each printed unit name (主管部门 and 实施单位) is: its region (seed
    admin_divisions, GB/T 2260) and how it was placed.

    1. name: exactly one candidate in int_department_place_candidates (the
       place names printed in the unit's name, agreeing, deepest level):
       天长市水利局 -> 安徽省 滁州市 天长市; several are ambiguous (朝阳区 is in
       北京市 and in 长春市).
    2. document: an ambiguous name is narrowed by the places of the other units
       printed in the same source file (its own form's 主管部门 among them),
       placed in step 1; exactly one candidate left inside them places it.
    3. supervising_department: an implementing unit whose name holds no place
       at all (九亭镇人民政府动拆迁办公室) is placed where its 主管部门 is, when
       every form names a supervisor placed in one and the same region (the unit
       belongs to its supervisor's region).
    Anything else stays unplaced (region_id null, place_status 'ambiguous' or
    'no_place_name'): never a guess.
#}
with forms as (
    select
        evaluation_id,
        source_file,
        {{ jixiao.name_key('supervising_department') }} as supervising_key,
        {{ jixiao.name_key('implementing_unit') }} as implementing_key
    from {{ ref('stg_raw__forms') }}
),

printed as (
    select supervising_key as name_key from forms where supervising_key is not null
    union
    select implementing_key as name_key from forms where implementing_key is not null
),

divisions as (
    select division_code, level, name, short_name, province_code, city_code from {{ ref('admin_divisions') }}
),

deepest as (
    select * from {{ ref('int_department_place_candidates') }}
),

by_name as (
    select
        name_key,
        count(*) as n_candidates,
        min(division_code) as only_division_code
    from deepest
    group by name_key
),

-- units printed beside each other: in one source file (so also on one form)
file_names as (
    select distinct source_file, supervising_key as name_key from forms where supervising_key is not null
    union
    select distinct source_file, implementing_key as name_key from forms where implementing_key is not null
),

neighbours as (
    select distinct a.name_key, b.name_key as neighbour_key
    from file_names as a
    inner join file_names as b on a.source_file = b.source_file and a.name_key <> b.name_key
),

placed_by_name as (
    select
        by_name.name_key,
        divisions.division_code,
        divisions.level,
        divisions.province_code,
        divisions.city_code
    from by_name
    inner join divisions on by_name.only_division_code = divisions.division_code
    where by_name.n_candidates = 1
),

-- an ambiguous name's candidates that lie inside a neighbour's place
narrowed as (
    select
        deepest.name_key,
        count(distinct deepest.division_code) as n_left,
        min(deepest.division_code) as division_code
    from deepest
    inner join by_name on by_name.name_key = deepest.name_key and by_name.n_candidates > 1
    inner join neighbours on neighbours.name_key = deepest.name_key
    inner join placed_by_name as context
        on context.name_key = neighbours.neighbour_key
        and (
            (context.level = 'province' and deepest.province_code = context.province_code)
            or (context.level = 'city' and deepest.city_code = context.division_code)
            or (context.level = 'county' and deepest.division_code = context.division_code)
        )
    group by deepest.name_key
),

placed_by_document as (
    select name_key, division_code, 'name' as region_basis from placed_by_name
    union all
    select name_key, division_code, 'document' as region_basis from narrowed where n_left = 1
),

-- a unit with no place in its name, placed where its supervisor is
inherited as (
    select
        forms.implementing_key as name_key,
        count(distinct supervisor.division_code) as n_regions,
        min(supervisor.division_code) as division_code,
        count(*) as n_forms,
        count(supervisor.division_code) as n_forms_placed
    from forms
    left join placed_by_document as supervisor
        on supervisor.name_key = forms.supervising_key
        and forms.supervising_key <> forms.implementing_key
    left join (select distinct name_key from deepest) as with_place on with_place.name_key = forms.implementing_key
    where forms.implementing_key is not null and with_place.name_key is null
    group by forms.implementing_key
),

placed as (
    select name_key, division_code, region_basis from placed_by_document
    union all
    select name_key, division_code, 'supervising_department' as region_basis
    from inherited
    where n_regions = 1 and n_forms_placed = n_forms
),

candidate_names as (
    select
        deepest.name_key,
        deepest.division_code,
        province.name
            || case when city.name is not null then ' ' || city.name else '' end
            || case when deepest.level <> 'province' and deepest.division_code <> coalesce(deepest.city_code, '')
                    then ' ' || region.name
                    when deepest.level = 'city' then ' ' || region.name else '' end as full_name
    from deepest
    inner join divisions as region on region.division_code = deepest.division_code
    inner join divisions as province on province.division_code = deepest.province_code
    left join divisions as city on city.division_code = deepest.city_code and deepest.level = 'county'
),

candidate_lists as (
    select
        name_key,
        {{ dbt.listagg('division_code', "' | '", 'order by division_code') }} as candidate_region_ids,
        {{ dbt.listagg('full_name', "' | '", 'order by division_code') }} as candidate_regions
    from candidate_names
    group by name_key
)

select
    printed.name_key,
    placed.division_code as region_id,
    placed.region_basis,
    case
        when placed.division_code is not null then 'placed'
        when by_name.n_candidates > 1 then 'ambiguous'
        else 'no_place_name'
    end as place_status,
    candidate_lists.candidate_region_ids,
    candidate_lists.candidate_regions
from printed
left join placed on placed.name_key = printed.name_key
left join by_name on by_name.name_key = printed.name_key
left join candidate_lists on candidate_lists.name_key = printed.name_key
