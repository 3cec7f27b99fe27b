"""Published files land exactly as their answer key: each office format's
documents through ``ingest.pipeline.parse_bytes`` (sniffing, the file source,
the template reader).

These tests await the template reader (issue 13): until the pipeline hands
a file source's grids to it, ``parse_bytes`` takes an office file for text
and these fail. They are not skipped: they are what wiring the reader must
make pass.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from decimal import Decimal

import pytest

from ingest.pipeline import parse_bytes
from ingest.records import Form
from jixiao.paths import RAW_DIR
from office_forms import hand_form
from synth import render_office
from synth.answer_key import FORM_FIELDS, INDICATOR_FIELDS, _value
from synth.generate import Generator
from synth.parts import harvest

FORMATS = ["xlsx", "xls", "ods", "docx", "html"]
AMOUNTS = ("initial_amount", "full_year_amount", "executed_amount")


def _key_form(form: dict) -> dict:
    return {
        "form": tuple(_value(f, form[f]) for f in FORM_FIELDS),
        "budget": sorted((b["fund_source"], *(_value(k, b[k]) for k in AMOUNTS)) for b in form["budget_lines"]),
        "indicators": [tuple(_value(f, i[f]) for f in INDICATOR_FIELDS) for i in form["indicators"]],
    }


def _landed(form: Form) -> dict:
    return _key_form(asdict(form))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_hand_made_form_lands_field_for_field(fmt):
    data, _ = render_office.render([hand_form()], fmt, random.Random(1))
    result = parse_bytes(f"hand.{fmt}", data)
    assert [i.code for i in result.issues] == []
    assert len(result.forms) == 1
    form = result.forms[0]
    # transcribed by hand from the form (tests/office_forms.py)
    assert (form.year, form.project_name, form.money_unit) == (2022, "社区养老服务中心运营补贴", "万元")
    assert form.execution_rate_pct == Decimal("98.38")  # printed 98.38%, stored 0.9838 in the workbooks
    assert (form.budget_score, form.total_score, form.grade) == (Decimal("9.84"), Decimal("96.84"), "优")
    total = next(b for b in form.budget_lines if b.fund_source == "total")
    assert (total.initial_amount, total.full_year_amount, total.executed_amount) == (
        Decimal("1200.00"), Decimal("1219.00"), Decimal("1199.25"))
    assert [(i.level1, i.level2, i.name, i.weight, i.score) for i in form.indicators][2] == (
        "产出指标", "质量指标", "服务质量达标率", Decimal(15), Decimal(12))
    assert form.indicators[0].source_ref  # every row says where it was read


@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_documents_land_exactly_as_their_answer_key(fmt):
    rng = random.Random(31)
    gen = Generator(harvest(RAW_DIR), rng)
    forms = [gen.form(2022, "万元", render_office.STYLE).form for _ in range(5)]
    data, expected = render_office.render(forms, fmt, random.Random(2))
    result = parse_bytes(f"synth.{fmt}", data)
    assert [i.code for i in result.issues] == []
    assert result.layout == fmt
    want = [_key_form(asdict(f)) for f in expected]
    got = [_landed(f) for f in result.forms]
    assert got == want
