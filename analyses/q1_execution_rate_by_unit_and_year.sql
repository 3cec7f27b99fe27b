-- 1. 各单位各年度预算执行率 — execution rate by implementing unit and year
--    (money summed over the unit's forms, in 元; the rate by the warehouse's
--    one definition, marts.execution_rate_pct, macros/metrics.sql).
select
    d.department_name                                       as unit,
    e.year,
    count(*)                                                as forms,
    round(sum(e.budget_full_year_yuan) / 10000, 2)          as full_year_wan,
    round(sum(e.executed_yuan) / 10000, 2)                  as executed_wan,
    marts.execution_rate_pct(sum(e.executed_yuan), sum(e.budget_full_year_yuan), 2) as execution_rate_pct
from marts.fct_evaluation as e
join marts.dim_department as d on e.department_id = d.department_id
group by d.department_name, e.year
order by e.year, d.department_name
