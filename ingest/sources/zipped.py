"""Office files are zip packages (xlsx, docx, ods): recognise them, and open
them only after checking, in the zip's own directory, that unpacking stays
within bounds — a zip bomb posing as a workbook is refused before a byte of
it is inflated, and a corrupt or truncated package is refused with a reason.

Reads through :mod:`zipfile` never return more than a member's declared size
(a member that inflates past it fails its CRC check), so the declared sizes
checked here bound the work of every reader that goes through this module.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ingest.records import FormError

ZIP_MAGIC = b"PK\x03\x04"
# Bounds on what a published form's package may unpack to. A workbook of a
# thousand forms is a few MB unpacked; these leave room for far more.
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
# Office XML compresses 10-30x; a zip bomb compresses thousands of times.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 4 * 1024 * 1024  # small members may compress as they like
# What reading a damaged package raises (a bad CRC, a broken deflate stream, an unknown compression).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)


def is_zip(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


def member_names(data: bytes) -> set[str]:
    """The member names of a zip package, or an empty set if it is not one
    (used by sniffing: never raises)."""
    if not is_zip(data):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except ZIP_ERRORS:
        return set()


def holds(data: bytes, name: str, folder: str) -> bool:
    """Whether a zip package holds the member ``name``; when its directory is
    unreadable (a truncated download), whether a local header still names a
    member under ``folder`` — enough to say which format was meant and refuse
    it as damaged rather than take it for text."""
    if not is_zip(data):
        return False
    names = member_names(data)
    if names:
        return name in names
    return re.search(re.escape(b"PK\x03\x04") + rb".{26}" + re.escape(folder.encode()), data, re.S) is not None


def zip_prefix(data: bytes, name: str) -> bytes:
    """The first bytes of a stored (uncompressed) member placed first in the
    package, as ODF's ``mimetype`` is; empty when absent."""
    if not is_zip(data) or len(data) < 30:
        return b""
    name_len = int.from_bytes(data[26:28], "little")
    extra_len = int.from_bytes(data[28:30], "little")
    if data[30:30 + name_len] != name.encode():
        return b""
    start = 30 + name_len + extra_len
    return data[start:start + 100]


def open_package(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open a package after checking its directory; ``kind`` names the format
    in messages (``Excel workbook``, ``Word document`` …)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as err:
        raise FormError("corrupt_file", f"the {kind} is damaged or truncated: it is not a readable zip package ({err})")
    if len(infos) > MAX_MEMBERS:
        raise FormError("too_large", f"the {kind} holds {len(infos)} parts (more than {MAX_MEMBERS}): not read")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise FormError(
                "too_large",
                f"the {kind} would unpack to more than {MAX_TOTAL_BYTES // 2**20} MB "
                f"({info.filename}: {info.file_size:,} bytes): not read",
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FormError(
                "zip_bomb",
                f"the {kind}'s part {info.filename} would inflate {info.file_size // max(info.compress_size, 1):,} "
                f"times ({info.compress_size:,} -> {info.file_size:,} bytes): a zip bomb, not read",
            )
    return zf


def read_member(zf: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """A member's bytes; a damaged member is a ``corrupt_file``."""
    try:
        return zf.read(name)
    except KeyError:
        raise FormError("corrupt_file", f"the {kind} has no part {name}: it is damaged or not a {kind}")
    except ZIP_ERRORS as err:
        raise FormError("corrupt_file", f"the {kind}'s part {name} is damaged or truncated ({err})")
