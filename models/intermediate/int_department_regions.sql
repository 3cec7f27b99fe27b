{#
    Where each printed unit name (主管部门 and 实施单位) is, in the division list
    (seed admin_divisions, GB/T 2260): its region, and how it was placed.

    1. name: the place names printed inside the unit's name — a division's full
       name (闵行区, 滁州市, 上海市), or a province's short name (上海 in
       中共上海闵行区组织部). A hit inside a longer hit is dropped (西区 inside
       山西区…). Hits must agree: a county or city outside a printed province,
       or a county outside a printed city, is not a candidate. The deepest level
       with a candidate decides: exactly one candidate places the unit
       (天长市水利局 -> 安徽省 滁州市 天长市); more than one is ambiguous
       (朝阳区 is in 北京市 and in 长春市).
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
{%- set level_rank = "case {0} when 'county' then 3 when 'city' then 2 when 'province' then 1 end" -%}
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

place_names as (
    select division_code, level, province_code, city_code, name as place_name from divisions
    union all
    select division_code, level, province_code, city_code, short_name as place_name
    from divisions
    where short_name is not null
),

hits as (
    select
        printed.name_key,
        place_names.division_code,
        place_names.level,
        place_names.province_code,
        place_names.city_code,
        {{ dbt.position('place_names.place_name', 'printed.name_key') }} as start_pos,
        {{ dbt.length('place_names.place_name') }} as name_length
    from printed
    inner join place_names on {{ dbt.position('place_names.place_name', 'printed.name_key') }} > 0
),

-- a hit lying inside a longer hit of another division is not a place name
kept as (
    select distinct hits.name_key, hits.division_code, hits.level, hits.province_code, hits.city_code
    from hits
    left join hits as longer
        on longer.name_key = hits.name_key
        and longer.division_code <> hits.division_code
        and longer.name_length > hits.name_length
        and longer.start_pos <= hits.start_pos
        and longer.start_pos + longer.name_length >= hits.start_pos + hits.name_length
    where longer.name_key is null
),

-- hits must agree: with a printed province, and a county with a printed city
flagged as (
    select
        kept.*,
        max(case when level = 'province' then 1 else 0 end) over (partition by name_key) as has_province
    from kept
),

printed_provinces as (
    select distinct name_key, province_code from kept where level = 'province'
),

province_consistent as (
    select
        flagged.name_key,
        flagged.division_code,
        flagged.level,
        flagged.province_code,
        flagged.city_code,
        max(case when flagged.level = 'city' then 1 else 0 end) over (partition by flagged.name_key) as has_city
    from flagged
    left join printed_provinces
        on printed_provinces.name_key = flagged.name_key
        and printed_provinces.province_code = flagged.province_code
    where flagged.has_province = 0 or printed_provinces.name_key is not null
),

printed_cities as (
    select distinct name_key, division_code as city_code from province_consistent where level = 'city'
),

candidates as (
    select
        province_consistent.name_key,
        province_consistent.division_code,
        province_consistent.level,
        province_consistent.province_code,
        province_consistent.city_code
    from province_consistent
    left join printed_cities
        on printed_cities.name_key = province_consistent.name_key
        and printed_cities.city_code = province_consistent.city_code
    where province_consistent.level <> 'county'
        or province_consistent.has_city = 0
        or printed_cities.name_key is not null
),

-- the deepest level with a candidate decides
ranked as (
    select
        candidates.*,
        {{ level_rank.format('level') }} as level_rank,
        max({{ level_rank.format('level') }}) over (partition by name_key) as deepest_rank
    from candidates
),

deepest as (
    select name_key, division_code, level, province_code, city_code
    from ranked
    where level_rank = deepest_rank
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
    left join (select distinct name_key from kept) as with_place on with_place.name_key = forms.implementing_key
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
