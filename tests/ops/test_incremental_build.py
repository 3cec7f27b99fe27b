"""An incremental build equals a full build of the same files (issue 17, items 1, 2 and 4).

A served warehouse is built from a few synthetic documents, then taken through
nightly builds that add files, change one, add a re-published copy of a file
(its forms now duplicates of the newer copy's), a file moving a project into
another year (a new year joining an existing project), and remove files. After
each step the incremental build (`jixiao build`) is compared with a full build
(`jixiao build --full`) of the same folder: every row of every mart, every
quality finding (and the rows they came from) must be the same, and the
incremental build must have recomputed only the forms it had to.

Real builds: the `jixiao` CLI, DuckDB, dbt, Great Expectations.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from clitools import run_jixiao
from jixiao.releases import Releases

YEAR = re.compile(r"\((20\d\d) ?年度\)")


def build(raw: Path, served: Path, *extra: str) -> dict:
    done = run_jixiao("build", "--db", served, "--raw", raw, *extra)
    assert done.returncode in (0, 1), done.stdout[-4000:] + done.stderr[-4000:]
    return Releases(served).history()[-1]


def mart_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table in the marts schema (and the findings' source rows), sorted."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1").fetchall()]
        tables.append("ops.dq_finding_rows")
        return {t: sorted(con.sql(f"select * from {t}").fetchall(), key=repr) for t in tables}


def refreshed_and_total(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql("select count(*) filter (where is_refreshed), count(*) "
                       "from intermediate.int_evaluation_contexts").fetchall()[0]


def other_year(text: str) -> str:
    """The document with every form moved to another year of 2020–2023."""
    def move(match: re.Match) -> str:
        year = int(match.group(1))
        return match.group(0).replace(str(year), str(2020 + (year - 2020 + 1) % 4))
    moved, n = YEAR.subn(move, text)
    assert n, "the document prints its year as (20xx 年度)"
    return moved


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("incremental_corpus")
    made = run_jixiao("synth", "--forms", "90", "--seed", "23", "--out", out)
    assert made.returncode == 0, made.stdout + made.stderr
    docs = sorted((out / "docs").iterdir())
    assert len(docs) >= 8
    return docs


def test_incremental_builds_equal_full_builds(corpus, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    incremental = tmp_path / "incremental" / "jixiao.duckdb"
    full = tmp_path / "full" / "jixiao.duckdb"
    for doc in corpus[:5]:
        shutil.copy(doc, raw / doc.name)

    def change_the_folder(step: str) -> None:
        if step == "add":
            for doc in corpus[5:7]:
                shutil.copy(doc, raw / doc.name)
        elif step == "change":
            # one form's project renamed: a changed file, a new project
            changed = raw / corpus[1].name
            text = changed.read_text(encoding="utf-8")
            assert "项目名称" in text
            changed.write_text(re.sub(r"(项目名称[\t ]+)(\S)", r"\1调整后\2", text, count=1), encoding="utf-8")
        elif step == "republish_and_new_year":
            # the same forms re-published under a later name (the old file's forms become duplicates),
            # and a document's projects evaluated in another year (a new year for existing projects)
            original = corpus[2]
            (raw / f"zz_republished_{original.name}").write_text(
                original.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            moved = corpus[3]
            (raw / f"zz_next_year_{moved.name}").write_text(other_year(moved.read_text(encoding="utf-8")),
                                                            encoding="utf-8")
        elif step == "remove":
            (raw / corpus[0].name).unlink()
            (raw / f"zz_republished_{corpus[2].name}").unlink()  # the older copy's forms are kept again
        else:
            raise AssertionError(step)

    first = build(raw, incremental)
    assert first["dbt_mode"] == "full" and first["status"] == "success"
    for step in ("add", "change", "republish_and_new_year", "remove"):
        change_the_folder(step)
        nightly = build(raw, incremental)
        assert nightly["status"] == "success", nightly
        assert nightly["dbt_mode"] == "incremental", nightly
        rebuilt = build(raw, full, "--full")
        assert rebuilt["status"] == "success" and rebuilt["dbt_mode"] == "full", rebuilt

        refreshed, total = refreshed_and_total(incremental)
        assert 0 < refreshed < total, (step, refreshed, total)
        assert refreshed_and_total(full) == (total, total), step

        got, want = mart_rows(incremental), mart_rows(full)
        assert got.keys() == want.keys(), step
        for table in want:
            assert got[table] == want[table], f"after {step}: {table} differs from a full build"
        assert want["marts.fct_evaluation"], step
        assert want["marts.dq_findings"], step  # synth plants inconsistencies: findings exist


def test_a_new_year_updates_the_project_row(corpus, tmp_path):
    """A project evaluated again in another year: its dim_project row (years,
    number of evaluations) is updated by the nightly build, its id unchanged."""
    raw = tmp_path / "raw"
    raw.mkdir()
    served = tmp_path / "served" / "jixiao.duckdb"
    doc = corpus[4]
    shutil.copy(doc, raw / doc.name)
    build(raw, served)

    def projects() -> dict[str, tuple]:
        with duckdb.connect(str(served), read_only=True) as con:
            columns = [c for (c,) in con.sql("select column_name from information_schema.columns "
                                             "where table_schema = 'marts' and table_name = 'dim_project'").fetchall()]
            rows = con.sql("select * from marts.dim_project").fetchall()
        return {row[columns.index("project_id")]: dict(zip(columns, row)) for row in rows}

    before = projects()
    (raw / f"zz_next_year_{doc.name}").write_text(other_year(doc.read_text(encoding="utf-8")), encoding="utf-8")
    nightly = build(raw, served)
    assert nightly["dbt_mode"] == "incremental"
    after = projects()
    assert set(before) <= set(after)  # every earlier project keeps its id
    spanning = [pid for pid in before if after[pid]["n_years"] == before[pid]["n_years"] + 1]
    assert spanning, "the document's projects now span two years"
    for pid in spanning:
        assert after[pid]["n_evaluations"] == before[pid]["n_evaluations"] + 1
        assert (after[pid]["first_year"], after[pid]["last_year"]) != (before[pid]["first_year"], before[pid]["last_year"])
