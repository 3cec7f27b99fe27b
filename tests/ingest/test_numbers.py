"""Numbers as forms print them: dash minus signs, `(%)` and `％`, full-width
digits and separators, spaces as thousands separators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.pipeline import parse_bytes
from ingest.records import FormError
from ingest.text import is_number, is_percent, number_value, parse_decimal, parse_percent
from jixiao.paths import RAW_DIR

CITY_2020 = RAW_DIR / "000_0e1cca4759df0cce.txt"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("−3", "-3"),  # U+2212 minus sign
        ("‒3", "-3"),  # U+2012 figure dash
        ("–3.5", "-3.5"),  # U+2013 en dash
        ("－3", "-3"),  # U+FF0D full-width hyphen-minus
        ("﹣0.25", "-0.25"),  # U+FE63 small hyphen-minus
        ("-3", "-3"),
        ("１２１９．００", "1219.00"),  # full-width digits and point
        ("１，２１９．００", "1219.00"),  # full-width comma
        ("1,219.00", "1219.00"),
        ("1 663", "1663"),  # ordinary space
        ("1\u2009663", "1663"),  # thin space
        ("1\u202f663.25", "1663.25"),  # narrow no-break space
        ("1\u00a0663", "1663"),  # NBSP
        ("12 345 678.9", "12345678.9"),
        ("−1 663.50", "-1663.50"),
        (" 98.42 ", "98.42"),
    ],
)
def test_numbers_as_printed(cell, value):
    assert is_number(cell)
    assert parse_decimal(cell, "得分", 7) == Decimal(value)


@pytest.mark.parametrize("cell", ["1 2", "1 66", "1 6630", "1,66", "12.5.3", "3−", "9.90分", "1 663,000"])
def test_two_numbers_or_a_number_with_words_are_not_one_number(cell):
    assert not is_number(cell)
    with pytest.raises(FormError) as err:
        parse_decimal(cell, "分值", 12)
    assert (err.value.code, err.value.line_no) == ("unreadable_number", 12)


@pytest.mark.parametrize("cell", ["", "-", "—", "－", "–", "——", "/", "无"])
def test_none_marks_are_no_number(cell):
    assert parse_decimal(cell, "得分", 1) is None


@pytest.mark.parametrize(
    ("cell", "value"),
    [("99.04%", "99.04"), ("99.04(%)", "99.04"), ("99.04（%）", "99.04"), ("99.04％", "99.04"),
     ("99.04 %", "99.04"), ("99.04", "99.04"), ("１００％", "100")],
)
def test_rates_with_percent_signs(cell, value):
    assert parse_percent(cell, "执行率", 3) == Decimal(value)
    assert number_value(cell) == Decimal(value)
    assert is_percent(cell) == (cell != value)


def test_a_form_printed_with_full_width_spaced_and_bracketed_numbers_lands_the_same(tmp_path):
    text = CITY_2020.read_text(encoding="utf-8")
    lines = text.split("\n")
    # line 10: 年度资金总额 1219.00 1096.39 1078.63 10 98.38% 9.84 (form 1)
    assert lines[9] == "\t年度资金总额\t1219.00\t1096.39\t1078.63\t10\t98.38%\t9.84\t"
    lines[9] = "\t年度资金总额\t1 219.00\t１０９６．３９\t1\u2009078.63\t10\t98.38(%)\t9.84\t"
    # line 69: 年度资金总额 1130.46 1169.99 1090.53 10 93.21% 9.32 (form 2)
    assert lines[68] == "\t年度资金总额\t1130.46\t1169.99\t1090.53\t10\t93.21%\t9.32\t"
    lines[68] = "\t年度资金总额\t1,130.46\t1\u202f169.99\t1 090.53\t１０\t93.21％\t9.32\t"
    reference = parse_bytes("000.txt", text.encode("utf-8"))
    printed = parse_bytes("000_printed.txt", "\n".join(lines).encode("utf-8"))
    assert len(reference.forms) == 2
    assert printed.forms == reference.forms
    form1, form2 = printed.forms
    total1 = next(b for b in form1.budget_lines if b.fund_source == "total")
    assert (total1.initial_amount, total1.full_year_amount, total1.executed_amount) == (
        Decimal("1219.00"), Decimal("1096.39"), Decimal("1078.63"))
    assert (form1.execution_rate_pct, form2.execution_rate_pct) == (Decimal("98.38"), Decimal("93.21"))


def test_a_negative_weight_now_reads_and_the_checks_refuse_it():
    lines = CITY_2020.read_text(encoding="utf-8").split("\n")
    # line 10's 分值 (the budget weight of form 1), printed with U+2212
    lines[9] = lines[9].replace("\t10\t98.38%", "\t−10\t98.38%")
    result = parse_bytes("000_negative.txt", "\n".join(lines).encode("utf-8"))
    assert [f.form_seq for f in result.forms] == [2]
    [refusal] = [i for i in result.issues if i.severity.value == "error"]
    assert (refusal.form_seq, refusal.code) == (1, "negative_number")
