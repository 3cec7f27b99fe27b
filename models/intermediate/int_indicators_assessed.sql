{#
    Each indicator with its target and actual parsed, and target_met:
    whether the actual (实际完成值) meets the target (年度指标值).

    Decided in this order (target_met_basis says which rule decided):
      no_target              no target printed, or a dash           -> null
      no_actual              no actual printed                      -> null
      dash_actual            actual printed as a dash (—): nothing
                             was delivered                          -> false
      qualitative_band       达成(预期)指标 -> true; 部分达成…, 未达成…
                             -> false (seed qualitative_actuals)
      identical_text         actual printed exactly as the target   -> true
      affirmation            及时, 按时完成, 完成 … (same seed)      -> true
      numeric_comparison     a quantitative target and a number as
                             actual, in the same or a convertible
                             unit (seed unit_conversions; an actual
                             without unit takes the target's):
                               >= > <= <   as printed
                               = or bare   the target is a floor
                                           (365天 meets =360天),
                                           except 0, a ceiling
                               range       low <= actual <= high
                               approx      within 10% of the target
      units_differ           numbers in units that don't convert    -> null
      deadline               an actual deadline no later than the
                             target's due month                     -> true/false
      actual_restates_target a qualitative target the actual repeats
                             (不断强化… for 强化…) with no hedge word
                             (seed qualitative_hedges: 基本稳定)     -> true
      not_judged             anything else                          -> null
#}
with indicators as (
    select * from {{ ref('stg_raw__indicators') }}
),

notations as (
    select * from {{ ref('int_notations_parsed') }}
),

phrases as (
    select actual_text, actual_band, judgement from {{ ref('qualitative_actuals') }}
),

hedges as (
    select word from {{ ref('qualitative_hedges') }}
),

conversions as (
    select unit, base_unit, factor from {{ ref('unit_conversions') }}
),

joined as (
    select
        indicators.evaluation_id,
        indicators.indicator_seq,
        indicators.target_notation,
        indicators.actual_notation,
        {{ jixiao.strip_spaces('indicators.target_notation') }} as target_key,
        {{ jixiao.strip_spaces('indicators.actual_notation') }} as actual_key,
        target.operator          as target_operator,
        target.low               as target_low,
        target.high              as target_high,
        target.unit              as target_unit,
        target.is_quantitative   as target_is_quantitative,
        target.operator_printed  as target_operator_printed,
        target.parse_status      as target_parse_status,
        actual.operator          as actual_operator,
        actual.low               as actual_low,
        actual.high              as actual_high,
        actual.unit              as actual_unit,
        actual.is_quantitative   as actual_is_quantitative,
        actual.parse_status      as actual_parse_status,
        coalesce(target_conversion.base_unit, target.unit) as target_base_unit,
        coalesce(target_conversion.factor, 1)               as target_factor,
        coalesce(actual_conversion.base_unit, actual.unit)  as actual_base_unit,
        coalesce(actual_conversion.factor, 1)               as actual_factor
    from indicators
    left join notations as target on indicators.target_notation = target.notation
    left join notations as actual on indicators.actual_notation = actual.notation
    left join conversions as target_conversion on target.unit = target_conversion.unit
    left join conversions as actual_conversion on actual.unit = actual_conversion.unit
),

with_phrases as (
    select
        joined.*,
        phrases.actual_band,
        phrases.judgement as phrase_judgement
    from joined
    left join phrases on joined.actual_key = phrases.actual_text
),

-- A qualitative target whose text the actual repeats: is there a hedge
-- word in what the actual adds (基本 in 基本稳定 for 稳定)?
restatements as (
    select
        pairs.target_key,
        pairs.actual_key,
        count(hedges.word) > 0 as has_hedge
    from (
        select distinct target_key, actual_key
        from with_phrases
        where target_operator = 'qualitative'
          and actual_key <> target_key
          and {{ dbt.position('target_key', 'actual_key') }} > 0
    ) as pairs
    left join hedges
        on {{ dbt.position('hedges.word', "replace(pairs.actual_key, pairs.target_key, '')") }} > 0
    group by pairs.target_key, pairs.actual_key
),

measured as (
    select
        with_phrases.*,
        restatements.has_hedge,
        actual_operator = '='
            and actual_low is not null
            and target_is_quantitative
            and (actual_unit is null or target_unit is null or actual_base_unit = target_base_unit)
            as comparable,
        actual_low * actual_factor  as actual_value_base,
        target_low * target_factor  as target_low_base,
        target_high * target_factor as target_high_base
    from with_phrases
    left join restatements
        on with_phrases.target_key = restatements.target_key
        and with_phrases.actual_key = restatements.actual_key
),

judged as (
    select
        measured.*,
        case
            when target_parse_status is null or target_parse_status = 'blank' then 'no_target'
            when actual_notation is null then 'no_actual'
            when actual_parse_status = 'blank' then 'dash_actual'
            when actual_band is not null then 'qualitative_band'
            when actual_key = target_key then 'identical_text'
            when phrase_judgement is not null then 'affirmation'
            when comparable then 'numeric_comparison'
            when target_is_quantitative and actual_is_quantitative then 'units_differ'
            when target_operator = 'deadline' and actual_operator = 'deadline' then 'deadline'
            when has_hedge = false then 'actual_restates_target'
            else 'not_judged'
        end as target_met_basis
    from measured
)

select
    evaluation_id,
    indicator_seq,
    target_notation,
    actual_notation,
    target_operator,
    target_low,
    target_high,
    target_unit,
    target_is_quantitative,
    target_operator_printed,
    target_parse_status,
    actual_operator,
    actual_low,
    actual_high,
    actual_unit,
    actual_is_quantitative,
    actual_parse_status,
    actual_band,
    case target_met_basis
        when 'dash_actual' then false
        when 'qualitative_band' then phrase_judgement = 'met'
        when 'affirmation' then phrase_judgement = 'met'
        when 'identical_text' then true
        when 'numeric_comparison' then
            case target_operator
                when '>=' then actual_value_base >= target_low_base
                when '>' then actual_value_base > target_low_base
                when '<=' then actual_value_base <= target_high_base
                when '<' then actual_value_base < target_high_base
                when '=' then
                    case when target_low_base = 0
                        then actual_value_base <= target_low_base
                        else actual_value_base >= target_low_base
                    end
                when 'range' then actual_value_base >= target_low_base and actual_value_base <= target_high_base
                when 'approx' then abs(actual_value_base - target_low_base) <= 0.1 * target_low_base
            end
        when 'deadline' then actual_high <= target_high
        when 'actual_restates_target' then true
    end as target_met,
    target_met_basis
from judged
