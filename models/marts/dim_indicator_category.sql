-- 指标类别 (indicator categories): the national taxonomy of 一级/二级指标
-- (seed indicator_taxonomy, 财预〔2020〕10号 plus the newer 成本指标 level).
select
    category_id,
    level1_name,
    level2_name,
    level1_code,
    level2_code,
    cast(sort_order as {{ dbt.type_int() }}) as sort_order,
    level2_name is null as is_level1_only
from {{ ref('indicator_taxonomy') }}
