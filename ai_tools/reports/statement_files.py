"""The Personal Statement as a Word document and as plain text."""

import io

from ai_tools import rules


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").strip()
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def render_statement_docx(text: str, *, title: str) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for paragraph in _paragraphs(text):
        # Single newlines inside a paragraph are kept as line breaks, as the applicant typed them.
        p = document.add_paragraph()
        for i, line in enumerate(paragraph.split("\n")):
            if i:
                p.add_run().add_break()
            p.add_run(line)
    note = document.add_paragraph()
    run = note.add_run(rules.AI_CONTENT_WARNING)
    run.italic = True
    run.font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_statement_txt(text: str) -> bytes:
    """UTF-8, Unix newlines, one trailing newline."""
    return (text.replace("\r\n", "\n").strip() + "\n").encode("utf-8")
