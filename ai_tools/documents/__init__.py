"""CV uploads: content-based validation and text extraction. Works on bytes or a file-like object, never on disk.

doc = extract_document(request.FILES["cv"])   # raises DocumentRejected(message) for the user
name = new_storage_name(doc.kind)             # storage itself is the caller's job
"""

from .extraction import ExtractedDocument, extract_document
from .limits import UploadLimits
from .sniffing import DocumentKind, DocumentRejected, detect_kind, read_upload
from .storage import new_storage_name

__all__ = [
    "DocumentKind",
    "DocumentRejected",
    "ExtractedDocument",
    "UploadLimits",
    "detect_kind",
    "extract_document",
    "new_storage_name",
    "read_upload",
]
