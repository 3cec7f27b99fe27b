{# Fails on every group (a form) and amount column where the parts (rows
   not flagged `is_total`) add up to more than the total row plus
   `tolerance` (a cent): e.g. fct_budget_line's fund sources and their
   年度资金总额. Groups without a total row or without parts are not checked. #}
{% test parts_not_above_total(model, group_by, is_total, amounts, tolerance=0.01) %}
with totals as (
    select
        {{ group_by }} as group_key,
        {%- for amount in amounts %}
        sum(case when {{ is_total }} then {{ amount }} end) as total_{{ amount }},
        sum(case when not {{ is_total }} then {{ amount }} end) as parts_{{ amount }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
    group by {{ group_by }}
)
{%- for amount in amounts %}
select group_key, '{{ amount }}' as amount, total_{{ amount }} as total, parts_{{ amount }} as parts
from totals
where parts_{{ amount }} > total_{{ amount }} + {{ tolerance }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endtest %}
