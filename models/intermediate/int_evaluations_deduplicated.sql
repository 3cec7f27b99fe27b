{#
    One form per project and year. The same project (same implementing unit,
    same matched name, int_evaluation_projects) and year landed from two
    files — a re-published file, or the same form in a department's
    collection and on its own — is one evaluation: the newer file's form is
    kept, the other is a duplicate (reported in fct_duplicate_evaluation).
    Newer = ingested later (raw.forms.ingested_at); files ingested at the
    same time are ordered by name, the later name kept. Forms of one file
    are never duplicates of each other (a file prints one form per project;
    two of the same project-year in one file are the quality rule
    duplicate_project_year's business, and both are kept).
#}
with forms as (
    select evaluation_id, year, source_file, form_seq, ingested_at from {{ ref('stg_raw__forms') }}
),

projects as (
    select evaluation_id, project_id, department_id from {{ ref('int_evaluation_projects') }}
),

ranked as (
    select
        forms.evaluation_id,
        forms.year,
        projects.project_id,
        projects.department_id,
        forms.source_file,
        forms.form_seq,
        forms.ingested_at,
        dense_rank() over (
            partition by projects.project_id, forms.year
            order by forms.ingested_at desc, forms.source_file desc
        ) as file_rank,
        row_number() over (
            partition by projects.project_id, forms.year
            order by forms.ingested_at desc, forms.source_file desc, forms.form_seq
        ) as form_rank,
        count(*) over (partition by projects.project_id, forms.year) as n_forms_in_project_year
    from forms
    inner join projects on forms.evaluation_id = projects.evaluation_id
),

kept as (
    select project_id, year, evaluation_id as kept_evaluation_id
    from ranked
    where form_rank = 1
)

select
    ranked.evaluation_id,
    ranked.year,
    ranked.project_id,
    ranked.department_id,
    ranked.source_file,
    ranked.form_seq,
    ranked.ingested_at,
    ranked.file_rank = 1 as is_kept,
    case when ranked.file_rank = 1 then ranked.evaluation_id else kept.kept_evaluation_id end as kept_evaluation_id,
    ranked.n_forms_in_project_year
from ranked
inner join kept on ranked.project_id = kept.project_id and ranked.year = kept.year
