-- 入库问题 (ingest problems): what the loaders rejected or warned about.
select
    source_file,
    source_sha256,
    cast(form_seq as {{ dbt.type_int() }}) as form_seq,
    cast(line_no as {{ dbt.type_int() }})  as line_no,
    error_code,
    severity,
    message,
    ingested_at
from {{ source('raw', 'ingest_errors') }}
