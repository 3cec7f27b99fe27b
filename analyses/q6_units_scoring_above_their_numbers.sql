-- 6. 自评分虚高 — which units score themselves highest above what their own
--    numbers support? Per unit and year: points claimed, points the forms'
--    own numbers support under the national rules, the gap, and the share of
--    indicators scored above what their result supports.
select
    g.department_name                       as unit,
    g.year,
    g.n_evaluations                         as forms,
    round(g.points_claimed, 2)              as points_claimed,
    round(g.points_rederived, 2)            as points_rederived,
    round(g.score_gap, 2)                   as score_gap,
    round(g.points_above, 2)                as points_above,
    g.n_indicators_above                    as indicators_above,
    round(100 * g.share_indicators_above, 1) as indicators_above_pct
from marts.agg_unit_year_score_gap as g
order by g.score_gap desc, g.department_name, g.year
