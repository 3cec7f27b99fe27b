-- 4. 执行率低于 90% 的项目 — projects that spent less than 90% of their
--    full-year budget, and how much was left unspent.
select
    e.year,
    e.implementing_unit,
    e.project_name,
    e.execution_rate_pct,
    round((e.budget_full_year_yuan - e.executed_yuan) / 10000, 2) as unspent_wan,
    e.budget_score
from marts.fct_evaluation as e
where e.execution_rate_computed_pct < 90
order by e.budget_full_year_yuan - e.executed_yuan desc
