{#
    Printed indicator categories (一级/二级指标) mapped onto the national
    taxonomy (seed indicator_taxonomy). Preference:
      0  the printed 二级 under the printed 一级 (the taxonomy as is)
      1  the printed 二级 under another 一级 (a misplaced category: the
         二级 decides; 成本指标 is 二级 of 产出指标 and a 一级 of its own)
      2  the 一级 alone (no 二级 printed, or one outside the taxonomy)
    is_cost: a 成本指标 (产出指标/成本指标, or 成本指标 as a 一级): its
    numbers are ceilings (int_indicators_assessed).
#}
with printed as (
    select distinct level1_name, level2_name
    from {{ ref('stg_raw__indicators') }}
),

keyed as (
    select
        level1_name,
        level2_name,
        {{ dbt.concat(["coalesce(level1_name, '')", "'|'", "coalesce(level2_name, '')"]) }} as printed_key
    from printed
),

taxonomy as (
    select * from {{ ref('indicator_taxonomy') }}
),

candidates as (
    select
        keyed.printed_key,
        taxonomy.category_id,
        taxonomy.sort_order,
        taxonomy.level1_code = 'cost' or taxonomy.level2_code = 'cost' as is_cost,
        case when taxonomy.level1_name = keyed.level1_name then 0 else 1 end as preference
    from keyed
    inner join taxonomy on taxonomy.level2_name = keyed.level2_name

    union all

    select
        keyed.printed_key,
        taxonomy.category_id,
        taxonomy.sort_order,
        taxonomy.level1_code = 'cost' as is_cost,
        2 as preference
    from keyed
    inner join taxonomy
        on taxonomy.level1_name = keyed.level1_name
        and taxonomy.level2_name is null
),

ranked as (
    select
        printed_key,
        category_id,
        is_cost,
        preference,
        row_number() over (partition by printed_key order by preference, sort_order) as rank_in_key
    from candidates
)

select
    keyed.level1_name,
    keyed.level2_name,
    keyed.printed_key,
    ranked.category_id,
    ranked.preference = 1 as is_misplaced,
    coalesce(ranked.is_cost, false) as is_cost
from keyed
left join ranked
    on keyed.printed_key = ranked.printed_key
    and ranked.rank_in_key = 1
