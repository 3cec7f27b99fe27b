"""The original file a form was read from, for download beside the form (no raw.* table read).

marts.fct_evaluation.source_file names the file relative to the folder the build read;
``jixiao build`` reads data/raw/ (jixiao.paths.RAW_DIR) unless told otherwise.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.paths import RAW_DIR


def original_file(source_file: str | None, raw_dir: Path = RAW_DIR) -> Path | None:
    """The file under ``raw_dir``, or None when it is not there (another folder was built, or the
    file is gone). A name reaching outside ``raw_dir`` is refused."""
    if not source_file:
        return None
    root = raw_dir.resolve()
    path = (root / source_file).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
