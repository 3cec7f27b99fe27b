{# Fails when `model` and `compare_model` hold a different number of rows
   (e.g. every landed indicator reaches fct_indicator_result); with
   `compare_filter`, only the compare_model's rows where it holds count. #}
{% test row_count_equals(model, compare_model, compare_filter=none) %}
with counts as (
    select
        (select count(*) from {{ model }})         as model_rows,
        (select count(*) from {{ compare_model }}
         {%- if compare_filter %} where {{ compare_filter }}{% endif %}) as compare_rows
)
select * from counts where model_rows <> compare_rows
{% endtest %}
