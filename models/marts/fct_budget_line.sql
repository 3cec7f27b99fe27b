-- 项目资金 (budget lines): one row per form and fund source, as printed and in 元.
select
    evaluation_id,
    fund_source,
    initial_amount,
    full_year_amount,
    executed_amount,
    money_unit,
    yuan_per_unit,
    initial_yuan,
    full_year_yuan,
    executed_yuan
from {{ ref('stg_raw__budget_lines') }}
