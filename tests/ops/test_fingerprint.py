"""What makes a build full: the models fingerprint (jixiao/fingerprint.py) changes
with any file of the dbt project or the quality rules, and only with their content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jixiao.fingerprint import MADE_OF, models_fingerprint
from jixiao.paths import PROJECT_ROOT


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in MADE_OF:
        source = PROJECT_ROOT / name
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return root


def test_the_fingerprint_follows_the_projects_content(tmp_path):
    root = project_copy(tmp_path)
    first = models_fingerprint(root)
    assert first == models_fingerprint(root)  # stable
    assert first == models_fingerprint(PROJECT_ROOT)  # the copy is the project

    model = root / "models" / "marts" / "fct_evaluation.sql"
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert models_fingerprint(root) == first  # a touched file is not a changed one

    for changed in (model, root / "seeds" / "grade_bands.csv", root / "quality" / "rules.toml",
                    root / "dbt_project.yml", root / "macros" / "incremental.sql"):
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n")
        assert models_fingerprint(root) != first, changed
        changed.write_bytes(original)
        assert models_fingerprint(root) == first

    (root / "models" / "marts" / "new_model.sql").write_text("select 1 as one\n", encoding="utf-8")
    assert models_fingerprint(root) != first  # a new model
