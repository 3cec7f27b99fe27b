{#
    Engine-specific SQL, dispatched per adapter. The default implementations
    are DuckDB's; spark__ variants keep the models buildable on Spark.
    Patterns passed to the regex macros avoid backslashes (Spark string
    literals treat them as escapes): write [0-9], [.], [(] instead.
#}

{# True when `pattern` matches somewhere in `string` (anchor it with ^…$). #}
{% macro regexp_matches(string, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'jixiao')(string, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(string, pattern) -%}
    regexp_matches({{ string }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_matches(string, pattern) -%}
    ({{ string }} rlike '{{ pattern }}')
{%- endmacro %}

{# The text of capture group `group` of the first match, null when none. #}
{% macro regexp_extract(string, pattern, group=0) -%}
    {{ return(adapter.dispatch('regexp_extract', 'jixiao')(string, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_extract(string, pattern, group) -%}
    nullif(regexp_extract({{ string }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro spark__regexp_extract(string, pattern, group) -%}
    nullif(regexp_extract({{ string }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{# Every match of `pattern` replaced by the literal `replacement`. #}
{% macro regexp_replace_all(string, pattern, replacement='') -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'jixiao')(string, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(string, pattern, replacement) -%}
    regexp_replace({{ string }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{# Character-wise replacement (same length `from_chars` and `to_chars`). #}
{% macro translate_chars(string, from_chars, to_chars) -%}
    {{ return(adapter.dispatch('translate_chars', 'jixiao')(string, from_chars, to_chars)) }}
{%- endmacro %}

{% macro default__translate_chars(string, from_chars, to_chars) -%}
    translate({{ string }}, '{{ from_chars }}', '{{ to_chars }}')
{%- endmacro %}

{# Exact decimal types for money and points, the same on every engine. #}
{% macro type_amount() -%}decimal(20, 6){%- endmacro %}
{% macro type_yuan() -%}decimal(20, 2){%- endmacro %}
{% macro type_points() -%}decimal(10, 4){%- endmacro %}
{% macro type_measure() -%}decimal(20, 4){%- endmacro %}

{# numerator / denominator, null when the denominator is 0 or null; a
   decimal exact to at least 6 places, so that rounding it (round(…, 4)) is
   exact and the same on every engine. Spark divides decimals exactly (the
   default). DuckDB divides decimals as doubles, and 10.54 / 16 = 0.65875
   rounds to 0.6587 there: its quotient is computed on integers instead,
   truncated at 6 places (the operands have at most 6 decimals). #}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'jixiao')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    (cast(
        (cast(({{ numerator }}) * 1000000 as hugeint) * 1000000)
            // nullif(cast(({{ denominator }}) * 1000000 as hugeint), 0)
        as decimal(38, 0)) * 0.000001)
{%- endmacro %}

{# A stable text key: the md5 of the columns' values, joined with '|'.
   (dbt_utils.generate_surrogate_key without the package download.) #}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    substr({{ dbt.hash(dbt.concat(parts)) }}, 1, 16)
{%- endmacro %}

{# A SQL list of string literals, for `in (...)`. #}
{% macro string_list(values) -%}
    ({%- for value in values -%}'{{ value | replace("'", "''") }}'{%- if not loop.last -%}, {% endif -%}{%- endfor -%})
{%- endmacro %}

{# The alternatives of a regex group, from a list of literal words. #}
{% macro regex_alternatives(words) -%}
    ({{ words | join('|') }})
{%- endmacro %}
