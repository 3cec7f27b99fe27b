"""``jixiao dashboard [--port N] [--db FILE]``: serve the Streamlit app over the warehouse."""

from __future__ import annotations

import argparse
import os
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
        "--client.toolbarMode", "viewer",  # no developer menu ("Deploy") for the readers
    ]


def streamlit_env(db: Path) -> dict[str, str]:
    env = dict(os.environ, JIXIAO_DB=str(db))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    return env


def dashboard_command(args: argparse.Namespace) -> int:
    """Replace this process by ``streamlit run dashboards/app.py`` (Ctrl-C and signals reach
    Streamlit directly, no orphan server is left behind); returns only if that fails."""
    db = warehouse_path(args.db)
    if not db.is_file():
        print(f"jixiao dashboard: no warehouse at {db} yet; run `jixiao build` (the app says so until then)",
              file=sys.stderr)
    print(f"dashboard: http://localhost:{args.port}  (warehouse {db}, read-only; Ctrl-C stops)", flush=True)
    command = streamlit_command(args.port)
    try:
        os.execve(command[0], command, streamlit_env(db))
    except OSError as err:
        print(f"jixiao dashboard: cannot start streamlit: {err}", file=sys.stderr)
    return 2
