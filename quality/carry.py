"""Checks on what changed: a rule's query over the forms a build recomputed,
with the findings of every other form carried over from the run before.

Every rule's query is run as JSON rows (``to_json`` of each offending row),
so that a row found by an earlier run can be stored in
``ops.dq_finding_rows`` and returned again, as it was, by a later run that
did not look at its form. With ``changed_only``, ``{batch}`` is the mart's
rows of the forms the build recomputed (``int_evaluation_contexts.is_refreshed``,
macros/incremental.sql) and the other forms' rows come from
``ops.dq_finding_rows``: GX still reports, and Data Docs still show, every
finding in the warehouse. Without it, the whole mart is checked.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

CONTEXTS = "intermediate.int_evaluation_contexts"
FINDING_ROWS = "ops.dq_finding_rows"
ROW_COLUMN = "finding_row"


def rule_query(query: str, rule_id: str, changed_only: bool) -> str:
    """A rule's query (``{batch}`` = its mart) as one JSON column of offending rows."""
    if not changed_only:
        return f"select cast(to_json(found) as varchar) as {ROW_COLUMN} from ({query}) as found"
    refreshed = f"(select evaluation_id from {CONTEXTS} where is_refreshed)"
    restricted = query.replace("{batch}", f"(select * from {{batch}} where evaluation_id in {refreshed})")
    quoted = rule_id.replace("'", "''")
    return (
        f"select cast(to_json(found) as varchar) as {ROW_COLUMN} from ({restricted}) as found\n"
        f"union all\n"
        f"select {ROW_COLUMN} from {FINDING_ROWS}\n"
        f"where rule_id = '{quoted}'\n"
        f"  and evaluation_id in (select evaluation_id from {CONTEXTS} where not is_refreshed)"
    )


def unpack(row: dict[str, Any]) -> dict[str, Any]:
    """An offending row as the rule's query returned it (numbers exact: decimals stay decimals)."""
    return json.loads(row[ROW_COLUMN], parse_float=Decimal)


def ensure_finding_rows(con) -> None:
    """``ops.dq_finding_rows``, empty on a warehouse that has none yet."""
    con.sql("create schema if not exists ops")
    con.sql(f"create table if not exists {FINDING_ROWS} (finding_id varchar, evaluation_id varchar, "
            f"rule_id varchar, {ROW_COLUMN} varchar)")
