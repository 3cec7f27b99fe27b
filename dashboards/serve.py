"""``jixiao dashboard [--port N] [--db FILE]``: serve the Streamlit app over the warehouse."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from jixiao.paths import PROJECT_ROOT, warehouse_path

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(port: int, app: Path = APP) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.port", str(port),
    ]


def streamlit_env(db: Path) -> dict[str, str]:
    env = dict(os.environ, JIXIAO_DB=str(db))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    return env


def dashboard_command(args: argparse.Namespace) -> int:
    db = warehouse_path(args.db)
    if not db.is_file():
        print(f"jixiao dashboard: no warehouse at {db} yet; run `jixiao build` (the app will wait for it)",
              file=sys.stderr)
    print(f"dashboard: http://localhost:{args.port}  (warehouse {db}, read-only; Ctrl-C stops)")
    try:
        return subprocess.call(streamlit_command(args.port), env=streamlit_env(db), cwd=PROJECT_ROOT)
    except KeyboardInterrupt:
        return 0
