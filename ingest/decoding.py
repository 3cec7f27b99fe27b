"""Bytes to text: find the encoding, replace a few bad bytes, clean invisible characters.

Accepted: UTF-8 (with or without BOM), UTF-16 LE/BE (with a BOM, or without
one when its zero bytes give it away: Excel's "Unicode text" export),
GB18030 (a superset of GBK and GB2312) and Big5. Detection:

1. a byte-order mark decides;
2. zero bytes falling on every other position mean UTF-16 (and must fall on
   the positions a UTF-16 byte-order mark says); other zero bytes mean a
   binary file, refused;
3. text that is valid UTF-8 is UTF-8 (other encodings rarely are);
4. otherwise each candidate — GB18030, Big5, and the guess of
   charset-normalizer — decodes a sample, and the one with the fewest
   undecodable bytes, then the largest share of common Chinese characters,
   wins. GB18030 decodes almost any byte pairs, so Big5 text read as GB18030
   gives no errors but rare characters: the share of common characters (the
   3,755 of GB2312's first level, the 5,401 of Big5's common set) tells them
   apart.

A few undecodable bytes are replaced by U+FFFD and reported with their byte
offsets (``undecodable_bytes``, a warning); a file where more than one byte
in 200 is undecodable, that is mostly control characters, or whose Chinese
characters, read as GB18030 or Big5, are mostly rare ones (high-byte noise
decodes as GB18030 without an error), is refused (:class:`UndecodableError`,
landed as ``not_text``).

Then the text is cleaned before anything reads it: line ends become LF;
zero-width characters (U+200B ZWSP, U+200C ZWNJ, U+200D ZWJ, U+2060 word
joiner, U+FEFF as a BOM mid-file, U+200E/U+200F direction marks) and U+00AD
soft hyphens are removed; U+3000 (ideographic space) and U+00A0 (NBSP) become
ordinary spaces, except on a line holding nothing but such spaces (and
ordinary ones): sources that put one cell per paragraph print a lone NBSP
for an empty cell, and mapping it to a space would make it look like the
blank line between cells (ingest/sources/cell_lines.py). Such a line is kept
as printed.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from functools import cache

from ingest.records import Issue, Severity


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass
class Decoded:
    text: str  # LF line ends, invisible characters removed
    encoding: str  # 'utf-8', 'utf-8-bom', 'utf-16-le', 'utf-16-le-bom', 'utf-16-be', 'utf-16-be-bom', 'gb18030', 'big5'
    issues: list[Issue] = field(default_factory=list)  # undecodable_bytes


# A file is refused when more than this share of its bytes can't be decoded.
MAX_BAD_SHARE = 1 / 200
# Offsets listed in the warning.
MAX_OFFSETS_LISTED = 20
# Bytes of the file the candidate encodings are judged on.
SAMPLE_BYTES = 32 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-bom"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le-bom"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be-bom"),
)
# codec -> name recorded in raw.source_files.encoding
_CANDIDATES = {"utf-8": "utf-8", "gb18030": "gb18030", "big5hkscs": "big5"}
# charset-normalizer's names for the encodings we accept
_GUESSES = {"utf8": "utf-8", "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "hz": None,
            "big5": "big5hkscs", "cp950": "big5hkscs", "big5hkscs": "big5hkscs"}

_record = threading.local()


def _record_error(err: UnicodeDecodeError) -> tuple[str, int]:
    _record.spans.append((err.start, err.end))
    return "\ufffd", err.end


codecs.register_error("jixiao-record", _record_error)


def _decode(data: bytes, codec: str) -> tuple[str, list[tuple[int, int]]]:
    """Decode, replacing what can't be decoded; the byte spans replaced."""
    _record.spans = []
    try:
        return data.decode(codec, errors="jixiao-record"), _record.spans
    finally:
        _record.spans = []


@cache
def common_cjk() -> frozenset[str]:
    """The everyday Chinese characters: GB2312 level 1 and Big5's common set."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) < (0xC6, 0x7F):
                chars.update(bytes((lead, trail)).decode("big5", errors="ignore"))
    return frozenset(chars)


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def common_share(text: str) -> float:
    """Share of the Chinese characters in ``text`` that are everyday ones."""
    cjk = _CJK.findall(text)
    return sum(map(common_cjk().__contains__, cjk)) / len(cjk) if cjk else 0.0


# GB18030 (and Big5) decode most pairs of high bytes: text of which fewer
# than this share of the Chinese characters are everyday ones is no text.
MIN_COMMON_SHARE = 0.5
_RARE_SAMPLE = 4000  # characters


def _rare_only(text: str) -> bool:
    cjk = _CJK.findall(text, 0, _RARE_SAMPLE)
    return len(cjk) >= 50 and sum(map(common_cjk().__contains__, cjk)) < MIN_COMMON_SHARE * len(cjk)


def _utf16_order(data: bytes, min_zero_share: float = 0.06) -> str | None:
    """'le' or 'be' when the zero bytes fall on every other position (a form
    in UTF-16 is full of digits, tabs and line ends: their high byte is
    zero), else None."""
    sample = data[: 64 * 1024]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) < 2 or even + odd == 0 or even + odd < len(sample) * min_zero_share:
        return None
    if odd >= 0.9 * (even + odd):
        return "le"
    if even >= 0.9 * (even + odd):
        return "be"
    return None


def _sample(data: bytes) -> bytes:
    """The first SAMPLE_BYTES of ``data``, cut after a line end (no character split)."""
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:SAMPLE_BYTES]


def _guess(sample: bytes) -> str | None:
    """charset-normalizer's best guess, if it is an encoding we accept."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["gb18030", "big5", "cp950", "utf_8"]).best()
    return _GUESSES.get(best.encoding.replace("_", "")) if best is not None else None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _choose(data: bytes) -> str:
    """The codec of text that is not valid UTF-8 (nor UTF-16), judged on a
    sample: the one candidate that decodes it without an error; among
    several, the one with the most everyday Chinese characters, then
    charset-normalizer's guess; when none does, the fewest bad bytes first."""
    sample = _sample(data)
    clean = [codec for codec in _CANDIDATES if _decodes(sample, codec)]
    if len(clean) == 1:
        return clean[0]
    guess = _guess(sample)

    def rank(codec: str) -> tuple[int, float, bool]:
        text, spans = _decode(sample, codec)
        return sum(e - s for s, e in spans), -round(common_share(text), 2), codec != guess

    return min(clean or _CANDIDATES, key=rank)


def _offsets(spans: list[tuple[int, int]], shift: int) -> str:
    listed = ", ".join(str(start + shift) for start, _ in spans[:MAX_OFFSETS_LISTED])
    return listed + (f" … ({len(spans) - MAX_OFFSETS_LISTED} more)" if len(spans) > MAX_OFFSETS_LISTED else "")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes) -> Decoded:
    """Decode a document (see the module's docstring); raises UndecodableError."""
    codec = name = None
    body, shift = data, 0
    for bom, bom_codec, bom_name in _BOMS:
        if data.startswith(bom):
            codec, name, body, shift = bom_codec, bom_name, data[len(bom):], len(bom)
            break
    if codec in ("utf-16-le", "utf-16-be") and _utf16_order(body, 0) not in (None, codec[-2:]):
        raise UndecodableError(f"the file starts with a {codec} byte-order mark, but what follows is not "
                               f"{codec} text: it is binary")
    if codec is None and (order := _utf16_order(data)):
        codec = name = f"utf-16-{order}"
    text: str | None = None
    if codec is None:
        if b"\x00" in data:
            raise UndecodableError("the file contains NUL bytes: it is binary, not text")
        try:
            text, spans, name = data.decode("utf-8"), [], "utf-8"
        except UnicodeDecodeError:
            codec = _choose(data)
            name = _CANDIDATES[codec]
    if text is None:
        text, spans = _decode(body, codec)
    bad = sum(end - start for start, end in spans)
    if bad > len(data) * MAX_BAD_SHARE:
        raise UndecodableError(
            f"{bad} of its {len(data)} bytes are not text in any encoding jixiao reads (UTF-8, UTF-16, "
            f"GB18030/GBK, Big5): it is binary, or text in another encoding; the first at byte offsets "
            f"{_offsets(spans, shift)}"
        )
    if text and len(_CONTROL.findall(text)) / len(text) > 0.01:
        raise UndecodableError("the file is mostly control characters: it is binary, not text")
    if name in ("gb18030", "big5") and _rare_only(text):
        raise UndecodableError(
            f"read as {name}, the file holds almost only rare Chinese characters: it is binary, or text in "
            "an encoding jixiao does not read (UTF-8, UTF-16, GB18030/GBK and Big5 are read)"
        )
    issues = []
    if spans:
        issues.append(Issue(
            "undecodable_bytes",
            f"{bad} byte{'s' if bad > 1 else ''} could not be decoded as {name} and "
            f"{'were' if len(spans) > 1 else 'was'} replaced by U+FFFD (the file's other text is read as usual), "
            f"at byte offsets {_offsets(spans, shift)}; check those places in the file",
            severity=Severity.WARNING,
        ))
    return Decoded(clean(text), name, issues)


_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACING_LINE = re.compile(r"^[ \t]*[\u00a0\u3000][ \t\u00a0\u3000]*$")


def clean(text: str) -> str:
    """LF line ends; invisible characters removed; U+3000 and NBSP as spaces,
    except on a line of nothing but such spaces (an empty cell's marker)."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\u00a0" not in text and "\u3000" not in text:
        return text
    return "\n".join(
        line if _SPACING_LINE.match(line) else line.replace("\u00a0", " ").replace("\u3000", " ")
        for line in text.split("\n")
    )
