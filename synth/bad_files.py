"""Damaged and hostile variants of office documents, for the tests and the
benchmark of the file sources."""

from __future__ import annotations

import io
import zipfile


def with_empty_rows(book: bytes, n: int, first_row: int, cells_per_row: int = 1) -> bytes:
    """An xlsx with ``n`` formatted but empty rows appended to its first
    sheet from ``first_row`` on (as a sheet whose whole columns were once
    formatted): each row a ``<row>`` with ``cells_per_row`` styled empty cells."""
    src = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cols = "ABCDEFGHIJ"[:cells_per_row]
                extra = "".join(
                    f'<row r="{r}" ht="15" customHeight="1">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in cols) + "</row>"
                    for r in range(first_row, first_row + n)
                )
                data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            z.writestr(info.filename, data)
    return out.getvalue()


def with_member(package: bytes, name: str, zero_mb: int) -> bytes:
    """A zip package with one more member of ``zero_mb`` MB of zeros: it
    deflates about 1000:1, the shape of a zip bomb."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        with z.open(name, "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(zero_mb):
                member.write(chunk)
    return out.getvalue()


def with_member_cut(package: bytes, prefix: str, keep: float) -> bytes:
    """A zip package whose members under ``prefix`` stop after ``keep`` of their bytes."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith(prefix):
                data = data[: int(len(data) * keep)]
            z.writestr(info.filename, data)
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
