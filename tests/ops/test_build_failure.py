"""A build whose own pipeline fails is not published: the served warehouse
stays, the failure is recorded, and the exit status is 2."""

from __future__ import annotations

import hashlib
import subprocess

from clitools import run_jixiao
from jixiao.paths import RAW_DIR
from jixiao.releases import Releases


def build(served, **env) -> subprocess.CompletedProcess:
    return run_jixiao("build", "--db", served, "--raw", RAW_DIR, env=env)


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
    status = run_jixiao("status", "--db", served)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "failed" in status.stdout and "dbt build failed" in status.stdout
    # the failed build's folder is not kept; the published one is
    assert [p.name for p in Releases(served).kept()] == [runs[0]["build_id"]]
