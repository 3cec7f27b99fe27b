{{ config(materialized=jixiao.incremental_materialization(), incremental_strategy='append', on_schema_change='fail') }}
{#
    年度指标值 / 实际完成值 notation -> operator, low, high, unit.

    Forms recognised (on the text with spaces removed), in this order:
      blank        — nothing printed, or a dash (vars notation.blank_markers)
      deadline     — N月底前 (due by the end of month N), N月前 (due before
                     month N: by the end of month N-1), 年底前 (month 12);
                     high = the due month, low = an earlier due month printed
                     first (分别8月底及12月底前完成 -> low 8, high 12); unit 月;
                     due_year = a year printed with it (2024年3月底前 -> 2024),
                     else null (the form's own year)
      range        — 300-400人, 1-2批次: low and high
      approx       — 约30人: low = high = 30
      comparison   — [>= > = <= <]number[unit][(annotation)]: >=, > set low;
                     <=, < set high; = and a bare number (95%) set both.
                     The unit is attached (人, 学时, 期/月) or in brackets
                     ((%), (人次)); a bracket holding digits is an annotation
                     (100% (2023 年 12 月)) and is ignored.
      qualitative  — text without digits (及时, 健全, 达成指标)
      unparsed     — anything else (text with numbers that fits no form,
                     e.g. compound targets 1小时内响应，3小时内抵达现场)
#}
{%- set nv = var('notation') -%}
{%- set num = '[0-9]+(?:[.][0-9]+)?' -%}
{%- set unit = '(?:[(][^0-9()]+[)]|[^0-9()]*)' -%}
{%- set comparison_re = '^(>=|<=|>|<|=)?(' ~ num ~ ')(' ~ unit ~ ')(?:[(][^()]*[0-9][^()]*[)])?$' -%}
{%- set range_re = '^(' ~ num ~ ')(' ~ unit ~ ')[-~](' ~ num ~ ')(' ~ unit ~ ')$' -%}
{%- set approx_re = '^' ~ jixiao.regex_alternatives(nv.approx_prefixes) ~ '(' ~ num ~ ')(' ~ unit ~ ')$' -%}
{%- set month_end_re = '([0-9]{1,2})' ~ nv.month_end_deadline -%}
{%- set before_month_re = '([0-9]{1,2})' ~ nv.before_month_deadline -%}
{%- set year_end_re = jixiao.regex_alternatives(nv.year_end_deadlines) -%}
{%- set first_month_re = '([0-9]{1,2})' ~ nv.month -%}
{%- set deadline_year_re = '((19|20)[0-9]{2})' ~ nv.deadline_year -%}

with notations as (
    select notation from {{ ref('int_notations') }}
    {%- if is_incremental() %}
    where notation not in (select notation from {{ this }})
    {%- endif %}
),

prepared as (
    select
        notation,
        {{ jixiao.strip_spaces('notation') }} as n
    from notations
),

classified as (
    select
        notation,
        n,
        case
            when n is null or n = '' or n in {{ jixiao.string_list(nv.blank_markers) }} then 'blank'
            when {{ jixiao.regexp_matches('n', month_end_re) }}
              or {{ jixiao.regexp_matches('n', before_month_re) }}
              or {{ jixiao.regexp_matches('n', year_end_re) }} then 'deadline'
            when {{ jixiao.regexp_matches('n', range_re) }} then 'range'
            when {{ jixiao.regexp_matches('n', approx_re) }} then 'approx'
            when {{ jixiao.regexp_matches('n', comparison_re) }} then 'comparison'
            when not {{ jixiao.regexp_matches('n', '[0-9]') }} then 'qualitative'
            else 'unparsed'
        end as notation_form
    from prepared
),

extracted as (
    select
        notation,
        notation_form,
        case when notation_form = 'comparison'
            then {{ jixiao.regexp_extract('n', comparison_re, 1) }} end as printed_operator,
        case notation_form
            when 'comparison' then {{ jixiao.regexp_extract('n', comparison_re, 2) }}
            when 'range' then {{ jixiao.regexp_extract('n', range_re, 1) }}
            when 'approx' then {{ jixiao.regexp_extract('n', approx_re, 2) }}
        end as first_number,
        case when notation_form = 'range'
            then {{ jixiao.regexp_extract('n', range_re, 3) }} end as second_number,
        case notation_form
            when 'comparison' then {{ jixiao.regexp_extract('n', comparison_re, 3) }}
            when 'range' then coalesce(
                {{ jixiao.regexp_extract('n', range_re, 4) }},
                {{ jixiao.regexp_extract('n', range_re, 2) }})
            when 'approx' then {{ jixiao.regexp_extract('n', approx_re, 3) }}
            when 'deadline' then '{{ nv.month }}'
        end as unit_printed,
        case
            when notation_form <> 'deadline' then null
            when {{ jixiao.regexp_matches('n', month_end_re) }}
                then cast({{ jixiao.regexp_extract('n', month_end_re, 1) }} as {{ dbt.type_int() }})
            when {{ jixiao.regexp_matches('n', before_month_re) }}
                then cast({{ jixiao.regexp_extract('n', before_month_re, 1) }} as {{ dbt.type_int() }}) - 1
            else 12
        end as due_month,
        case when notation_form = 'deadline'
            then cast({{ jixiao.regexp_extract('n', first_month_re, 1) }} as {{ dbt.type_int() }}) end as first_month,
        case when notation_form = 'deadline'
            then cast({{ jixiao.regexp_extract('n', deadline_year_re, 1) }} as {{ dbt.type_int() }}) end as due_year
    from classified
),

valued as (
    select
        notation,
        notation_form,
        case
            when notation_form = 'comparison' then coalesce(printed_operator, '=')
            when notation_form in ('range', 'approx', 'deadline', 'qualitative') then notation_form
        end as operator,
        printed_operator is not null as operator_printed,
        {{ dbt.safe_cast('first_number', jixiao.type_measure()) }} as first_value,
        {{ dbt.safe_cast('second_number', jixiao.type_measure()) }} as second_value,
        nullif(replace(replace(unit_printed, '(', ''), ')', ''), '') as unit,
        due_month,
        first_month,
        due_year
    from extracted
)

select
    notation,
    operator,
    case
        when operator in ('>=', '>', '=', 'range', 'approx') then first_value
        when operator = 'deadline' and first_month < due_month
            then cast(first_month as {{ jixiao.type_measure() }})
    end as low,
    case
        when operator in ('<=', '<', '=', 'approx') then first_value
        when operator = 'range' then second_value
        when operator = 'deadline' then cast(due_month as {{ jixiao.type_measure() }})
    end as high,
    unit,
    due_year,
    coalesce(operator in ('>=', '>', '=', '<=', '<', 'range', 'approx'), false) as is_quantitative,
    operator_printed,
    case notation_form
        when 'blank' then 'blank'
        when 'unparsed' then 'unparsed'
        else 'parsed'
    end as parse_status
from valued
