{{ jixiao.evaluation_keyed_config() }}
-- depends_on: {{ ref('int_evaluation_contexts') }}
{#
    评分复核 (score re-check), one row per indicator: the score the form's own
    numbers support under the national rules (财预〔2020〕10号), beside the
    score the unit claimed. recheck_rule says which rule re-derived it:
      met               target met -> the full weight
      qualitative_band  a missed qualitative result, scored at most its band's
                        ceiling (seed qualitative_band_ceilings: 部分达成 80%,
                        未达成 60% of the weight)
      nothing_delivered actual printed as a dash -> 0
      proportional      a missed quantitative target: a floor (">=", ">", "=",
                        approx, a range's low end) weight × actual ÷ target;
                        a ceiling ("<=", "<", a target of 0, a 成本指标's "=";
                        fct_indicator_result.target_direction, as target_met
                        judged it) and a range's high end
                        weight × target ÷ actual; in the target's unit
                        (seed unit_conversions), never above the weight
      not_rederived     no rule applies (target_met unknown, a missed deadline,
                        a missed affirmation): the claimed score is kept, so
                        the indicator adds nothing to the gap
#}
{%- set tolerance = var('score_tolerance') %}
with results as (
    select * from {{ ref('fct_indicator_result') }}
    {{- jixiao.where_refreshed('evaluation_id') }}
),

bands as (
    select actual_band, ceiling_share from {{ ref('qualitative_band_ceilings') }}
),

conversions as (
    select unit, factor from {{ ref('unit_conversions') }}
),

measured as (
    select
        results.*,
        bands.ceiling_share,
        coalesce(results.actual_low, results.actual_high)
            * case when results.actual_unit is null then 1 else coalesce(actual_conversion.factor, 1) end
            as actual_value,
        results.target_low
            * case when results.actual_unit is null then 1 else coalesce(target_conversion.factor, 1) end
            as target_floor,
        results.target_high
            * case when results.actual_unit is null then 1 else coalesce(target_conversion.factor, 1) end
            as target_ceiling
    from results
    left join bands on results.actual_band = bands.actual_band
    left join conversions as target_conversion on results.target_unit = target_conversion.unit
    left join conversions as actual_conversion on results.actual_unit = actual_conversion.unit
),

ruled as (
    select
        measured.*,
        case
            when weight is null or score is null then 'not_rederived'
            when target_met then 'met'
            when not target_met and ceiling_share is not null then 'qualitative_band'
            when not target_met and actual_parse_status = 'blank' then 'nothing_delivered'
            when not target_met and target_is_quantitative and actual_value is not null
                and target_operator in ('>=', '>', '=', '<=', '<', 'range', 'approx') then 'proportional'
            else 'not_rederived'
        end as recheck_rule,
        -- the share of the target achieved, for a missed quantitative target
        case
            when target_direction = 'ceiling'
                then {{ jixiao.safe_divide('coalesce(target_ceiling, target_floor)', 'actual_value') }}
            when target_operator = 'range' and actual_value > target_ceiling
                then {{ jixiao.safe_divide('target_ceiling', 'actual_value') }}
            when target_operator = 'approx' and actual_value > target_floor
                then {{ jixiao.safe_divide('target_floor', 'actual_value') }}
            else {{ jixiao.safe_divide('actual_value', 'target_floor') }}
        end as achieved_share
    from measured
),

derived as (
    select
        ruled.*,
        case recheck_rule
            when 'met' then weight
            when 'qualitative_band' then weight * ceiling_share
            when 'nothing_delivered' then 0
            when 'proportional' then weight * least(greatest(coalesce(achieved_share, 0), 0), 1)
            else score
        end as supported_raw
    from ruled
)

select
    indicator_id,
    evaluation_id,
    indicator_seq,
    year,
    project_id,
    department_id,
    indicator_name,
    target_text,
    actual_text,
    target_met,
    target_met_basis,
    recheck_rule,
    weight,
    score as score_claimed,
    cast(round(supported_raw, 4) as {{ jixiao.type_points() }}) as score_rederived,
    cast(round(score - supported_raw, 4) as {{ jixiao.type_points() }}) as score_gap,
    coalesce(score > supported_raw + {{ tolerance }}, false) as is_scored_above,
    recheck_rule <> 'not_rederived' as is_rederived
from derived
