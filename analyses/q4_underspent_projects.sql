-- 4. 结余最多的项目 — the five projects that spent less than 90% of their
--    full-year budget and left the most money unspent.
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
limit 5
