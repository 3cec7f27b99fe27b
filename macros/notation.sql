{#
    Text normalisation of the printed notation (年度指标值 / 实际完成值, names).
#}

{# Every kind of space removed: ASCII space, tab, no-break and ideographic
   space (line wraps put spaces inside numbers and units: "≥6.00 (次)"). #}
{% macro strip_spaces(column) -%}
    {{ jixiao.regexp_replace_all(column, '[ 	 　]+', '') }}
{%- endmacro %}

{# Full-width -> half-width where it is notation (digits, decimal point,
   percent, brackets, comparison signs, range dashes), and one spelling per
   operator: ≥ ≧ -> >=, ≤ ≦ -> <=, ═ ＝ -> =. Prose (Chinese commas) stays. #}
{% macro normalise_notation(column) -%}
    {%- set translated = jixiao.translate_chars(
        column,
        '０１２３４５６７８９．％（）＞＜＝═－～',
        '0123456789.%()><==-~'
    ) -%}
    nullif(trim(
        replace(replace(replace(replace({{ translated }},
            '≥', '>='), '≧', '>='), '≤', '<='), '≦', '<=')
    ), '')
{%- endmacro %}

{# A name as matched across documents: notation normalised, spaces removed. #}
{% macro name_key(column) -%}
    {{ jixiao.strip_spaces(jixiao.normalise_notation(column)) }}
{%- endmacro %}
