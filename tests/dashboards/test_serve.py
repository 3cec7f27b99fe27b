"""``jixiao dashboard --port N --db FILE`` serves the app."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

from dashboards.browser import free_port, wait_until_healthy

from .conftest import Built


def test_jixiao_dashboard_serves_the_app(full: Built, tmp_path: Path) -> None:
    port = free_port()
    jixiao = Path(sys.executable).parent / "jixiao"
    log = tmp_path / "dashboard.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(jixiao), "dashboard", "--port", str(port), "--db", str(full.db)],
            stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_healthy(base_url, process)
            with urllib.request.urlopen(base_url + "/", timeout=10) as page:
                assert page.status == 200
        finally:
            process.terminate()  # the jixiao process *is* streamlit now: one signal stops it all
            assert process.wait(timeout=20) is not None
    text = log.read_text()
    assert f"dashboard: http://localhost:{port}" in text and str(full.db) in text
