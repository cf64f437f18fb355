"""Upload limits, read from Django settings (AI tools block) with safe defaults."""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 5 * MB
    docx_max_uncompressed_bytes: int = 20 * MB
    docx_max_members: int = 500
    # A DOCX member compressing better than this is a zip bomb, not a document (text XML is ~5-20x).
    docx_max_compression_ratio: int = 100
    max_pages_read: int = 30
    # Fewer extractable characters than this means a scanned (image-only) or empty document.
    min_text_chars: int = 80

    @classmethod
    def from_settings(cls) -> "UploadLimits":
        from django.conf import settings

        defaults = cls()
        return cls(
            max_bytes=getattr(settings, "AI_UPLOAD_MAX_BYTES", defaults.max_bytes),
            docx_max_uncompressed_bytes=getattr(
                settings, "AI_DOCX_MAX_UNCOMPRESSED_BYTES", defaults.docx_max_uncompressed_bytes
            ),
            docx_max_members=getattr(settings, "AI_DOCX_MAX_MEMBERS", defaults.docx_max_members),
            max_pages_read=getattr(settings, "AI_CV_MAX_PAGES_READ", defaults.max_pages_read),
        )
