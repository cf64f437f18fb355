"""Text extraction and page counting for validated PDF, DOCX and TXT uploads.

PDF text comes from glyph positions (``pdf_layout``, pdfminer.six) and is then repaired and judged
(``text_repair``): the choice of library was measured, see ``ai_tools/documents/README.md``.
"""

import hashlib
import io
import logging
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from .limits import UploadLimits
from .sniffing import ACCEPTED, DocumentKind, DocumentRejected, detect_kind, read_upload
from .text_repair import ENDS_WITH_DATE, QUALITY_GOOD, assess_text, is_heading, normalise_text, repair_pdf_text

logger = logging.getLogger(__name__)

WORDS_PER_PAGE = 500  # a dense one-column CV page; used only where no real page count exists
LINES_PER_PAGE = 50
LAYOUT_CELL_PARAGRAPHS = 3  # a table cell with this many paragraphs is a layout column, not a table cell


@dataclass(frozen=True)
class ExtractedDocument:
    kind: DocumentKind
    text: str
    page_count: int
    pages_estimated: bool  # True for DOCX and TXT: only a PDF has real pages
    word_count: int
    sha256: str
    size_bytes: int
    # User-facing sentences about how the text was read ("...we repaired it — check the roles below").
    warnings: tuple[str, ...] = ()
    # "good", "repaired" (glued words split; check the roles) or "unreadable" (do not analyse; refund).
    quality: str = QUALITY_GOOD


def extract_document(upload: bytes | bytearray | BinaryIO, *, limits: UploadLimits | None = None) -> ExtractedDocument:
    """Validate an upload by its content and extract its text. Raises DocumentRejected."""
    limits = limits or UploadLimits.from_settings()
    data = read_upload(upload, max_bytes=limits.max_bytes)
    kind = detect_kind(data, limits)
    if kind is DocumentKind.PDF:
        raw_text, pages, estimated = _extract_pdf(data, limits)
        raw_text = clean_pdf_text(raw_text)
    elif kind is DocumentKind.DOCX:
        raw_text, pages, estimated = _extract_docx(data)
    else:
        raw_text, pages, estimated = _extract_txt(data)
    text = normalise_text(raw_text)
    if len(re.sub(r"\s", "", text)) < limits.min_text_chars:
        raise DocumentRejected(_no_text_message(kind))
    assessed = assess_text(text, is_pdf=kind is DocumentKind.PDF)
    if assessed.quality != QUALITY_GOOD:
        logger.info("Extracted text quality %s (%d glued words split)", assessed.quality, assessed.glued_repaired)
    text = assessed.text
    return ExtractedDocument(
        kind=kind,
        text=text,
        page_count=pages,
        pages_estimated=estimated,
        word_count=len(text.split()),
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        warnings=assessed.warnings,
        quality=assessed.quality,
    )


def clean_pdf_text(raw: str) -> str:
    """PDF text as the analysis wants it: repaired (unmapped glyphs, hyphenation, glued headings), unwrapped."""
    return unwrap_lines(repair_pdf_text(unicodedata.normalize("NFKC", raw)))


def pdf_text(data: bytes) -> str:
    """The text the site reads from a PDF (no upload validation): for benchmarks and tests."""
    return normalise_text(clean_pdf_text(_pdf_pages_text(data, None, 0)))


def _pdf_pages_text(data: bytes, reader, page_count: int) -> str:
    """Text from glyph positions (pdf_layout); pypdf's own text when pdfminer cannot parse the file."""
    from .pdf_layout import pdf_pages_text

    try:
        return "\n\n".join(pdf_pages_text(data, max_pages=page_count))
    except Exception as exc:  # pdfminer raises many types on odd files pypdf accepted
        if reader is None:
            raise
        logger.info("pdfminer could not read a PDF pypdf opened (%s); using pypdf's text", exc)
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)


def _no_text_message(kind: DocumentKind) -> str:
    if kind is DocumentKind.PDF:
        return (
            "We could not find any text in this PDF: it looks like a scanned image. Export your CV from Word, "
            "Google Docs or similar as a text-based PDF (File > Download > PDF), or upload the .docx instead."
        )
    return "This document has (almost) no text. Check that you uploaded your CV and not a blank file."


def _extract_pdf(data: bytes, limits: UploadLimits) -> tuple[str, int, bool]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Permission-only PDFs open with an empty password; real password protection does not.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError):
                opened = 0
            if not opened:
                raise DocumentRejected(
                    "This PDF is password-protected. Remove the password (or export it again without "
                    "protection) and upload it again."
                )
        page_count = len(reader.pages)
        if page_count == 0:
            raise DocumentRejected("This PDF has no pages. " + ACCEPTED)
        if page_count > limits.max_pages_read:
            raise DocumentRejected(
                f"This PDF has {page_count} pages. A CV for this visa should be at most 3 pages; upload your CV only."
            )
        text = _pdf_pages_text(data, reader, page_count)
    except DocumentRejected:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentRejected("This PDF is password-protected. Remove the password and upload it again.") from exc
    except Exception as exc:  # pypdf raises many types on malformed input; all mean "cannot read it"
        logger.info("PDF rejected as unreadable: %s", exc)
        raise DocumentRejected("This PDF is damaged and cannot be read. Export it again and upload it.") from exc
    return text, page_count, False


_BULLET_START = re.compile(r"^(?:[-*\u2022\u25aa\u25cf\u2023\u2043\u2219>]|\d{1,2}[.)])\s")


def unwrap_lines(text: str) -> str:
    """Re-join lines a PDF wrapped at the page margin, so each bullet or sentence is on one line again.

    A line continues the previous one when that one ran to (nearly) full width or the new line starts in
    lower case, and neither is a bullet, a heading or the end of a sentence.
    """
    lines = [line.strip() for line in text.split("\n")]
    widths = sorted(len(line) for line in lines if line)
    full_width = widths[int(len(widths) * 0.9)] if widths else 0
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        continues = (
            previous
            and line
            and not _BULLET_START.match(line)
            and not line.isupper()
            and not previous.isupper()
            and not is_heading(line)
            and not is_heading(previous)
            and not ENDS_WITH_DATE.search(previous)
            and not previous.endswith((".", "!", "?", ":"))
            and (line[0].islower() or len(previous) >= 0.8 * full_width)
        )
        if continues:
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _extract_docx(data: bytes) -> tuple[str, int, bool]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on broken files
        logger.info("DOCX rejected as unreadable: %s", exc)
        raise DocumentRejected("This Word document is damaged and cannot be opened. " + ACCEPTED) from exc

    lines: list[str] = []
    # Headers usually hold the applicant's name and links: keep the first section's header.
    if document.sections:
        lines.extend(p.text for p in document.sections[0].header.paragraphs if p.text.strip())
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    text = "\n".join(lines)
    return text, _estimate_docx_pages(data, document, text), True


def _table_lines(table) -> list[str]:
    """One line per table row, cells joined with ' | '; merged cells (same object repeated) only once.

    A row whose cells hold whole sections (a two-column CV template built as a layout table: three or more
    paragraphs in a cell) is read cell by cell instead, one line per paragraph, so the columns stay apart.
    """
    from docx.table import Table

    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        layout = any(sum(1 for p in cell.paragraphs if p.text.strip()) >= LAYOUT_CELL_PARAGRAPHS for cell in cells)
        joined = []
        for cell in cells:
            parts = []
            for inner in cell.iter_inner_content():
                if isinstance(inner, Table):
                    lines.extend(_table_lines(inner))
                elif inner.text.strip():
                    parts.append(inner.text.strip())
            if layout:
                lines.extend(parts)
            elif parts:
                joined.append(" ".join(parts))
        if joined:
            lines.append(" | ".join(joined))
    return lines


def _estimate_docx_pages(data: bytes, document, text: str) -> int:
    """Best available page estimate: Word's own count in docProps/app.xml, page breaks, or word count."""
    app_pages = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "docProps/app.xml" in archive.namelist():
                match = re.search(rb"<(?:\w+:)?Pages>(\d+)</", archive.read("docProps/app.xml"))
                app_pages = int(match.group(1)) if match else 0
    except (zipfile.BadZipFile, KeyError):
        app_pages = 0
    body = document.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    hard_breaks = sum(1 for br in body.iter(f"{w}br") if br.get(f"{w}type") == "page")
    rendered_breaks = sum(1 for _ in body.iter(f"{w}lastRenderedPageBreak"))
    by_words = math.ceil(len(text.split()) / WORDS_PER_PAGE)
    return max(1, app_pages, hard_breaks + 1, rendered_breaks + 1, by_words)


def _extract_txt(data: bytes) -> tuple[str, int, bool]:
    text = data.decode("utf-8-sig")
    pages = max(math.ceil(len(text.split()) / WORDS_PER_PAGE), math.ceil(len(text.splitlines()) / LINES_PER_PAGE), 1)
    return text, pages, True
