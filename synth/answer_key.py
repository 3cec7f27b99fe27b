"""Compare what a warehouse landed with a corpus's answer key."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb

FORM_FIELDS = (
    "year", "year_source", "project_name", "supervising_department", "implementing_unit", "money_unit",
    "budget_weight", "execution_rate_pct", "budget_score", "total_weight", "total_score", "grade",
    "goal_planned", "goal_actual", "line_start", "line_end",
)
INDICATOR_FIELDS = (
    "indicator_seq", "level1", "level2", "name", "target", "actual", "weight", "score", "deviation_reason", "line_no",
)
DECIMALS = {"budget_weight", "execution_rate_pct", "budget_score", "total_weight", "total_score", "weight", "score",
            "initial_amount", "full_year_amount", "executed_amount"}


def load_key(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _value(field: str, value):
    return Decimal(value) if field in DECIMALS and value is not None else value


def expected_rows(key: dict) -> dict[tuple[str, int], dict]:
    out = {}
    for doc in key["documents"]:
        for form in doc["forms"]:
            out[(doc["file"], form["form_seq"])] = {
                "form": tuple(_value(f, form[f]) for f in FORM_FIELDS),
                "budget": sorted(
                    (b["fund_source"], *(_value(k, b[k]) for k in ("initial_amount", "full_year_amount", "executed_amount")))
                    for b in form["budget_lines"]
                ),
                "indicators": [tuple(_value(f, i[f]) for f in INDICATOR_FIELDS) for i in form["indicators"]],
            }
    return out


def landed_rows(db: Path) -> dict[tuple[str, int], dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        forms = con.sql(f"SELECT form_id, source_file, form_seq, {', '.join(FORM_FIELDS)} FROM raw.forms").fetchall()
        budget = con.sql(
            "SELECT form_id, fund_source, initial_amount, full_year_amount, executed_amount FROM raw.budget_lines"
        ).fetchall()
        indicators = con.sql(
            f"SELECT form_id, {', '.join(INDICATOR_FIELDS)} FROM raw.indicators ORDER BY form_id, indicator_seq"
        ).fetchall()
    by_id = {row[0]: (row[1], row[2]) for row in forms}
    out = {(row[1], row[2]): {"form": tuple(row[3:]), "budget": [], "indicators": []} for row in forms}
    for row in budget:
        out[by_id[row[0]]]["budget"].append(tuple(row[1:]))
    for row in indicators:
        out[by_id[row[0]]]["indicators"].append(tuple(row[1:]))
    for value in out.values():
        value["budget"].sort()
    return out


def _placed(db: Path) -> tuple[set[tuple[str, int]], dict[tuple[str, int], tuple[str, int]]] | None:
    """The forms in marts.fct_evaluation, and those in marts.fct_duplicate_evaluation with
    the form kept in their place; None before dbt has built the marts."""
    with duckdb.connect(str(db), read_only=True) as con:
        built = con.sql("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' "
                        "AND table_name IN ('fct_evaluation', 'fct_duplicate_evaluation')").fetchall()[0][0]
        if built < 2:
            return None
        kept = set(con.sql("SELECT source_file, form_seq FROM marts.fct_evaluation").fetchall())
        dropped = {(f, s): (kf, ks) for f, s, kf, ks in con.sql(
            "SELECT source_file, form_seq, kept_source_file, kept_form_seq FROM marts.fct_duplicate_evaluation"
        ).fetchall()}
    return kept, dropped


def placement_differences(key: dict, db: Path) -> list[str]:
    """Forms the marts keep (fct_evaluation) or report as duplicates (fct_duplicate_evaluation,
    next to the form kept) otherwise than the key says; nothing before the marts are built."""
    placed = _placed(db)
    if placed is None:
        return []
    kept, dropped = placed
    problems = []
    for doc in key["documents"]:
        for form in doc["forms"]:
            where = (doc["file"], form["form_seq"])
            if form.get("mart", "fct_evaluation") == "fct_evaluation":
                if where not in kept or where in dropped:
                    problems.append(f"{where} expected in fct_evaluation, "
                                    f"{'dropped for ' + repr(dropped[where]) if where in dropped else 'absent'}")
            else:
                want = (form["kept_form"]["file"], form["kept_form"]["form_seq"])
                if where in kept or dropped.get(where) != want:
                    problems.append(f"{where} expected in fct_duplicate_evaluation beside {want}, "
                                    f"{'kept' if where in kept else 'beside ' + repr(dropped.get(where))}")
    return problems


def differences(key: dict, db: Path, limit: int = 20) -> list[str]:
    """Human-readable differences between the key and the warehouse (empty: exact match):
    every form landed in raw as printed and, once the marts are built, kept or reported
    as a duplicate as the key says."""
    want, got = expected_rows(key), landed_rows(db)
    problems = [f"missing form {k}" for k in sorted(want.keys() - got.keys())]
    problems += [f"unexpected form {k}" for k in sorted(got.keys() - want.keys())]
    for k in sorted(want.keys() & got.keys()):
        for part in ("form", "budget", "indicators"):
            if want[k][part] != got[k][part]:
                problems.append(f"{k} {part}: expected {want[k][part]!r}, landed {got[k][part]!r}")
    problems += placement_differences(key, db)
    return problems[:limit]


def finding_differences(key: dict, db: Path) -> list[str]:
    """Forms whose quality findings (rule ids in marts.dq_findings) differ from
    the rules their planted inconsistencies must trigger, and forms kept or
    reported as duplicates otherwise than the key says (empty: exact). A form
    replaced by a later document's is in no fact, so it has no findings."""
    with duckdb.connect(str(db), read_only=True) as con:
        ids = {(f, s): e for e, f, s in con.sql(
            "SELECT evaluation_id, source_file, form_seq FROM marts.fct_evaluation").fetchall()}
        found: dict[str, set[str]] = {}
        for evaluation_id, rule_id in con.sql("SELECT evaluation_id, rule_id FROM marts.dq_findings").fetchall():
            found.setdefault(evaluation_id, set()).add(rule_id)
    problems = placement_differences(key, db)
    for doc in key["documents"]:
        for form in doc["forms"]:
            if form.get("mart", "fct_evaluation") != "fct_evaluation" or (doc["file"], form["form_seq"]) not in ids:
                continue  # a duplicate, or missing: placement_differences says so
            got = found.get(ids[(doc["file"], form["form_seq"])], set())
            if got != set(form["expected_rules"]):
                problems.append(f"{doc['file']} form {form['form_seq']} planted {form['defects']}: "
                                f"expected {sorted(form['expected_rules'])}, flagged {sorted(got)}")
    return problems
