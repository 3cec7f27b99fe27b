-- 2. 未达成指标，按类别 — indicators whose target was not met, by category.
select
    c.level1_name,
    c.level2_name,
    count(*)                                                  as indicators,
    sum(case when r.target_met then 1 else 0 end)             as met,
    sum(case when not r.target_met then 1 else 0 end)         as not_met,
    sum(case when r.target_met is null then 1 else 0 end)     as not_judged
from marts.fct_indicator_result as r
join marts.dim_indicator_category as c on r.category_id = c.category_id
group by c.level1_name, c.level2_name, c.sort_order
order by c.sort_order
