"""OLE2 files that are not Excel workbooks: Word 97-2003 (.doc), Kingsoft WPS
(.wps / .et), and password-protected Office files (an encrypted .xlsx or
.docx is an OLE2 file holding ``EncryptedPackage``). None is read: each is
refused with what to save it as. No well-kept reader on the package
registries reads .doc or .wps tables with their merges; LibreOffice converts
them (``soffice --headless --convert-to docx``), and so does WPS itself.
"""

from __future__ import annotations

from ingest.grid import Grid
from ingest.records import FormError
from ingest.sources.xls import OLE_MAGIC, WORKBOOK_STREAMS, ole_streams

NAME = "legacy"
FORMAT = "ole"
SAVE_AS = "open it in Word, WPS or LibreOffice and save it as .docx (a table) or .xlsx (a workbook), then ingest that file"


def sniff(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and not (ole_streams(data) & WORKBOOK_STREAMS)


def read(data: bytes) -> list[Grid]:
    streams = ole_streams(data)
    if not streams:
        raise FormError("corrupt_file", "the file is an OLE2 compound file (.xls, .doc, .wps, .et) that is damaged "
                                        "or truncated: its directory cannot be read")
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise FormError("encrypted", "the file is a password-protected Office document: "
                                     "open it with its password and save it without one, then ingest that file")
    if "WordDocument" in streams:
        raise FormError("legacy_format", f"the file is a Word 97-2003 (.doc) or WPS (.wps) document, "
                                         f"which jixiao does not read: {SAVE_AS}")
    raise FormError("legacy_format", f"the file is a legacy OLE2 document (.doc, .wps, .et or similar), "
                                     f"which jixiao does not read: {SAVE_AS}")
