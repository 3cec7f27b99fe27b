"""The last build as the sidebar shows it (from a row of ops.build_runs)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

STATUS = {"success": "成功", "failed": "失败", "killed": "中断", "rollback": "回滚", "running": "进行中"}


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo else value
        return f"{local:%Y-%m-%d %H:%M:%S}"
    return str(value)


def describe(build: dict[str, Any]) -> tuple[str, bool]:
    """(text, ok): when the last build finished, its status, what it produced."""
    when = build.get("finished_at") or build.get("started_at")
    status = build.get("status")
    parts = [_when(when)] if when is not None else []
    if status is not None:
        parts.append(STATUS.get(str(status), str(status)))
    if build.get("forms_landed") is not None:
        parts.append(f"{build['forms_landed']} 张自评表")
    ok = status is None or str(status) == "success"
    return "最近一次构建：" + " · ".join(parts), ok


def data_docs(build: dict[str, Any] | None) -> Path | None:
    """The Data Docs index the build wrote, if it still exists."""
    path = (build or {}).get("data_docs")
    return Path(path) if path and Path(path).is_file() else None
