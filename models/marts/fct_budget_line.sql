{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
-- 项目资金 (budget lines): one row per form and fund source, as printed and
-- in 元, with the form's year, unit and project. The 年度资金总额 / 总额 row
-- (is_total) is the sum of the others: sum the parts, or take the total,
-- never both (`where is_total` gives each form's money once).
with lines as (
    select * from {{ ref('stg_raw__budget_lines') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

evaluations as (
    select evaluation_id, year, project_id, department_id
    from {{ ref('int_evaluations_deduplicated') }}
    where is_kept
),

fund_sources as (
    select * from {{ ref('fund_sources') }}
)

select
    {{ dbt.concat(['lines.evaluation_id', "'-'", 'lines.fund_source']) }} as budget_line_id,
    lines.evaluation_id,
    evaluations.year,
    evaluations.project_id,
    evaluations.department_id,
    lines.fund_source,
    fund_sources.fund_source_zh,
    fund_sources.fund_source_en,
    fund_sources.is_total,
    cast(fund_sources.sort_order as {{ dbt.type_int() }}) as fund_source_order,
    lines.initial_amount,
    lines.full_year_amount,
    lines.executed_amount,
    lines.money_unit,
    lines.yuan_per_unit,
    lines.initial_yuan,
    lines.full_year_yuan,
    lines.executed_yuan,
    lines.source_ref
from lines
inner join evaluations on lines.evaluation_id = evaluations.evaluation_id
left join fund_sources on lines.fund_source = fund_sources.fund_source
