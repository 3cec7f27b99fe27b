"""Ingest engines other than the default (DuckDB on one machine, ingest.pipeline).

Every engine parses with the same pure functions (``ingest.pipeline.parse_bytes``
→ ``ingest.landing.file_rows``) and writes the same landing zone: one Parquet
dataset per ``raw`` table, with the columns and types of ``ingest.landing.SCHEMAS``.
"""
