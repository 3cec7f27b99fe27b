"""The Spark column of ``make bench``: the same corpus ingested and built on a
local Spark session (``local[*]``: both cores), beside DuckDB.

Each step runs in its own process (``python -m bench.spark STEP ...``, not
``python -c``: pyspark exits such a process at import), measured like the
other benchmark steps (wall time, peak RSS of the whole process tree: the
Python driver, Spark's JVM and its Python workers). The step also records
what it measured inside (JVM and session start, the work itself) in
``<out>/spark_<step>.json``.

    run_spark_ingest(corpus_docs, out)   # jixiao ingest --engine spark -> out/landing
    run_spark_dbt(out / "landing", out)  # dbt build --target spark on that landing zone
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from bench.run import PY, measure


# -- the steps, each in its own process -------------------------------------------
def ingest_step(docs: Path, out: Path) -> int:
    from ingest.engines.spark import ingest_spark
    from jixiao.spark import spark_session

    started = time.perf_counter()
    spark = spark_session()
    session = time.perf_counter() - started
    report = ingest_spark(spark, [docs], out / "landing")
    inner = {"session_seconds": round(session, 2), "work_seconds": round(report.seconds, 2),
             "files": report.files, "forms": report.forms_landed, "forms_rejected": report.forms_rejected}
    (out / "spark_ingest.json").write_text(json.dumps(inner))
    spark.stop()
    return report.exit_code


def dbt_step(landing: Path, out: Path) -> int:
    from jixiao.spark import spark_session
    from jixiao.spark_build import WAREHOUSE_DIR, run_dbt_spark

    started = time.perf_counter()
    spark = spark_session(warehouse_dir=out / WAREHOUSE_DIR)
    session = time.perf_counter() - started
    outcome = run_dbt_spark(["build"], landing, target_dir=out / "dbt")
    inner = {"session_seconds": round(session, 2), "work_seconds": round(time.perf_counter() - started - session, 2),
             "dbt_passed": outcome.passed, "dbt_failed": outcome.failed}
    (out / "spark_dbt.json").write_text(json.dumps(inner))
    spark.stop()
    return 0 if outcome.success else 2


# -- what make bench calls ------------------------------------------------------
def _step(name: str, source: Path, out: Path, ok: tuple[int, ...]) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    result = measure([PY, "-m", "bench.spark", name, str(source), str(out)], ok=ok)
    result.update(json.loads((out / f"spark_{name}.json").read_text()))
    return result


def run_spark_ingest(corpus_docs: Path, out: Path) -> dict:
    """``jixiao ingest --engine spark`` of ``corpus_docs`` into ``out/landing``:
    seconds (wall, JVM start included), forms/s, peak RSS (MB), and inside:
    session_seconds (JVM + session start), work_seconds (parse + land)."""
    shutil.rmtree(out / "landing", ignore_errors=True)
    result = _step("ingest", corpus_docs, out, ok=(0, 1))
    result["forms_per_s"] = round(result["forms"] / result["seconds"])
    result["forms_per_s_work"] = round(result["forms"] / max(result["work_seconds"], 0.01))
    return result


def run_spark_dbt(landing: Path, out: Path) -> dict:
    """``dbt build --target spark`` (models and every test) on the landing zone
    ``landing``: seconds, peak RSS (MB), session_seconds, work_seconds, nodes."""
    from jixiao.spark_build import WAREHOUSE_DIR

    shutil.rmtree(out / WAREHOUSE_DIR, ignore_errors=True)
    return _step("dbt", landing, out, ok=(0,))


if __name__ == "__main__":
    step, source, out = sys.argv[1:4]
    sys.exit({"ingest": ingest_step, "dbt": dbt_step}[step](Path(source), Path(out)))
