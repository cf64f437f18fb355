"""Evidence files: the CV upload's content validation (ai_tools.documents) plus PNG/JPEG web-page printouts."""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass

from ai_tools.documents import DocumentRejected, UploadLimits, new_storage_name
from ai_tools.services import document_validate

ACCEPTED = "Upload the evidence as a PDF, a Word document (.docx) or a PNG/JPEG image of a web page printout."
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
IMAGE_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


@dataclass(frozen=True)
class EvidenceFile:
    kind: str  # EvidenceDocument.Kind value
    text: str
    page_count: int
    pages_estimated: bool
    sha256: str
    size_bytes: int
    storage_name: str


def _head(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload[:8])
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return head


def _image(upload, kind: str) -> tuple[EvidenceFile, bytes]:
    from PIL import Image, UnidentifiedImageError

    limits = UploadLimits.from_settings()
    data = bytes(upload) if isinstance(upload, bytes | bytearray) else upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise DocumentRejected(f"The image is larger than {limits.max_bytes // (1024 * 1024)} MB. Save it smaller.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                raise DocumentRejected(ACCEPTED)
            if probe.width * probe.height > IMAGE_MAX_PIXELS:
                raise DocumentRejected(
                    "This image's dimensions are too large. Save the printout at a lower resolution."
                )
            probe.verify()
    except DocumentRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DocumentRejected("This image is damaged and cannot be read. " + ACCEPTED) from exc
    return (
        EvidenceFile(
            kind=kind,
            text="",
            page_count=1,
            pages_estimated=False,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            storage_name=f"evidence/{secrets.token_urlsafe(32)}.{kind}",
        ),
        data,
    )


def evidence_file_validate(*, upload) -> tuple[EvidenceFile, bytes]:
    """Check an evidence upload by its content; raises DocumentRejected (message safe to show)."""
    head = _head(upload)
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return _image(upload, kind)
    extracted, data = document_validate(upload=upload)
    if extracted.kind.value not in ("pdf", "docx"):
        raise DocumentRejected(ACCEPTED)
    return (
        EvidenceFile(
            kind=extracted.kind.value,
            text=extracted.text,
            page_count=extracted.page_count,
            pages_estimated=extracted.pages_estimated,
            sha256=extracted.sha256,
            size_bytes=extracted.size_bytes,
            storage_name=new_storage_name(extracted.kind, prefix="evidence"),
        ),
        data,
    )
