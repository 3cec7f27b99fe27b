-- 5. 未达成却得满分 — indicators whose actual misses the target yet scored
--    the full weight.
select
    r.year,
    e.project_name,
    r.indicator_name,
    r.target_text,
    r.actual_text,
    r.weight,
    r.score,
    r.deviation_reason
from marts.fct_indicator_result as r
join marts.fct_evaluation as e on r.evaluation_id = e.evaluation_id
where r.target_met = false and r.score >= r.weight
order by r.year, e.project_name, r.indicator_seq
