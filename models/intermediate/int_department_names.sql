{#
    Every department name printed (主管部门 and 实施单位) -> its canonical
    department and its region. Names are matched with notation normalised and
    spaces removed.
    - A spelling listed in seed department_name_variants is the unit it names
      (true renames and irregular spellings: 中共上海闵行区组织部 =
      中共上海市闵行区委组织部).
    - Any other name is identified within its region (int_department_regions):
      the names placed in one region that are the same once the region's own
      place names are taken out (安徽省天长市水利局 and 天长市水利局 are
      天长市's 水利局) are one unit, named by its longest spelling. An unplaced
      name is its own unit.
#}
with printed as (
    select distinct printed_name, {{ jixiao.name_key('printed_name') }} as name_key
    from (
        select supervising_department as printed_name from {{ ref('stg_raw__forms') }}
        where supervising_department is not null
        union
        select implementing_unit as printed_name from {{ ref('stg_raw__forms') }}
        where implementing_unit is not null
    ) as names
),

variants as (
    select
        {{ jixiao.name_key('printed_name') }} as name_key,
        department_name
    from {{ ref('department_name_variants') }}
),

regions as (
    select * from {{ ref('int_department_regions') }}
),

divisions as (
    select division_code, level, name, short_name, province_code, city_code from {{ ref('admin_divisions') }}
),

-- each distinct name: registered spelling, region, and its key within the region
-- (the name without its region's county, city and province names)
keyed as (
    select
        names.name_key,
        variants.department_name as registered_name,
        regions.region_id,
        regions.region_basis,
        regions.place_status,
        case
            when regions.region_id is null then names.name_key
            else
                replace(replace(replace(replace(names.name_key,
                    case when region.level = 'county' then region.name else '' end, ''),
                    case when region.level = 'city' then region.name else coalesce(city.name, '') end, ''),
                    province.name, ''),
                    coalesce(province.short_name, ''), '')
        end as key_in_region
    from (select distinct name_key from printed) as names
    left join variants on names.name_key = variants.name_key
    left join regions on names.name_key = regions.name_key
    left join divisions as region on regions.region_id = region.division_code
    left join divisions as city on region.city_code = city.division_code
    left join divisions as province on region.province_code = province.division_code
),

-- unregistered names: one unit per region and key, named by its longest spelling
unregistered as (
    select
        name_key,
        first_value(name_key) over (
            partition by coalesce(region_id, name_key), key_in_region
            order by {{ dbt.length('name_key') }} desc, name_key
            rows between unbounded preceding and unbounded following
        ) as department_name
    from keyed
    where registered_name is null
),

named as (
    select
        keyed.name_key,
        coalesce(keyed.registered_name, unregistered.department_name) as department_name,
        keyed.registered_name is not null as is_registered,
        keyed.region_id,
        keyed.region_basis,
        keyed.place_status
    from keyed
    left join unregistered on keyed.name_key = unregistered.name_key
)

select
    printed.printed_name,
    printed.name_key,
    named.department_name,
    {{ jixiao.surrogate_key(['named.department_name']) }} as department_id,
    named.is_registered,
    named.region_id,
    named.region_basis,
    named.place_status
from printed
inner join named on printed.name_key = named.name_key
