{#
    Every department name printed (主管部门 and 实施单位) -> its canonical
    department. Names are matched with notation normalised and spaces removed;
    seed department_name_variants maps spellings onto one unit
    (中共上海闵行区组织部 = 中共上海市闵行区委组织部). A name not in the seed
    is its own department, under its normalised spelling.
#}
with forms as (
    select supervising_department, implementing_unit from {{ ref('stg_raw__forms') }}
),

printed as (
    select supervising_department as printed_name from forms where supervising_department is not null
    union
    select implementing_unit as printed_name from forms where implementing_unit is not null
),

variants as (
    select
        {{ jixiao.name_key('printed_name') }} as name_key,
        department_name
    from {{ ref('department_name_variants') }}
),

matched as (
    select
        printed.printed_name,
        {{ jixiao.name_key('printed.printed_name') }} as name_key,
        variants.department_name as registered_name
    from printed
    left join variants on {{ jixiao.name_key('printed.printed_name') }} = variants.name_key
)

select
    printed_name,
    name_key,
    coalesce(registered_name, name_key) as department_name,
    {{ jixiao.surrogate_key(['coalesce(registered_name, name_key)']) }} as department_id,
    registered_name is not null as is_registered
from matched
