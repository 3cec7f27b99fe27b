-- 绩效指标 (indicators): printed text kept, plus the target and actual in
-- normalised notation (full-width -> half-width, one spelling per operator).
-- A target printed in three cells (指标性质 / 指标值 / 度量单位: the landed
-- target_operator, target_value, target_unit) is read from those cells: its
-- notation is the operator as printed (when it is a comparison sign), the
-- value and the unit, so the parser needs no guess; target_text stays as
-- printed, for display.
{%- set comparison_signs = ['>=', '>', '=', '<=', '<'] %}
with source as (
    select * from {{ source('raw', 'indicators') }}
),

cells as (
    select
        source.*,
        {{ jixiao.normalise_notation('target_operator') }} as operator_cell_notation,
        {{ jixiao.normalise_notation('target_value') }}    as value_cell_notation,
        {{ jixiao.normalise_notation('target_unit') }}     as unit_cell_notation
    from source
)

select
    cast(form_id as {{ dbt.type_string() }})           as evaluation_id,
    cast(indicator_seq as {{ dbt.type_int() }})        as indicator_seq,
    nullif(trim(level1), '')                           as level1_name,
    nullif(trim(level2), '')                           as level2_name,
    trim(name)                                         as indicator_name,
    target                                             as target_text,
    actual                                             as actual_text,
    case
        when value_cell_notation is not null then
            {{ dbt.concat([
                "case when " ~ jixiao.strip_spaces('operator_cell_notation') ~ " in " ~ jixiao.string_list(comparison_signs)
                    ~ " then " ~ jixiao.strip_spaces('operator_cell_notation') ~ " else '' end",
                'value_cell_notation',
                "coalesce(unit_cell_notation, '')"]) }}
        else {{ jixiao.normalise_notation('target') }}
    end                                                as target_notation,
    {{ jixiao.normalise_notation('actual') }}          as actual_notation,
    cast(weight as {{ jixiao.type_points() }})         as weight,
    cast(score as {{ jixiao.type_points() }})          as score,
    nullif(trim(deviation_reason), '')                 as deviation_reason,
    cast(line_no as {{ dbt.type_int() }})              as line_no,
    source_ref,
    nullif(trim(target_operator), '')                  as target_operator_cell,
    nullif(trim(target_value), '')                     as target_value_cell,
    nullif(trim(target_unit), '')                      as target_unit_cell,
    uncertain,
    uncertain_reason
from cells
