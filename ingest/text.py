"""Text helpers shared by the layout parsers: decoding, squashing, numbers."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest.decoding import UndecodableError, decode_text  # noqa: F401 - decoding's API, also from here
from ingest.records import FormError


def decode(data: bytes) -> tuple[str, str]:
    """Decode a document; return (text with LF line ends, encoding name).
    See :mod:`ingest.decoding` (:func:`decode_text` also returns the
    warnings about bytes it had to replace)."""
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """NFKC-normalise and drop all whitespace: the form used to match labels."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def unwrap(text: str) -> str:
    """Remove the spaces a line wrap left between two CJK characters.

    ``市管干部年度 体检完成数`` -> ``市管干部年度体检完成数``; spaces next to
    digits or Latin letters (``25 篇``, ``软件 ZZTX 硬件``) are kept as printed.
    """
    return _WRAP_SPACE.sub("", text.strip())


_HTML_PARA = re.compile(r"</p>\s*<p>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?p>", re.IGNORECASE)


def clean_paragraphs(text: str) -> str:
    """Narrative cells: ``<p>`` paragraphs become lines; other text is kept."""
    text = _HTML_PARA.sub("\n", text)
    return _HTML_TAG.sub("", text).strip()


# A number as printed, once NFKC has made full-width digits, commas and points
# ASCII and every kind of space (thin, narrow no-break, figure, NBSP, U+3000)
# an ordinary one: thousands grouped by commas, or by single spaces before
# groups of exactly three digits (`1 663`, never `1 2`: two numbers in one cell).
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d+)(\.\d+)?$")
# Dashes printed as a minus sign before a number: U+2212 minus, U+2012 figure
# dash, U+2013 en dash, U+2014 em dash, U+2010/U+2011 hyphens, U+02D7 modifier
# minus (U+FF0D and U+FE63 become "-" under NFKC).
_MINUS = re.compile(r"^[\u2212\u2012\u2013\u2014\u2010\u2011\u02d7](?=\s*\d)\s*")
# A trailing percent sign: `99.04%`, `99.04 %`, `99.04(%)` (`％`, `（%）` under NFKC).
_PERCENT = re.compile(r"\s*(\(\s*%\s*\)|%)$")
_NONE_MARKS = {"", "-", "—", "－", "–", "——", "/", "无"}


@lru_cache(maxsize=1 << 16)
def number_text(cell: str) -> str | None:
    """The number a cell prints, as ASCII Python's Decimal reads (``−1 663,5``
    is no number; ``−1 663.5`` is ``-1663.5``), or None if it prints none."""
    text = _MINUS.sub("-", nfkc(cell).strip())
    if not _NUMBER.match(text):
        return None
    return text.replace(",", "").replace(" ", "")


def is_number(cell: str) -> bool:
    return number_text(cell) is not None


@lru_cache(maxsize=1 << 16)
def is_percent(cell: str) -> bool:
    """A number with a percent sign: ``98.38%``, ``98.38 ％``, ``99.04(%)``."""
    text = nfkc(cell).strip()
    return bool(_PERCENT.search(text)) and is_number(_PERCENT.sub("", text))


@lru_cache(maxsize=1 << 16)
def number_value(cell: str) -> Decimal | None:
    """The number a cell prints, with or without a percent sign, or None."""
    text = number_text(_PERCENT.sub("", nfkc(cell).strip()))
    return None if text is None else Decimal(text)


@lru_cache(maxsize=1 << 16)
def is_none_mark(cell: str) -> bool:
    return nfkc(cell).strip() in _NONE_MARKS


def parse_decimal(cell: str | None, what: str, line_no: int | None) -> Decimal | None:
    """Read an amount, weight or score exactly; `-`, `—` or empty mean none.

    Full-width digits, thousands separators (commas, or spaces before groups
    of three digits) and a minus printed as any dash are accepted; anything
    else that is not a number rejects the form, naming the field and the line.
    """
    if cell is None:
        return None
    if nfkc(cell).strip() in _NONE_MARKS:
        return None
    text = number_text(cell)
    if text is None:
        raise FormError("unreadable_number", f"{what} {cell!r} is not a number", line_no)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise FormError("unreadable_number", f"{what} {cell!r} is not a number", line_no) from exc


def parse_percent(cell: str | None, what: str, line_no: int | None) -> Decimal | None:
    """``98.38%``, ``98.38 ％``, ``99.04(%)`` or ``98.38`` -> Decimal('98.38')."""
    if cell is None:
        return None
    return parse_decimal(_PERCENT.sub("", nfkc(cell).strip()), what, line_no)


_YEAR_IN_TITLE = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]")
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年(度?)")


def year_in_title(line: str) -> int | None:
    match = _YEAR_IN_TITLE.search(unicodedata.normalize("NFKC", line))
    return int(match.group(1)) if match else None


def year_in_narrative(*texts: str | None) -> int | None:
    """The evaluation year a narrative speaks of: a ``YYYY年度`` first, else the
    first ``YYYY年``, looking at the texts in the order given."""
    for want_du in (True, False):
        for text in texts:
            if not text:
                continue
            for match in _YEAR_IN_TEXT.finditer(unicodedata.normalize("NFKC", text)):
                if match.group(2) or not want_du:
                    return int(match.group(1))
    return None


def join_lines(texts: list[str]) -> str:
    """Lines of one cell as one text: a cell wraps at its width, wherever that
    falls (inside a number, ``13414500.0`` / ``0``, between a value and its
    unit, ``≥1000.00`` / ``(份)``), so lines join without a space — except a
    wrap between two Latin letters, which was a space between two words."""
    out = ""
    for text in texts:
        if out and text and out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha():
            out += " "
        out += text
    return out
