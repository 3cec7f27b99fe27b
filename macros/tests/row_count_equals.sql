{# Fails when `model` and `compare_model` hold a different number of rows
   (e.g. every landed indicator reaches fct_indicator_result). #}
{% test row_count_equals(model, compare_model) %}
with counts as (
    select
        (select count(*) from {{ model }})         as model_rows,
        (select count(*) from {{ compare_model }}) as compare_rows
)
select * from counts where model_rows <> compare_rows
{% endtest %}
