-- 重复自评表 (duplicate evaluations): one row per form left out of the marts
-- because a newer file printed the same project and year (see
-- int_evaluations_deduplicated), beside the form kept in its place.
with dedup as (
    select * from {{ ref('int_evaluations_deduplicated') }}
),

forms as (
    select evaluation_id, project_name, implementing_unit, total_score
    from {{ ref('stg_raw__forms') }}
)

select
    dropped.evaluation_id,
    dropped.year,
    dropped.project_id,
    dropped.department_id,
    dropped_form.project_name,
    dropped_form.implementing_unit,
    dropped.source_file,
    dropped.form_seq,
    dropped_form.total_score,
    dropped.kept_evaluation_id,
    kept.source_file   as kept_source_file,
    kept.form_seq      as kept_form_seq,
    kept_form.total_score as kept_total_score
from dedup as dropped
inner join dedup as kept on dropped.kept_evaluation_id = kept.evaluation_id
inner join forms as dropped_form on dropped.evaluation_id = dropped_form.evaluation_id
inner join forms as kept_form on kept.evaluation_id = kept_form.evaluation_id
where not dropped.is_kept
