"""A build whose own pipeline fails is not published: the served warehouse
stays, the failure is recorded, and the exit status is 2."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from jixiao.paths import RAW_DIR
from jixiao.releases import Releases


def build(served, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "build", "--db", str(served), "--raw", str(RAW_DIR)],
        capture_output=True, text=True, env={**os.environ, "CI": "true", **env}, check=False,
    )


def test_a_failing_dbt_run_keeps_the_served_warehouse(tmp_path):
    served = tmp_path / "jixiao.duckdb"
    first = build(served)
    assert first.returncode == 0, first.stdout[-2000:]
    digest = hashlib.sha256(served.read_bytes()).hexdigest()

    # an operator's misconfiguration: dbt is pointed at a target the profile lacks
    failed = build(served, DBT_TARGET="no_such_target")

    assert failed.returncode == 2, failed.stdout[-2000:]
    assert "build FAILED" in failed.stdout and "is unchanged" in failed.stdout
    assert hashlib.sha256(served.read_bytes()).hexdigest() == digest
    runs = Releases(served).history()
    assert [r["status"] for r in runs] == ["success", "failed"]
    assert "dbt build failed" in runs[-1]["message"]
    status = subprocess.run([sys.executable, "-m", "jixiao.cli", "status", "--db", str(served)],
                            capture_output=True, text=True, check=True).stdout
    assert "failed" in status and "dbt build failed" in status
    # the failed build's folder is not kept; the published one is
    assert [p.name for p in Releases(served).kept()] == [runs[0]["build_id"]]
