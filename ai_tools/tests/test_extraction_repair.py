"""Text clean-up, glued-word repair, unreadable-text detection and the glyph layout, on small hand-made inputs."""

import io

import pytest

from ai_tools.documents import UploadLimits, extract_document, pdf_layout
from ai_tools.documents.text_repair import (
    QUALITY_GOOD,
    QUALITY_REPAIRED,
    QUALITY_UNREADABLE,
    REPAIRED_WARNING,
    UNREADABLE_WARNING,
    assess_text,
    normalise_text,
    repair_pdf_text,
)

LIMITS = UploadLimits()

CV_LINES = [
    "Adaeze Okafor",
    "Staff Software Engineer, London",
    "EXPERIENCE",
    "Staff Software Engineer, Lumen Pay",
    "Led the platform migration of the double-entry ledger from a monolith to fourteen services.",
    "Designed the payments interface now used by all nine product teams across the company.",
    "Reduced failed card payments by thirty one percent for two million customers in one year.",
    "Senior Software Engineer, Lumen Pay",
    "Built real-time fraud scoring for faster payments, blocking three million pounds of fraud.",
    "TALKS",
    "QCon London 2024: moving money safely, a ledger migration without downtime.",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sep. 2023\u00adMar. 2024", "Sep. 2023 – Mar. 2024"),
        ("Sep. 2023 \u00ad Present", "Sep. 2023 – Present"),
        ("2019–now", "2019 – now"),
        ("Jan 2015 -- Feb 2019", "Jan 2015 – Feb 2019"),
        ("07/2012 - 02/2017", "07/2012 – 02/2017"),
        ("2019\u22122021", "2019 – 2021"),
        ("2016\u20122020", "2016 – 2020"),
        ("infor\u00admation systems", "information systems"),
        ("e\u2011commerce", "e-commerce"),
        ("CVE-2023-41164", "CVE-2023-41164"),
        ("+44 20 7946-0000", "+44 20 7946-0000"),
        ("cold start from 3.2 s to 1.1 s", "cold start from 3.2 s to 1.1 s"),
        ("ﬁnance  team\r\n\r\n\r\n\r\nnext", "finance team\n\nnext"),
        ("Healthwise, LondonJul 2023 – Present", "Healthwise, London Jul 2023 – Present"),
        ("Remarch 2020 at Marchmont", "Remarch 2020 at Marchmont"),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cut infer-\nence cost", "cut inference cost"),
        ("Long-\nContext Transformers", "Long-Context Transformers"),
        ("the Epic EHR and e-\nprescribing roll-out", "the Epic EHR and e-prescribing roll-out"),
        ("(cid:127) Built the service", "\u2022 Built the service"),
        ("\uf0b7 Led the ward", "\u2022 Led the ward"),
        ("for 2.4 million customers.EXPERIENCE", "for 2.4 million customers.\nEXPERIENCE"),
        ("Software Engineer Sep. 2023 Present", "Software Engineer Sep. 2023 – Present"),
        ("Intern Sep. 2022 Mar. 2023", "Intern Sep. 2022 – Mar. 2023"),
        ("Mentor · Django Girls", "Mentor · Django Girls"),
    ],
)
def test_repair_pdf_text(raw, expected):
    assert repair_pdf_text(raw) == expected


def test_good_text_takes_the_cheap_path():
    result = assess_text("\n".join(CV_LINES), is_pdf=True)
    assert (result.quality, result.warnings, result.word_share) == (QUALITY_GOOD, (), None)


def test_glued_words_are_repaired_and_said_so():
    glued = "\n".join(line.replace(" ", "") if len(line) > 60 else line for line in CV_LINES)
    result = assess_text(glued, is_pdf=True)
    assert result.quality == QUALITY_REPAIRED
    assert result.warnings == (REPAIRED_WARNING,)
    assert result.glued_repaired >= 4
    assert "Led the platform migration of the double-entry ledger from a monolith" in result.text
    assert "Reduced failed card payments by thirty one percent" in result.text


def test_glued_repair_leaves_links_alone():
    glued = "\n".join(line.replace(" ", "") if len(line) > 60 else line for line in CV_LINES)
    result = assess_text(glued + "\ngithub.com/adaeze/doubleentryledgerforpayments", is_pdf=True)
    assert result.quality == QUALITY_REPAIRED
    assert result.text.endswith("github.com/adaeze/doubleentryledgerforpayments")


def test_text_from_a_font_without_a_unicode_map_is_unreadable():
    # What a PDF whose fonts map glyphs to the wrong codes gives: every letter shifted.
    shifted = "\n".join("".join(chr(ord(c) + 3) if c.isalpha() else c for c in line) for line in CV_LINES)
    result = assess_text(shifted * 3, is_pdf=True)
    assert result.quality == QUALITY_UNREADABLE
    assert result.warnings == (UNREADABLE_WARNING,)


def test_docx_and_txt_are_never_rewritten():
    glued = "Ledtheplatformmigrationofthedoubleentryledger Builtrealtimefraudscoringforfasterpayments"
    assert assess_text(glued, is_pdf=False).text == glued


# --- PDFs drawn glyph by glyph ------------------------------------------------------------------


def _pdf(
    rows: list[tuple[float, float, str, str]], *, word_gap_em: float | None = None, char_space: float = 0
) -> bytes:
    """A one-page PDF; rows are (x, y, text, align). With word_gap_em, every glyph is placed on its own and
    words are separated only by that gap (no space characters), as design tools do."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for x, y, text, align in rows:
        if align == "right":
            x -= stringWidth(text, "Helvetica", 10)
        obj = pdf.beginText()
        obj.setFont("Helvetica", 10)
        if word_gap_em is None:
            obj.setCharSpace(char_space)
            obj.setTextOrigin(x, y)
            obj.textOut(text)
        else:
            cursor = x
            for char in text:
                if char == " ":
                    cursor += word_gap_em * 10
                    continue
                obj.setTextOrigin(cursor, y)
                obj.textOut(char)
                cursor += stringWidth(char, "Helvetica", 10)
        pdf.drawText(obj)
    pdf.save()
    return buffer.getvalue()


def _rows(lines, x=50, top=780):
    return [(x, top - 14 * i, line, "left") for i, line in enumerate(lines)]


def test_narrow_word_gaps_without_space_characters_become_spaces():
    doc = extract_document(_pdf(_rows(CV_LINES), word_gap_em=0.09), limits=LIMITS)
    assert doc.quality == QUALITY_GOOD
    assert "Led the platform migration of the double-entry ledger" in doc.text


def test_glyphs_with_no_gap_at_all_are_repaired_from_the_text():
    doc = extract_document(_pdf(_rows(CV_LINES), word_gap_em=0.0), limits=LIMITS)
    assert doc.quality == QUALITY_REPAIRED
    assert doc.warnings == (REPAIRED_WARNING,)
    assert "Led the platform migration of the double" in doc.text


def test_letter_spaced_headings_are_not_split_into_letters():
    doc = extract_document(_pdf(_rows(["WORK HISTORY", *CV_LINES[3:]]), char_space=1.5), limits=LIMITS)
    assert doc.text.startswith("WORK HISTORY\n")


def test_right_aligned_dates_stay_on_the_role_line():
    rows = _rows(CV_LINES)
    rows += [(545, 780 - 14 * 3, "Sep. 2021 – Present", "right"), (545, 780 - 14 * 7, "Mar. 2019 – Aug. 2021", "right")]
    text = extract_document(_pdf(rows), limits=LIMITS).text
    assert "Staff Software Engineer, Lumen Pay Sep. 2021 – Present\n" in text
    assert "Senior Software Engineer, Lumen Pay Mar. 2019 – Aug. 2021\n" in text


def test_two_columns_are_not_interleaved():
    left = ["SKILLS", "Python, Go, Kafka", "PostgreSQL, AWS", "AWARDS", "Rising Star 2023", "Finalist 2024"]
    right = CV_LINES[2:9]
    doc = extract_document(_pdf(_rows(left) + _rows(right, x=230)), limits=LIMITS)
    left_text, _, right_text = doc.text.partition("EXPERIENCE")
    # the sidebar's lines may be re-joined where they look wrapped ("Python, Go, Kafka PostgreSQL, AWS")
    assert " ".join(left_text.split()) == " ".join(left)
    assert right_text.split("\n")[1:3] == right[1:3]


def test_unreadable_pdf_is_returned_with_the_warning_not_rejected():
    shifted = ["".join(chr(ord(c) + 3) if c.isalpha() else c for c in line) for line in CV_LINES * 2]
    doc = extract_document(_pdf(_rows(shifted, top=800)), limits=LIMITS)
    assert doc.quality == QUALITY_UNREADABLE
    assert doc.warnings == (UNREADABLE_WARNING,)


def test_pypdf_text_is_used_when_pdfminer_cannot_parse(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("pdfminer choked")

    monkeypatch.setattr(pdf_layout, "pdf_pages_text", broken)
    doc = extract_document(_pdf(_rows(CV_LINES)), limits=LIMITS)
    assert "QCon London 2024" in doc.text
    assert doc.page_count == 1


def test_docx_layout_table_is_read_column_by_column_and_small_tables_row_by_row():
    import docx

    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    side, main = layout.rows[0].cells
    side.paragraphs[0].text = "Skills"
    side.add_paragraph("Python, SQL")
    side.add_paragraph("Languages")
    main.paragraphs[0].text = "Experience"
    main.add_paragraph("Data Scientist, Healthwise")
    main.add_paragraph("Built the triage-risk model.")
    role = document.add_table(rows=1, cols=2)
    role.rows[0].cells[0].paragraphs[0].text = "NLP Research Lead"
    role.rows[0].cells[1].paragraphs[0].text = "Jan 2022 – Present"
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_document(buffer.getvalue(), limits=LIMITS).text
    assert text.split("\n") == [
        "Skills",
        "Python, SQL",
        "Languages",
        "Experience",
        "Data Scientist, Healthwise",
        "Built the triage-risk model.",
        "NLP Research Lead | Jan 2022 – Present",
    ]
