"""Decide what an upload really is from its bytes (magic numbers and structure), never its name.

Messages in DocumentRejected are shown to the user as they are: plain words, and what to do next.
"""

import io
import zipfile
from enum import StrEnum
from typing import BinaryIO

from .limits import UploadLimits


class DocumentRejected(Exception):
    """The upload cannot be used; ``message`` is safe to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DocumentKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"


ACCEPTED = "Please upload your CV as a PDF, a Word document (.docx) or a plain text file (.txt)."

# Well-known signatures of things people upload by mistake (or on purpose), with a helpful message each.
_FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "This file is a Windows program, not a document. " + ACCEPTED),
    (b"\x7fELF", "This file is a program, not a document. " + ACCEPTED),
    (b"\xcf\xfa\xed\xfe", "This file is a program, not a document. " + ACCEPTED),
    (b"#!", "This file is a script, not a document. " + ACCEPTED),
    (b"\x89PNG", "This file is an image. " + ACCEPTED),
    (b"\xff\xd8\xff", "This file is an image. " + ACCEPTED),
    (b"GIF8", "This file is an image. " + ACCEPTED),
    (b"RIFF", "This file is an image or media file. " + ACCEPTED),
    (b"\xd0\xcf\x11\xe0", "This is an old-style Word (.doc) file. Save it as .docx or PDF and upload it again."),
    (b"{\\rtf", "This is a Rich Text (.rtf) file. Save it as .docx or PDF and upload it again."),
    (b"Rar!", "This is a compressed archive. " + ACCEPTED),
    (b"7z\xbc\xaf", "This is a compressed archive. " + ACCEPTED),
    (b"\x1f\x8b", "This is a compressed archive. " + ACCEPTED),
)


def read_upload(upload: bytes | bytearray | BinaryIO, *, max_bytes: int) -> bytes:
    """Read the whole upload into memory, refusing empty and oversized files.

    Reads at most ``max_bytes + 1`` bytes from a stream, so a huge upload is never loaded whole.
    """
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if not data:
        raise DocumentRejected("The file is empty (0 bytes). " + ACCEPTED)
    if len(data) > max_bytes:
        raise DocumentRejected(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB. A CV should be at most 3 pages: "
            "remove images or export it again as a text-based PDF."
        )
    return data


def detect_kind(data: bytes, limits: UploadLimits | None = None) -> DocumentKind:
    """Return the document kind, or raise DocumentRejected with the reason."""
    limits = limits or UploadLimits()
    # PDF readers accept the header anywhere in the first 1 KB; so do we.
    if b"%PDF-" in data[:1024]:
        return DocumentKind.PDF
    if data.startswith(b"PK\x03\x04"):
        check_docx_container(data, limits)
        return DocumentKind.DOCX
    for signature, message in _FOREIGN_SIGNATURES:
        if data.startswith(signature):
            raise DocumentRejected(message)
    if looks_like_text(data):
        return DocumentKind.TXT
    raise DocumentRejected("We could not recognise this file type. " + ACCEPTED)


def looks_like_text(data: bytes) -> bool:
    """UTF-8 text with (almost) no control characters. UTF-16 and legacy encodings are refused."""
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= max(2, len(text) // 1000)


def check_docx_container(data: bytes, limits: UploadLimits) -> None:
    """Refuse zips that are not Word documents, and zip bombs (ASVS 5.2.3).

    The caps are on the sizes declared in the zip directory. That is enough here because Python's
    zipfile stops decompressing a member at its declared size (and fails its CRC check), so a member
    cannot expand past what we checked.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise DocumentRejected("This Word document is damaged and cannot be opened. " + ACCEPTED) from exc
    if len(members) > limits.docx_max_members:
        raise DocumentRejected("This file contains too many parts to be a CV. " + ACCEPTED)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise DocumentRejected("This is a zip archive or another Office file, not a Word document. " + ACCEPTED)
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > limits.docx_max_compression_ratio:
            raise DocumentRejected("This Word document looks unsafe (it expands to a huge size). " + ACCEPTED)
    if total > limits.docx_max_uncompressed_bytes:
        raise DocumentRejected(
            "This Word document is too large once opened. Remove embedded images or videos and upload it again."
        )
    if "word/vbaProject.bin" in names:
        raise DocumentRejected("This Word document contains macros. Save it as a plain .docx or PDF and upload it.")
