"""``jixiao ingest --engine spark`` lands what the DuckDB ingest lands, input
problems included, with the same replace-by-file semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from clitools import run_jixiao
from conftest import DOCS
from ingest.engines.spark import ingest_spark
from ingest.landing import SCHEMAS
from ingest.pipeline import ingest, landing_dir_for


def cut_before_second_indicator_table(text: str) -> str:
    """The first form whole, the second up to (not including) its 绩效指标 table."""
    lines = text.split("\n")
    second_form = [i for i, line in enumerate(lines) if line.startswith("项目名称")][1]
    table = next(i for i in range(second_form, len(lines)) if "年度指标值" in lines[i])  # the table's header
    return "\n".join(lines[:table]) + "\n"


@pytest.fixture
def troubled_folder(tmp_path: Path) -> Path:
    """Six files: two good copies of 003 (7 forms each: one UTF-8 under a
    Chinese name with a space and brackets, one GB18030), 002 cut inside its
    second form (1 form lands, 1 is rejected), an empty file, a binary file
    and a text without a form."""
    docs = tmp_path / "docs"
    docs.mkdir()
    training = DOCS["training_center"].read_text(encoding="utf-8")
    (docs / "培训 中心[1].txt").write_text(training, encoding="utf-8")
    (docs / "gbk_copy.txt").write_bytes(training.encode("gb18030"))
    (docs / "cut.txt").write_text(cut_before_second_indicator_table(DOCS["minhang"].read_text(encoding="utf-8")),
                                  encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\xff\xfe\x00\x01\x00garbage")
    (docs / "notes.txt").write_text("这不是一张自评表\n", encoding="utf-8")
    return docs


def assert_same_landing(spark_landing: Path, duck_landing: Path, landing_rows) -> None:
    for table in SCHEMAS:
        assert landing_rows(spark_landing, table) == landing_rows(duck_landing, table), table


def test_rejected_input_lands_the_same_ingest_errors(spark, troubled_folder, tmp_path, landing_rows):
    duck = ingest([troubled_folder], tmp_path / "duck" / "jixiao.duckdb")
    report = ingest_spark(spark, [troubled_folder], tmp_path / "spark_landing")
    assert_same_landing(tmp_path / "spark_landing", landing_dir_for(duck.db_path), landing_rows)
    assert (report.files, report.forms_landed, report.forms_rejected) == (6, 15, 4)
    assert report.exit_code == duck.exit_code == 1
    assert sorted((source, issue.code) for source, issue in report.rejections) == [
        ("binary.txt", "not_text"), ("cut.txt", "truncated"),  # cut off by the file's end (issue 13)
        ("empty.txt", "empty_file"), ("notes.txt", "no_form"),
    ]


def test_a_file_replaces_the_rows_of_its_name_or_content(spark, tmp_path, landing_rows):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_bytes(DOCS["training_center"].read_bytes())
    (first / "b.txt").write_bytes(DOCS["2020"].read_bytes())
    (second / "renamed.txt").write_bytes(DOCS["training_center"].read_bytes())  # a.txt's content
    (second / "b.txt").write_bytes(DOCS["2020"].read_bytes() + "\n".encode())  # b.txt, changed
    db, landing = tmp_path / "duck" / "jixiao.duckdb", tmp_path / "spark_landing"
    for folder in (first, second):
        ingest([folder], db)
        ingest_spark(spark, [folder], landing)
    assert_same_landing(landing, landing_dir_for(db), landing_rows)
    assert [row[0] for row in landing_rows(landing, "source_files")] == ["b.txt", "renamed.txt"]
    assert len(landing_rows(landing, "forms")) == 7 + 2


def test_a_duckdb_ingest_replaces_a_spark_landing_zone(spark, tmp_path, landing_rows):
    # the landing zone mirrors the DuckDB file after a DuckDB ingest, even where Spark wrote folders of part files
    db = tmp_path / "jixiao.duckdb"
    ingest_spark(spark, [DOCS["2020"]], landing_dir_for(db))
    assert (landing_dir_for(db) / "forms.parquet").is_dir()
    ingest([DOCS["training_center"]], db)
    landing = landing_dir_for(db)
    assert sorted(p.name for p in landing.iterdir()) == sorted(f"{t}.parquet" for t in SCHEMAS)
    assert all((landing / f"{t}.parquet").is_file() for t in SCHEMAS)
    assert [row[0] for row in landing_rows(landing, "source_files")] == [DOCS["training_center"].name]
    assert len(landing_rows(landing, "forms")) == 7  # 003 prints 7 forms


def test_cli_ingest_on_spark(tmp_path):
    landing = tmp_path / "landing"
    done = run_jixiao("ingest", DOCS["training_center"], "--engine", "spark", "--master", "local[1]",
                      "--conf", "spark.sql.shuffle.partitions=1", "--landing", landing)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ingest (spark): 1 files, 7 forms landed, 0 rejected" in done.stdout
    assert sorted(p.name for p in landing.iterdir()) == sorted(f"{t}.parquet" for t in SCHEMAS)


def test_cli_ingest_on_spark_refuses_a_missing_folder(tmp_path):
    done = run_jixiao("ingest", tmp_path / "nowhere", "--engine", "spark", "--landing", tmp_path / "landing")
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr


def test_published_files_land_alike_on_spark(spark, tmp_path, landing_rows):
    """Issue 14: a folder of published files (003's 7 forms as a workbook, a Word document, a web page and a PDF,
    made by real office software) lands on Spark exactly as in DuckDB."""
    import random

    from ingest.pipeline import parse_bytes
    from synth.render_office import render

    docs = tmp_path / "published"
    docs.mkdir()
    forms = parse_bytes("003.txt", DOCS["training_center"].read_bytes()).forms
    for fmt in ("xlsx", "docx", "html", "pdf"):
        data, _ = render(forms, fmt, random.Random(7))
        (docs / f"003.{fmt}").write_bytes(data)
    duck = ingest([docs], tmp_path / "duck" / "jixiao.duckdb")
    report = ingest_spark(spark, [docs], tmp_path / "spark_landing")
    assert_same_landing(tmp_path / "spark_landing", landing_dir_for(duck.db_path), landing_rows)
    assert (report.files, report.forms_landed, report.forms_rejected) == (4, 4 * 7, 0)


def test_same_named_files_in_subfolders_land_under_their_relative_paths(spark, tmp_path, landing_rows):
    folder = tmp_path / "raw"
    for sub, doc in (("2020", "2020"), ("2023", "training_center")):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "自评表.txt").write_bytes(DOCS[doc].read_bytes())
    duck = ingest([folder], tmp_path / "duck" / "jixiao.duckdb")
    report = ingest_spark(spark, [folder], tmp_path / "spark_landing")
    assert_same_landing(tmp_path / "spark_landing", landing_dir_for(duck.db_path), landing_rows)
    assert [row[0] for row in landing_rows(tmp_path / "spark_landing", "source_files")] == [
        "2020/自评表.txt", "2023/自评表.txt"
    ]
    assert report.forms_landed == 2 + 7
