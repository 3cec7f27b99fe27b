"""One form laid out like the printed 财政项目支出绩效自评表, as an HTML table (pure functions).

Merged 一级/二级 cells become rowspans, as on paper. A column 质量问题 carries the
findings beside the row they concern: indicator findings on their indicator's row,
form-level findings on the 总分 row (or on the budget row / 评分等级 row when the rule
is about the money or the grade). A last column 来源 says where each row was read in the
source file (``line 88``, ``Sheet1!C14``, ``p.2 [x0 y0 x1 y1]``); a row whose reading the
loader was unsure of is marked 读取存疑 with the reason.
"""

from __future__ import annotations

from html import escape
from typing import Any

import polars as pl

from dashboards.labels import FUND_SOURCE, SEVERITY, SEVERITY_RANK

_CSS = """
<style>
table.jx-form {border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed;}
table.jx-form td, table.jx-form th {border: 1px solid #999; padding: 4px 6px; vertical-align: middle;}
table.jx-form th {background: #f2f2f2; font-weight: 600; text-align: center;}
table.jx-form td.num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
table.jx-form td.title {text-align: center; font-size: 1.1rem; font-weight: 700;}
table.jx-form td.findings {font-size: 0.82rem; min-width: 12rem;}
table.jx-form tr.sev-error td.findings {background: #fdecea; color: #b71c1c;}
table.jx-form tr.sev-warning td.findings {background: #fff4e5; color: #8a4b00;}
table.jx-form tr.sev-info td.findings {background: #eef3f7; color: #37474f;}
table.jx-form td.lost {color: #c62828; font-weight: 600;}
table.jx-form td.source {font-size: 0.78rem; color: #555; word-break: break-all;}
table.jx-form tr.uncertain td {background: #fffde7;}
table.jx-form tr.uncertain td.source {color: #8a4b00; font-weight: 600;}
</style>
"""

_COLS = 10  # 一级, 二级, 三级, 指标值, 实际值, 分值, 得分, 偏差原因, 质量问题, 来源
_WIDTHS = (7, 8, 15, 10, 10, 6, 6, 14, 15, 9)  # percent
UNCERTAIN = "读取存疑"
_COLGROUP = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in _WIDTHS) + "</colgroup>"


def _cell(value: Any, *, cls: str = "", colspan: int = 1, rowspan: int = 1, header: bool = False) -> str:
    tag = "th" if header else "td"
    attrs = "".join(
        [
            f' class="{cls}"' if cls else "",
            f' colspan="{colspan}"' if colspan > 1 else "",
            f' rowspan="{rowspan}"' if rowspan > 1 else "",
        ]
    )
    return f"<{tag}{attrs}>{escape(_text(value))}</{tag}>"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _money(value: Any) -> str:
    return "" if value is None else f"{float(value):,.2f}"


def _row(cells: list[str], severity: str | None = None, *, uncertain: bool = False) -> str:
    classes = ([f"sev-{severity}"] if severity else []) + (["uncertain"] if uncertain else [])
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<tr{cls}>{''.join(cells)}</tr>"


def source_text(source_ref: Any, uncertain: bool = False, reason: Any = None) -> str:
    """Where a row was read, and the loader's doubt about it (读取存疑：reason)."""
    text = _text(source_ref)
    if uncertain:
        text = f"{text} · {UNCERTAIN}" + (f"：{reason}" if reason else "")
    return text


def _findings_cell(findings: list[dict[str, Any]]) -> str:
    """One line per finding, each tagged with its severity."""
    lines = [f"[{SEVERITY.get(f['severity'], f['severity'])}] {f['message']}" for f in findings]
    return '<td class="findings">' + "<br>".join(escape(line) for line in lines) + "</td>"


def _worst(findings: list[dict[str, Any]]) -> str | None:
    present = [f["severity"] for f in findings if f["severity"] in SEVERITY_RANK]
    return min(present, key=SEVERITY_RANK.__getitem__) if present else None


def form_source(header: dict[str, Any]) -> str:
    """Where the form was read: its file, and its source_ref (text: ``lines 3-60``, as the loader
    writes it) or else its lines."""
    where = header.get("source_ref") or (
        f"lines {header.get('line_start')}-{header.get('line_end')}" if header.get("line_start") is not None else ""
    )
    return " ".join(p for p in (str(header.get("source_file") or ""), where) if p)


def place_form_findings(findings: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Form-level findings (no indicator) by the block they concern: 'budget', 'grade' or 'total'."""
    placed: dict[str, list[dict[str, Any]]] = {"budget": [], "grade": [], "total": []}
    for f in findings.filter(pl.col("indicator_seq").is_null()).iter_rows(named=True):
        rule = (f["rule_id"] or "").lower()
        if any(k in rule for k in ("execution", "budget", "fund", "money", "amount", "rate")):
            placed["budget"].append(f)
        elif "grade" in rule:
            placed["grade"].append(f)
        else:
            placed["total"].append(f)
    return placed


def _spans(values: list[Any]) -> list[int]:
    """Rowspan per row for merged cells: the first row of a run of equal values gets the
    run's length, the rows it covers get 0."""
    spans = [0] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            spans[start] = i - start
            start = i
    return spans


def render_form(
    header: dict[str, Any],
    budget_lines: pl.DataFrame,
    goals: dict[str, Any] | None,
    indicators: pl.DataFrame,
    findings: pl.DataFrame,
) -> str:
    """The whole form as HTML (escaped), findings beside the rows they concern."""
    placed = place_form_findings(findings)
    unit = header.get("money_unit") or "万元"
    rows: list[str] = []
    confidence = header.get("parse_confidence")
    doubtful = confidence is not None and confidence < 1
    rows.append(
        _row([_cell(f"财政项目支出绩效自评表（{header.get('year')} 年度）", cls="title", colspan=_COLS - 1),
              _cell(source_text(form_source(header), doubtful, f"读取置信度 {confidence:.2f}" if doubtful else None),
                    cls="source")],
             uncertain=doubtful)
    )
    rows.append(_row([_cell("项目名称", header=True, colspan=2), _cell(header.get("project_name"), colspan=_COLS - 2)]))
    rows.append(
        _row(
            [
                _cell("主管部门", header=True, colspan=2),
                _cell(header.get("supervising_department"), colspan=2),
                _cell("实施单位", header=True),
                _cell(header.get("implementing_unit"), colspan=_COLS - 5),
            ]
        )
    )
    # budget block
    rows.append(
        _row(
            [_cell(f"项目资金（{unit}）", header=True, colspan=2)]
            + [_cell(h, header=True) for h in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分")]
            + [_cell("质量问题", header=True), _cell("来源", header=True)]
        )
    )
    for line in budget_lines.iter_rows(named=True):
        is_total = bool(line["is_total"]) if line.get("is_total") is not None else line["fund_source"] == "total"
        budget_findings = placed["budget"] if is_total else []
        rate = header.get("execution_rate_pct") if is_total else None
        rows.append(
            _row(
                [
                    _cell(FUND_SOURCE.get(line["fund_source"]) or line.get("fund_source_zh") or line["fund_source"], colspan=2),
                    _cell(_money(line["initial_amount"]), cls="num"),
                    _cell(_money(line["full_year_amount"]), cls="num"),
                    _cell(_money(line["executed_amount"]), cls="num"),
                    _cell(header.get("budget_weight") if is_total else "—", cls="num"),
                    _cell(rate, cls="num"),
                    _cell(header.get("budget_score") if is_total else "—", cls="num"),
                    _findings_cell(budget_findings),
                    _cell(line.get("source_ref"), cls="source"),
                ],
                _worst(budget_findings),
            )
        )
    # goals
    goals = goals or {}
    rows.append(_row([_cell("年度总体目标", header=True, colspan=2), _cell("预期目标", header=True, colspan=3),
                      _cell("实际完成情况", header=True, colspan=_COLS - 5)]))
    rows.append(_row([_cell("", colspan=2), _cell(goals.get("goal_planned"), colspan=3),
                      _cell(goals.get("goal_actual"), colspan=_COLS - 5)]))
    # indicators
    rows.append(
        _row(
            [_cell(h, header=True) for h in
             ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施", "质量问题",
              "来源")]
        )
    )
    records = list(indicators.iter_rows(named=True))
    span1 = _spans([r["level1_name"] for r in records])
    span2 = _spans([(r["level1_name"], r["level2_name"]) for r in records])
    for r, s1, s2 in zip(records, span1, span2, strict=True):
        own = list(r.get("finding_list") or [])
        lost = r["weight"] is not None and r["score"] is not None and r["score"] < r["weight"]
        cells = []
        if s1:
            cells.append(_cell(r["level1_name"], cls="l1", rowspan=s1))
        if s2:
            cells.append(_cell(r["level2_name"], cls="l2", rowspan=s2))
        cells += [
            _cell(r["indicator_name"]),
            _cell(r["target_text"]),
            _cell(r["actual_text"]),
            _cell(r["weight"], cls="num"),
            _cell(r["score"], cls="num lost" if lost else "num"),
            _cell(r["deviation_reason"]),
            _findings_cell(own),
            _cell(source_text(r.get("source_ref"), bool(r.get("uncertain")), r.get("uncertain_reason")), cls="source"),
        ]
        rows.append(_row(cells, _worst(own), uncertain=bool(r.get("uncertain"))))
    total_findings = placed["total"]
    rows.append(
        _row(
            [_cell("总分", header=True, colspan=5), _cell(header.get("total_weight"), cls="num"),
             _cell(header.get("total_score"), cls="num"), _cell(""), _findings_cell(total_findings), _cell("")],
            _worst(total_findings),
        )
    )
    grade_findings = placed["grade"]
    grade = header.get("grade_printed")
    grade_text = grade if grade else f"（表上未印；按总分应为 {header.get('grade_computed') or '—'}）"
    rows.append(
        _row([_cell("评分等级", header=True, colspan=2), _cell(grade_text, colspan=_COLS - 3), _findings_cell(grade_findings)],
             _worst(grade_findings))
    )
    return _CSS + '<table class="jx-form">' + _COLGROUP + "".join(rows) + "</table>"
