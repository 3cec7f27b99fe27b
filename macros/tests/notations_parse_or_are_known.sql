{# Fails on every unparsed target or actual (`side`) that seed `known`
   does not list as knowingly unparsed. #}
{% test notations_parse_or_are_known(model, side, known) %}
select distinct {{ side }}_notation as notation
from {{ model }}
where {{ side }}_parse_status = 'unparsed'
  and {{ side }}_notation not in (
      select notation from {{ known }} where side = '{{ side }}'
  )
{% endtest %}
