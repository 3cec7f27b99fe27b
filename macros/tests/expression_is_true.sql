{# Fails on every row where `expression` is false. Rows where it is null
   pass unless `null_is_failure` (so optional values are not failures).
   Usable on a model or on a column (column_name is then only a label). #}
{% test expression_is_true(model, expression, column_name=none, null_is_failure=false) %}
select *
from {{ model }}
where
{%- if null_is_failure %}
    not coalesce({{ expression }}, false)
{%- else %}
    not ({{ expression }})
{%- endif %}
{% endtest %}
