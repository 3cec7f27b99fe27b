"""What a build's models and checks are made of, as one hash.

An incremental build reuses the served warehouse's seeds, its intermediate
and mart tables and its quality findings; that is only right when the dbt
project (models, macros, seeds, vars), the quality rules and the versions of
dbt and DuckDB that made them are the ones this build would use. Any
difference makes the build a full one (``dbt build --full-refresh``, seeds
reloaded, unit tests run)."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from jixiao.paths import PROJECT_ROOT

# Relative to the project root: files, or folders read whole.
MADE_OF = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "quality/rules.toml")
PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for name in MADE_OF:
        path = root / name
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            found.append(path)
    return sorted(found)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def models_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """sha256 over the project files a build's tables and findings depend on
    (names and bytes) and the versions of the packages that run them."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package}=={_version(package)}\n".encode())
    for path in _files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
