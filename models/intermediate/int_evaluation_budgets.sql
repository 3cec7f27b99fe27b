{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
-- Each form's money from its 年度资金总额 (total) line, in 元, with the
-- execution rate recomputed (macro execution_rate_pct: 全年执行数 ÷ 全年预算数 × 100).
with lines as (
    select * from {{ ref('stg_raw__budget_lines') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

fund_sources as (
    select fund_source from {{ ref('fund_sources') }} where is_total
)

select
    lines.evaluation_id,
    lines.initial_yuan   as budget_initial_yuan,
    lines.full_year_yuan as budget_full_year_yuan,
    lines.executed_yuan,
    {{ jixiao.execution_rate_pct('lines.executed_yuan', 'lines.full_year_yuan') }} as execution_rate_computed_pct
from lines
inner join fund_sources on lines.fund_source = fund_sources.fund_source
