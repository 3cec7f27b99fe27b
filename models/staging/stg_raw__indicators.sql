-- 绩效指标 (indicators): printed text kept, plus the target and actual in
-- normalised notation (full-width -> half-width, one spelling per operator).
with source as (
    select * from {{ source('raw', 'indicators') }}
)

select
    cast(form_id as {{ dbt.type_string() }})           as evaluation_id,
    cast(indicator_seq as {{ dbt.type_int() }})        as indicator_seq,
    nullif(trim(level1), '')                           as level1_name,
    nullif(trim(level2), '')                           as level2_name,
    trim(name)                                         as indicator_name,
    target                                             as target_text,
    actual                                             as actual_text,
    {{ jixiao.normalise_notation('target') }}          as target_notation,
    {{ jixiao.normalise_notation('actual') }}          as actual_notation,
    cast(weight as {{ jixiao.type_points() }})         as weight,
    cast(score as {{ jixiao.type_points() }})          as score,
    nullif(trim(deviation_reason), '')                 as deviation_reason,
    cast(line_no as {{ dbt.type_int() }})              as line_no,
    source_ref
from source
