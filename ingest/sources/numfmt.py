"""A spreadsheet cell's value as a reader sees it, from its number format.

A workbook stores 98.38% as ``0.9838`` under the format ``0.00%`` and 1219.00
as ``1219`` under ``0.00``; the form printed what the format shows, so the
grid holds that text. This covers the formats forms use: ``General``, fixed
decimals, thousands separators, percent, scientific, literal text (quoted,
escaped, ``[$-804]`` / ``[Red]`` tokens dropped), the sections
``positive;negative;zero;text``, and dates and times (``yyyy"年"m"月"d"日"``,
``yyyy/m/d``, ``hh:mm``). Anything else falls back to ``General``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Built-in number formats (ECMA-376 18.8.30) that a cell names only by id;
# the date ones as a Chinese-locale Excel shows them.
BUILTIN = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
DATE_TOKENS = re.compile(r"[ymdhs]", re.I)
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
# quoted text, an escaped character, a bracketed token, _x padding, *x fill, or one character
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', re.S)


def general(value: float | int) -> str:
    """Excel's General format: integers without ``.0``, at most 10 significant digits."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}E{exp[0]}{exp[1:].lstrip('0').rjust(2, '0')}"
    return text


@lru_cache(maxsize=512)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


@lru_cache(maxsize=512)
def _sections(code: str) -> tuple[str, ...]:
    parts, buf = [], []
    for tok in _tokens(code):
        if tok == ";":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(tok)
    parts.append("".join(buf))
    return tuple(parts)


def _literal(tok: str) -> str:
    if tok.startswith('"'):
        return tok[1:-1]
    if tok.startswith("\\"):
        return tok[1:]
    if tok.startswith(("[", "_", "*")) and len(tok) > 1:
        return ""  # colour, locale, condition; padding; fill
    return tok


@lru_cache(maxsize=512)
def _plain(section: str) -> str:
    """A section without its literal text and bracketed tokens."""
    return "".join(t for t in _tokens(section) if not t.startswith(('"', "\\", "[", "_", "*")))


@lru_cache(maxsize=512)
def _is_date_section(section: str) -> bool:
    plain = _plain(section)
    return bool(DATE_TOKENS.search(plain)) and not re.search(r"[0#?]", plain) and "general" not in plain.lower()


def is_date_format(code: str | None) -> bool:
    return bool(code) and _is_date_section(_sections(code)[0])


def serial_to_datetime(serial: float, date1904: bool = False) -> dt.datetime:
    return (_EPOCH_1904 if date1904 else _EPOCH) + dt.timedelta(days=serial)


def format_date(value: dt.datetime | dt.date | dt.time, code: str | None) -> str:
    """A date or time as ``code`` prints it (ISO when the code is not a date format)."""
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 31), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not code or not is_date_format(code):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    tokens = _tokens(_sections(code)[0])
    out: list[str] = []
    ampm = any(t.upper() in ("AM/PM", "A/P") for t in tokens) or "上午/下午" in code
    k = 0
    prev_hour = False
    while k < len(tokens):
        tok = tokens[k]
        low = tok.lower()
        if low in "ymdhs" and len(low) == 1:
            run = low
            while k + 1 < len(tokens) and tokens[k + 1].lower() == low:
                k += 1
                run += low
            rest = "".join(t.lower() for t in tokens[k + 1:] if t.lower() in "ymdhs")
            if run[0] == "y":
                out.append(f"{value.year % 100:02d}" if len(run) <= 2 else f"{value.year}")
            elif run[0] == "m" and (prev_hour or rest.startswith("s")):
                out.append(f"{value.minute:02d}" if len(run) > 1 else f"{value.minute}")
            elif run[0] == "m":
                out.append(f"{value.month:02d}" if len(run) == 2 else f"{value.month}" if len(run) == 1
                           else value.strftime("%b" if len(run) == 3 else "%B"))
            elif run[0] == "d":
                out.append(f"{value.day:02d}" if len(run) == 2 else f"{value.day}" if len(run) == 1
                           else value.strftime("%a" if len(run) == 3 else "%A"))
            elif run[0] == "h":
                hour = value.hour % 12 or 12 if ampm else value.hour
                out.append(f"{hour:02d}" if len(run) > 1 else f"{hour}")
            else:
                out.append(f"{value.second:02d}" if len(run) > 1 else f"{value.second}")
            prev_hour = run[0] == "h"
        elif tok.upper() in ("AM/PM", "A/P"):
            out.append("AM" if value.hour < 12 else "PM")
        else:
            out.append(_literal(tok))
            if tok.strip() and tok not in (":", " "):
                prev_hour = prev_hour and tok in (":",)
        k += 1
    text = "".join(out)
    return text.replace("上午/下午", "上午" if value.hour < 12 else "下午")


def _number_text(value: Decimal, section: str) -> str:
    tokens = _tokens(section)
    exp_at = next((k for k in range(len(tokens) - 1) if tokens[k] in ("E", "e") and tokens[k + 1] in ("+", "-")), None)
    mantissa = tokens if exp_at is None else tokens[:exp_at]
    digits = [k for k, t in enumerate(mantissa) if t in ("0", "#", "?", ".", ",")]
    if not digits:  # a section of text only, e.g. "-" for zero
        return "".join(_literal(t) for t in tokens)
    first, last = digits[0], digits[-1]
    int_part, _, frac_part = "".join(mantissa[first:last + 1]).partition(".")
    decimals = sum(1 for ch in frac_part if ch in "0#?")
    value = value * (Decimal(100) ** sum(1 for t in tokens if t == "%"))
    if exp_at is not None:
        exp_digits = sum(1 for t in tokens[exp_at + 2:] if t in ("0", "#"))
        mant, _, exp = f"{float(value):.{decimals}E}".partition("E")
        sign = "-" if exp.startswith("-") else tokens[exp_at + 1].replace("-", "")
        body = f"{mant}E{sign}{str(abs(int(exp))).rjust(exp_digits, '0')}"
        last = len(tokens) - 1 - next(k for k, t in enumerate(reversed(tokens)) if t in ("0", "#"))
    else:
        scaled = value / (Decimal(1000) ** (len(int_part) - len(int_part.rstrip(","))))  # trailing commas scale
        q = scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        body = f"{q:,.{decimals}f}" if "," in int_part.rstrip(",") else f"{q:.{decimals}f}"
        optional = sum(1 for ch in frac_part if ch == "#")
        if optional and "." in body:  # '#' decimals drop trailing zeros
            keep = len(body) - optional
            body = (body[:keep] + body[keep:].rstrip("0")).rstrip(".")
        if int_part.strip(",") and set(int_part.replace(",", "")) <= {"#"} and body.startswith("0."):
            body = body[1:]
    prefix = "".join(_literal(t) for t in tokens[:first])
    suffix = "".join(_literal(t) for t in tokens[last + 1:])
    return f"{prefix}{body}{suffix}"


def format_number(value: float | int, code: str | None) -> str:
    """``value`` as ``code`` prints it."""
    if isinstance(value, bool) or not code or code in ("General", "@"):
        return general(value)
    sections = _sections(code)
    if value < 0 and len(sections) > 1:
        section, value, sign = sections[1], -value, ""
    elif value == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
        value = abs(value)
    plain = _plain(section).strip()
    if plain.lower() == "general":
        return sign + general(value)
    if _is_date_section(section):
        return format_date(serial_to_datetime(float(value)), section)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return general(value)
    text = _number_text(number, section)
    return sign + text if sign and re.search(r"[1-9]", text) else text


def format_value(value: object, code: str | None) -> str:
    """Any cell value (text, number, bool, date) as a reader sees it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value, code)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, code)
    return str(value).strip()
