{#
    Custom schemas are used exactly as named (`marts`, not `main_marts`):
    analysts and the dashboard query marts.fct_evaluation whatever the
    target's default schema is.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
