"""Build realistic test files (PDF, DOCX, broken ones) in memory from the text fixtures."""

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_BREAK = "\f"


def cv_text(name: str) -> str:
    return (FIXTURES / f"cv_{name}.txt").read_text(encoding="utf-8")


def make_pdf(text: str, *, lines_per_page: int = 60) -> bytes:
    """A text-based PDF like Word's "Save as PDF": wrapped lines, a new page at form feeds or when full."""
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page_index, page in enumerate(text.split(PAGE_BREAK)):
        if page_index:
            pdf.showPage()
        y, used = 800, 0
        for raw in page.strip("\n").split("\n"):
            for line in textwrap.wrap(raw, 95) or [""]:
                if used >= lines_per_page:
                    pdf.showPage()
                    y, used = 800, 0
                pdf.setFont("Helvetica", 10)
                pdf.drawString(50, y, line)
                y -= 13
                used += 1
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf() -> bytes:
    """A valid PDF with only shapes on it: what a scanner produces, minus the photo."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for row in range(40):
        pdf.rect(50, 780 - row * 18, 400 - (row % 7) * 30, 8, fill=1)
    pdf.save()
    return buffer.getvalue()


def make_encrypted_pdf(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(text: str, *, education_as_table: bool = True) -> bytes:
    """A Word CV: headings as bold paragraphs, bullets as list paragraphs, EDUCATION as a two-column table."""
    import docx

    document = docx.Document()
    lines = text.replace(PAGE_BREAK, "").split("\n")
    in_education = False
    table = None
    for line in lines:
        stripped = line.strip()
        if stripped.isupper() and stripped:
            in_education = education_as_table and stripped == "EDUCATION"
            document.add_paragraph().add_run(stripped).bold = True
            continue
        if in_education and " | " in stripped:
            if table is None:
                table = document.add_table(rows=0, cols=2)
            row = table.add_row().cells
            row[0].text, row[1].text = stripped.split(" | ", 1)
            continue
        if stripped.startswith("- "):
            document.add_paragraph(stripped[2:], style="List Bullet")
        else:
            document.add_paragraph(stripped)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip_bomb_docx(expanded_bytes: int = 40 * 1024 * 1024) -> bytes:
    """Looks like a DOCX (right members) but one member inflates to 40 MB of zeros (~40 KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        with archive.open("word/media/padding.bin", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def make_many_members_docx(members: int = 600) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(members):
            archive.writestr(f"word/part{i}.xml", "<x/>")
    return buffer.getvalue()


def make_plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()
