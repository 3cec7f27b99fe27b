-- 3. 跨年度项目得分变化 — projects evaluated in more than one year, and how
--    their execution rate and total score moved.
select
    p.project_name,
    d.department_name                   as unit,
    e.year,
    e.execution_rate_pct,
    e.total_score,
    e.total_score - lag(e.total_score) over (partition by p.project_id order by e.year) as score_change
from marts.dim_project as p
join marts.fct_evaluation as e on e.project_id = p.project_id
join marts.dim_department as d on p.department_id = d.department_id
where p.n_years > 1
order by p.project_name, e.year
