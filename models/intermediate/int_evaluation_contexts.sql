{#
    Every landed form with what its rows in the marts depend on beyond its own
    file's content: its project and departments (int_evaluation_projects) and
    whether it is the kept form of its project and year
    (int_evaluations_deduplicated). is_refreshed: this build recomputes the
    form's rows in the incremental models (macros/incremental.sql) — a form
    that is new (a new or changed file: the form's id is its file's content
    hash and its place in the file), or whose context changed since the last
    build (a newer file of the same project-year arrived or left, a unit's
    canonical name changed); every form on a full build (--full-refresh, or
    no earlier build in this warehouse).

    The previous build's contexts are this table as it stands before this
    build replaces it (a table is built beside the old one and swapped in).
#}
with forms as (
    select evaluation_id, source_file, year from {{ ref('stg_raw__forms') }}
),

deduplicated as (
    select evaluation_id, is_kept, kept_evaluation_id, n_forms_in_project_year
    from {{ ref('int_evaluations_deduplicated') }}
),

projects as (
    select evaluation_id, project_id, department_id, supervising_department_id
    from {{ ref('int_evaluation_projects') }}
),

contexts as (
    select
        forms.evaluation_id,
        forms.source_file,
        forms.year,
        projects.project_id,
        projects.department_id,
        projects.supervising_department_id,
        deduplicated.is_kept,
        deduplicated.kept_evaluation_id,
        deduplicated.n_forms_in_project_year,
        {{ jixiao.surrogate_key([
            'forms.year', 'projects.project_id', 'projects.department_id', 'projects.supervising_department_id',
            'deduplicated.is_kept', 'deduplicated.kept_evaluation_id', 'deduplicated.n_forms_in_project_year',
        ]) }} as context_key
    from forms
    left join projects on forms.evaluation_id = projects.evaluation_id
    left join deduplicated on forms.evaluation_id = deduplicated.evaluation_id
)

{%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) if execute else none %}
{%- if previous is not none and not flags.FULL_REFRESH and target.type == 'duckdb' %}

select
    contexts.*,
    previous.evaluation_id is null or previous.context_key <> contexts.context_key as is_refreshed
from contexts
left join {{ previous }} as previous on contexts.evaluation_id = previous.evaluation_id
{%- else %}

select contexts.*, true as is_refreshed
from contexts
{%- endif %}
