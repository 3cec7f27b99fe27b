-- Each form's money from its 年度资金总额 (total) line, in 元, with the
-- execution rate recomputed: 全年执行数 ÷ 全年预算数 × 100.
with lines as (
    select * from {{ ref('stg_raw__budget_lines') }}
)

select
    evaluation_id,
    initial_yuan   as budget_initial_yuan,
    full_year_yuan as budget_full_year_yuan,
    executed_yuan,
    cast(round({{ jixiao.safe_divide('executed_yuan * 100', 'full_year_yuan') }}, 4)
        as {{ jixiao.type_points() }}) as execution_rate_computed_pct
from lines
where fund_source = 'total'
