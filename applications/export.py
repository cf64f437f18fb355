"""The exported pack: one PDF (cover, index by criterion, every document with a running header) and a ZIP
of the originals named as the index says. pypdf merges and stamps; reportlab draws the new pages.

PDF documents keep their own pages (stamped with the header); a Word document is set as its extracted
text on A4 pages; an image is one A4 page. So the PDF has 2 + the sum of the documents' pages.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify

from . import rules
from .models import Application, EvidenceDocument

A4_W, A4_H = 595.2756, 841.8898
HEADER_BAND = 22  # points at the top of every document page


@dataclass(frozen=True)
class PackEntry:
    number: int
    document: EvidenceDocument

    @property
    def criterion(self) -> str:
        return self.document.criterion or "Unassigned"

    @property
    def filename(self) -> str:
        stem = slugify(self.document.title)[:60] or "document"
        return f"{self.number:02d}-{self.criterion}-{stem}.{self.document.kind}"

    @property
    def header(self) -> str:
        return f"{self.criterion} · Document {self.number} · {self.document.title}"


def pack_order(application: Application, documents: list[EvidenceDocument]) -> list[PackEntry]:
    """MC first, then the chosen optional criteria, then the others, then unassigned; by position within."""
    order = [
        "MC",
        *application.optional_criteria,
        *[c for c in rules.OPTIONAL_CRITERIA if c not in application.optional_criteria],
        "",
    ]
    ranked = sorted(documents, key=lambda d: (order.index(d.criterion), d.position))
    return [PackEntry(number, doc) for number, doc in enumerate(ranked, start=1)]


def _canvas(buffer, size=(A4_W, A4_H)):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(buffer, pagesize=size)
    pdf.setTitle("Global Talent evidence pack")
    return pdf


def _header(pdf, text: str, width: float, height: float) -> None:
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(0, height - HEADER_BAND, width, HEADER_BAND, stroke=0, fill=1)
    pdf.setFillColorRGB(0.2, 0.2, 0.3)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(24, height - 14, text[:120])
    pdf.setStrokeColorRGB(0.75, 0.75, 0.8)
    pdf.line(24, height - HEADER_BAND + 2, width - 24, height - HEADER_BAND + 2)


def _front_pages(
    application: Application, entries: list[PackEntry], pages: list[int], *, owner: str, today: date
) -> bytes:
    buffer = io.BytesIO()
    pdf = _canvas(buffer)
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawString(60, 700, "Global Talent evidence pack")
    pdf.setFont("Helvetica", 14)
    pdf.drawString(60, 668, owner)
    lines = [
        "Digital technology (Tech Nation)",
        application.get_category_display() or "Category not chosen yet",
        "Criteria: MC" + "".join(f" + {c}" for c in application.optional_criteria),
        f"{len(entries)} documents, {sum(pages)} pages of evidence",
        f"Prepared {today:%-d %B %Y}",
    ]
    pdf.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        pdf.drawString(60, 630 - i * 18, line)
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(60, 770, "Index by criterion")
    y, start, current = 740, 3, None
    for entry, count in zip(entries, pages, strict=True):
        if entry.criterion != current:
            current = entry.criterion
            y -= 10
            pdf.setFont("Helvetica-Bold", 11)
            name = rules.CRITERIA[current].name if current in rules.CRITERIA else "Not assigned to a criterion"
            pdf.drawString(60, y, name)
            y -= 18
        pdf.setFont("Helvetica", 10)
        pdf.drawString(72, y, f"{entry.number}.")
        pdf.drawString(92, y, entry.document.title[:70])
        pdf.drawRightString(A4_W - 60, y, f"p. {start}" + (f"–{start + count - 1}" if count > 1 else ""))
        y -= 15
        start += count
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _text_pages(entry: PackEntry, text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = _canvas(buffer)
    lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, 95) or [""])]
    per_page = 58
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    for chunk in chunks:
        _header(pdf, entry.header + " (text of the Word document)", A4_W, A4_H)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", 10)
        for i, line in enumerate(chunk):
            pdf.drawString(50, A4_H - 50 - i * 13, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _image_page(entry: PackEntry, data: bytes) -> bytes:
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    pdf = _canvas(buffer)
    image = ImageReader(io.BytesIO(data))
    width, height = image.getSize()
    box_w, box_h = A4_W - 60, A4_H - HEADER_BAND - 40
    scale = min(box_w / width, box_h / height, 1.0)
    pdf.drawImage(image, 30, A4_H - HEADER_BAND - 10 - height * scale, width * scale, height * scale)
    _header(pdf, entry.header, A4_W, A4_H)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _stamp(page, text: str) -> None:
    from pypdf import PdfReader

    width, height = float(page.mediabox.width), float(page.mediabox.height)
    buffer = io.BytesIO()
    pdf = _canvas(buffer, size=(width, height))
    _header(pdf, text, width, height)
    pdf.showPage()
    pdf.save()
    page.merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])


def build_pack_pdf(
    application: Application,
    documents: list[EvidenceDocument],
    *,
    read: Callable[[EvidenceDocument], bytes],
    owner: str,
    today: date,
) -> tuple[bytes, int]:
    """The pack as one PDF and its page count (2 + the pages of every document)."""
    from pypdf import PdfReader, PdfWriter

    entries = pack_order(application, documents)
    bodies = []  # (entry, pages, stamp: whether the header still has to be drawn on them)
    for entry in entries:
        doc = entry.document
        if doc.kind == "pdf":
            reader = PdfReader(io.BytesIO(read(doc)), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            bodies.append((entry, list(reader.pages), True))
        else:
            rendered = _image_page(entry, read(doc)) if doc.kind in ("png", "jpg") else _text_pages(entry, doc.text)
            bodies.append((entry, list(PdfReader(io.BytesIO(rendered)).pages), False))
    front = _front_pages(application, entries, [len(pages) for _, pages, _ in bodies], owner=owner, today=today)
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(front)).pages:
        writer.add_page(page)
    for entry, pages, stamp in bodies:
        for page in pages:
            added = writer.add_page(page)
            if stamp:
                _stamp(added, entry.header)  # pypdf 7 merges only into pages that belong to a writer
    writer.add_metadata({"/Title": "Global Talent evidence pack", "/Author": owner})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def build_pack_zip(application: Application, documents: list[EvidenceDocument], *, read) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in pack_order(application, documents):
            archive.writestr(entry.filename, read(entry.document))
    return buffer.getvalue()
