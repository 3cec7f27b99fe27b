"""Damaged and hostile variants of office documents, for the tests and the
benchmark of the file sources."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable


def _rewrite(package: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The zip package with each member's bytes passed through ``change(name, data)``."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, change(info.filename, src.read(info)))
    return out.getvalue()


def with_empty_rows(book: bytes, n: int, first_row: int, cells_per_row: int = 1) -> bytes:
    """An xlsx with ``n`` formatted but empty rows appended to its first
    sheet from ``first_row`` on (as a sheet whose whole columns were once
    formatted): each row a ``<row>`` with ``cells_per_row`` styled empty cells."""
    cols = "ABCDEFGHIJ"[:cells_per_row]
    extra = "".join(
        f'<row r="{r}" ht="15" customHeight="1">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in cols) + "</row>"
        for r in range(first_row, first_row + n)
    ).encode()
    return with_member_replaced(book, "xl/worksheets/sheet1.xml", b"</sheetData>", extra + b"</sheetData>")


def with_member_replaced(package: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """A zip package whose member ``name`` has ``old`` replaced by ``new``."""
    return _rewrite(package, lambda member, data: data.replace(old, new) if member == name else data)


def with_member_cut(package: bytes, prefix: str, keep: float) -> bytes:
    """A zip package whose members under ``prefix`` stop after ``keep`` of their bytes."""
    return _rewrite(package, lambda member, data: data[: int(len(data) * keep)] if member.startswith(prefix) else data)


def with_member(package: bytes, name: str, zero_mb: int) -> bytes:
    """A zip package with one more member of ``zero_mb`` MB of zeros: it
    deflates about 1000:1, the shape of a zip bomb."""
    out = io.BytesIO(_rewrite(package, lambda member, data: data))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open(name, "w") as member:
        chunk = bytes(1 << 20)
        for _ in range(zero_mb):
            member.write(chunk)
    return out.getvalue()


def with_stray_value(book: bytes, ref: str, text: str = "x") -> bytes:
    """An xlsx with one more value, at ``ref`` of its first sheet (a stray
    keystroke far from the form)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(book))
    wb.worksheets[0][ref] = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
