"""Text helpers shared by the layout parsers: decoding, squashing, numbers."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest.records import FormError


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode a document; return (text with LF line ends, encoding name).

    Accepts UTF-8 (with or without BOM) and GB18030 (a superset of GBK and
    GB2312). Binary data (NUL bytes, or bytes valid in neither) is refused.
    """
    if b"\x00" in data:
        raise UndecodableError("the file contains NUL bytes: it is binary, not text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) > 0.01:
            raise UndecodableError("the file is mostly control characters: it is binary, not text")
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-bom"
        return text.replace("\r\n", "\n").replace("\r", "\n"), name
    raise UndecodableError("the file is neither UTF-8 nor GB18030/GBK text")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


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
