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


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_NONE_MARKS = {"", "-", "—", "－", "–", "——", "/", "无"}


@lru_cache(maxsize=1 << 16)
def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(nfkc(cell).strip()))


def is_none_mark(cell: str) -> bool:
    return nfkc(cell).strip() in _NONE_MARKS


def parse_decimal(cell: str | None, what: str, line_no: int | None) -> Decimal | None:
    """Read an amount, weight or score exactly; `-`, `—` or empty mean none.

    Thousands separators are accepted; anything else that is not a number
    rejects the form, naming the field and the line.
    """
    if cell is None:
        return None
    text = nfkc(cell).strip()
    if text in _NONE_MARKS:
        return None
    if not _NUMBER.match(text):
        raise FormError("unreadable_number", f"{what} {cell!r} is not a number", line_no)
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise FormError("unreadable_number", f"{what} {cell!r} is not a number", line_no) from exc


def parse_percent(cell: str | None, what: str, line_no: int | None) -> Decimal | None:
    """``98.38%`` or ``98.38`` -> Decimal('98.38')."""
    if cell is None:
        return None
    text = unicodedata.normalize("NFKC", cell).strip().rstrip("%").strip()
    return parse_decimal(text, what, line_no)


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
