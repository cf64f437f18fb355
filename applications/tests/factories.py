"""Builders for the application pack tests: real files through the real upload service."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from ai_tools.tests.builders import make_docx, make_pdf
from applications import services
from applications.portfolio import DocFacts

TODAY = date(2026, 6, 1)


def facts(position: int = 1, *, criterion: str = "MC", evidence_date: date = date(2025, 1, 1), **kw) -> DocFacts:
    values = {
        "position": position,
        "title": f"Document {position}",
        "proves": "Invited keynote at a national conference.",
        "source": "https://example.org/programme",
        "criterion": criterion,
        "evidence_date": evidence_date,
        "page_count": 1,
        "pages_estimated": False,
        "is_web_printout": False,
        "text": "",
    }
    values.update(kw)
    return DocFacts(**values)


def pdf_upload(text: str, *, pages: int = 1, name: str = "evidence.pdf") -> SimpleUploadedFile:
    body = "\f".join(
        f"{text}\nPage {n + 1} of the evidence. " + "Filler sentence about the work. " * 8 for n in range(pages)
    )
    return SimpleUploadedFile(name, make_pdf(body), content_type="application/pdf")


def docx_upload(text: str, name: str = "evidence.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_docx(text), content_type="application/octet-stream")


def png_upload(name: str = "printout.png", colour=(200, 30, 30)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def add_document(application, *, n: int, criterion: str = "MC", pages: int = 1, **kw):
    """Add a distinct PDF (its text carries ``n``, so every file has its own hash)."""
    return services.evidence_add(
        application=application,
        upload=kw.pop("upload", None)
        or pdf_upload(f"Evidence number {n}: keynote talk at PyCon UK 2024.", pages=pages),
        title=kw.pop("title", f"Evidence {n}"),
        proves=kw.pop("proves", "An invited keynote at a sector-leading conference."),
        evidence_date=kw.pop("evidence_date", date(2025, 3, 1)),
        source=kw.pop("source", "https://pycon.example/programme"),
        is_web_printout=kw.pop("is_web_printout", False),
        criterion=criterion,
    )
