{#
    The places each printed unit name (主管部门 and 实施单位) could be in (seed
    admin_divisions, GB/T 2260): one row per name and candidate division at
    the deepest level its name prints. The place names printed inside the
    name — a division's full name (闵行区, 滁州市, 上海市) or a province's short
    name (上海 in 中共上海闵行区组织部) — are hits; a hit inside a longer hit is
    dropped (西区 inside 山西区…). Hits must agree: a county or city outside a
    printed province, or a county outside a printed city, is not a candidate.
    The deepest level with a candidate is kept: one candidate places the name
    (int_department_regions), several leave it ambiguous (朝阳区 is in 北京市
    and in 长春市). A name with no place printed has no row.
    A table of its own: Spark inlines every use of a CTE, and the placement
    reads these candidates several times.
#}
{%- set level_rank = "case {0} when 'county' then 3 when 'city' then 2 when 'province' then 1 end" -%}
with printed as (
    select distinct {{ jixiao.name_key('names.printed_name') }} as name_key
    from (
        select supervising_department as printed_name from {{ ref('stg_raw__forms') }}
        union all
        select implementing_unit as printed_name from {{ ref('stg_raw__forms') }}
    ) as names
    where names.printed_name is not null
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
)

select name_key, division_code, level, province_code, city_code from deepest
