-- 项目资金 (budget lines): amounts as printed and converted to 元 with the
-- form's money unit (万元 × 10000, 元 × 1; seed money_units).
with lines as (
    select * from {{ source('raw', 'budget_lines') }}
),

forms as (
    select form_id, trim(money_unit) as money_unit from {{ source('raw', 'forms') }}
),

units as (
    select money_unit, yuan_per_unit from {{ ref('money_units') }}
)

select
    cast(lines.form_id as {{ dbt.type_string() }})                       as evaluation_id,
    lines.fund_source,
    forms.money_unit,
    units.yuan_per_unit,
    cast(lines.initial_amount as {{ jixiao.type_amount() }})             as initial_amount,
    cast(lines.full_year_amount as {{ jixiao.type_amount() }})           as full_year_amount,
    cast(lines.executed_amount as {{ jixiao.type_amount() }})            as executed_amount,
    cast(lines.initial_amount * units.yuan_per_unit as {{ jixiao.type_yuan() }})   as initial_yuan,
    cast(lines.full_year_amount * units.yuan_per_unit as {{ jixiao.type_yuan() }}) as full_year_yuan,
    cast(lines.executed_amount * units.yuan_per_unit as {{ jixiao.type_yuan() }})  as executed_yuan,
    -- 元 as the loader computed them, kept to cross-check the conversion.
    lines.initial_yuan                                                   as landed_initial_yuan,
    lines.full_year_yuan                                                 as landed_full_year_yuan,
    lines.executed_yuan                                                  as landed_executed_yuan,
    lines.source_ref
from lines
inner join forms on lines.form_id = forms.form_id
left join units on forms.money_unit = units.money_unit
