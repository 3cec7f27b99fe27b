{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
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
                             without unit is in the target's unit:
                             3 for <=2小时 is 3 小时):
                               >= > <= <   as printed
                               = or bare   the target is a floor
                                           (365天 meets =360天),
                                           except 0 and a 成本指标
                                           (cost) target: a ceiling
                               range       low <= actual <= high
                               approx      within 10% of the target
                             An actual printed with its own operator
                             (>=98%, <=1小时) is compared by its bound
                             when it points the target's way (>= for a
                             floor, <= for a ceiling) and the units
                             agree; otherwise it is not judged.
      units_differ           numbers in units that don't convert    -> null
      deadline               the actual's due year and month no later
                             than the target's (a deadline without a
                             year is in the form's year)            -> true/false
      actual_negates_target  a qualitative target the actual repeats
                             with a negation (不合格 for 合格, 有待提升
                             for 提升; seed qualitative_hedges, kind
                             negation)                              -> false
      actual_restates_target a qualitative target the actual repeats
                             (不断强化… for 强化…) with no hedge word
                             (基本稳定 for 稳定: kind hedge -> not judged);
                             words that only look negative (不断, 无误:
                             kind not_negation) are neither         -> true
      not_judged             anything else                          -> null
#}
with indicators as (
    select * from {{ ref('stg_raw__indicators') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

forms as (
    select evaluation_id, year from {{ ref('stg_raw__forms') }}
),

notations as (
    select * from {{ ref('int_notations_parsed') }}
),

categories as (
    select printed_key, is_cost from {{ ref('int_indicator_categories') }}
),

phrases as (
    select actual_text, actual_band, judgement from {{ ref('qualitative_actuals') }}
),

qualifiers as (
    select word, kind from {{ ref('qualitative_hedges') }}
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
        forms.year               as form_year,
        coalesce(categories.is_cost, false) as is_cost,
        target.operator          as target_operator,
        target.low               as target_low,
        target.high              as target_high,
        target.unit              as target_unit,
        target.due_year          as target_due_year,
        target.is_quantitative   as target_is_quantitative,
        target.operator_printed  as target_operator_printed,
        target.parse_status      as target_parse_status,
        actual.operator          as actual_operator,
        actual.low               as actual_low,
        actual.high              as actual_high,
        actual.unit              as actual_unit,
        actual.due_year          as actual_due_year,
        actual.is_quantitative   as actual_is_quantitative,
        actual.parse_status      as actual_parse_status,
        coalesce(target_conversion.base_unit, target.unit) as target_base_unit,
        coalesce(target_conversion.factor, 1)               as target_factor,
        -- An actual printed without unit is in the target's unit.
        case when actual.unit is null then coalesce(target_conversion.base_unit, target.unit)
             else coalesce(actual_conversion.base_unit, actual.unit) end as actual_base_unit,
        case when actual.unit is null then coalesce(target_conversion.factor, 1)
             else coalesce(actual_conversion.factor, 1) end as actual_factor
    from indicators
    left join forms on indicators.evaluation_id = forms.evaluation_id
    left join categories
        on {{ dbt.concat(["coalesce(indicators.level1_name, '')", "'|'", "coalesce(indicators.level2_name, '')"]) }}
            = categories.printed_key
    left join notations as target on indicators.target_notation = target.notation
    left join notations as actual on indicators.actual_notation = actual.notation
    left join conversions as target_conversion on target.unit = target_conversion.unit
    left join conversions as actual_conversion on actual.unit = actual_conversion.unit
),

with_phrases as (
    select
        joined.*,
        -- Which way the target points: a floor (the actual must reach it)
        -- or a ceiling (it must not exceed it). '=' and a bare number are a
        -- floor, except 0 and a cost (成本指标), which are ceilings.
        case
            when target_operator in ('>=', '>') then 'floor'
            when target_operator in ('<=', '<') then 'ceiling'
            when target_operator = '=' and (target_low = 0 or is_cost) then 'ceiling'
            when target_operator = '=' then 'floor'
        end as target_direction,
        phrases.actual_band,
        phrases.judgement as phrase_judgement
    from joined
    left join phrases on joined.actual_key = phrases.actual_text
),

-- A qualitative target whose text the actual repeats: what does the actual
-- add? A negation (不 in 不合格 for 合格, 有待 in 有待提升 for 提升) says the
-- target was not reached; a hedge (基本 in 基本稳定) that it was only in
-- part. A negation inside a not_negation phrase (不 in 不断) is no negation.
pairs as (
    select distinct
        target_key,
        actual_key,
        replace(actual_key, target_key, '') as added
    from with_phrases
    where target_operator = 'qualitative'
      and actual_key <> target_key
      and {{ dbt.position('target_key', 'actual_key') }} > 0
),

hits as (
    select
        pairs.target_key,
        pairs.actual_key,
        pairs.added,
        qualifiers.word,
        qualifiers.kind
    from pairs
    inner join qualifiers
        on qualifiers.kind in ('negation', 'hedge')
        and {{ dbt.position('qualifiers.word', 'pairs.added') }} > 0
),

-- A hit inside a not_negation phrase the actual adds (不 in 不断) is none.
harmless_hits as (
    select distinct hits.target_key, hits.actual_key, hits.word
    from hits
    inner join qualifiers as harmless
        on harmless.kind = 'not_negation'
        and {{ dbt.position('hits.word', 'harmless.word') }} > 0
        and {{ dbt.position('harmless.word', 'hits.added') }} > 0
),

qualified as (
    select hits.target_key, hits.actual_key, hits.kind
    from hits
    left join harmless_hits
        on hits.target_key = harmless_hits.target_key
        and hits.actual_key = harmless_hits.actual_key
        and hits.word = harmless_hits.word
    where harmless_hits.word is null
),

restatements as (
    select
        pairs.target_key,
        pairs.actual_key,
        count(case when qualified.kind = 'negation' then 1 end) > 0 as has_negation,
        count(case when qualified.kind = 'hedge' then 1 end) > 0 as has_hedge
    from pairs
    left join qualified
        on pairs.target_key = qualified.target_key
        and pairs.actual_key = qualified.actual_key
    group by pairs.target_key, pairs.actual_key
),

measured as (
    select
        with_phrases.*,
        restatements.has_negation,
        restatements.has_hedge,
        target_is_quantitative
            and actual_operator in ('=', '>=', '>', '<=', '<')
            and (actual_unit is null or target_unit is null or actual_base_unit = target_base_unit)
            as units_agree,
        -- The actual's value: a bare number's, or the bound an operator
        -- printed with it sets (>=98% -> 98, <=1小时 -> 1).
        case
            when actual_operator in ('>=', '>') then actual_low
            when actual_operator in ('<=', '<') then actual_high
            else actual_low
        end * actual_factor as actual_value_base,
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
            when units_agree and actual_operator = '=' then 'numeric_comparison'
            when units_agree and actual_operator in ('>=', '>') and target_direction = 'floor' then 'numeric_comparison'
            when units_agree and actual_operator in ('<=', '<') and target_direction = 'ceiling' then 'numeric_comparison'
            when units_agree then 'not_judged'
            when target_is_quantitative and actual_is_quantitative then 'units_differ'
            when target_operator = 'deadline' and actual_operator = 'deadline' then 'deadline'
            when has_negation then 'actual_negates_target'
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
    target_direction,
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
            case
                when target_operator = '>=' then actual_value_base >= target_low_base
                when target_operator = '>' then actual_value_base > target_low_base
                when target_operator = '<=' then actual_value_base <= target_high_base
                when target_operator = '<' then actual_value_base < target_high_base
                when target_operator = '=' and target_direction = 'ceiling' then actual_value_base <= target_high_base
                when target_operator = '=' then actual_value_base >= target_low_base
                when target_operator = 'range' then actual_value_base >= target_low_base and actual_value_base <= target_high_base
                when target_operator = 'approx' then abs(actual_value_base - target_low_base) <= 0.1 * target_low_base
            end
        when 'deadline' then
            coalesce(actual_due_year, form_year) * 12 + actual_high
                <= coalesce(target_due_year, form_year) * 12 + target_high
        when 'actual_negates_target' then false
        when 'actual_restates_target' then true
    end as target_met,
    target_met_basis
from judged
