-- Every distinct target (年度指标值) and actual (实际完成值), in normalised
-- notation: the input of the notation parser.
with indicators as (
    select target_notation, actual_notation from {{ ref('stg_raw__indicators') }}
),

notations as (
    select target_notation as notation from indicators where target_notation is not null
    union
    select actual_notation as notation from indicators where actual_notation is not null
)

select notation from notations
