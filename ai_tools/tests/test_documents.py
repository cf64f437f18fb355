import io

import pytest

from ai_tools.documents import DocumentKind, DocumentRejected, UploadLimits, extract_document, new_storage_name

from .builders import (
    cv_text,
    make_docx,
    make_encrypted_pdf,
    make_many_members_docx,
    make_pdf,
    make_plain_zip,
    make_scanned_pdf,
    make_zip_bomb_docx,
)

LIMITS = UploadLimits()


def rejected(data) -> str:
    with pytest.raises(DocumentRejected) as info:
        extract_document(data, limits=LIMITS)
    return info.value.message


def test_pdf_text_and_real_page_count():
    doc = extract_document(make_pdf(cv_text("five_pages")), limits=LIMITS)
    assert doc.kind is DocumentKind.PDF
    assert doc.page_count == 5 and doc.pages_estimated is False
    assert "Staff Machine Learning Engineer, Skyscanner" in doc.text
    assert doc.word_count > 150 and len(doc.sha256) == 64


def test_pdf_from_a_file_like_object_gives_the_same_result():
    data = make_pdf(cv_text("strong_talent"))
    assert extract_document(io.BytesIO(data), limits=LIMITS) == extract_document(data, limits=LIMITS)


def test_docx_text_includes_tables_and_pages_are_estimated():
    doc = extract_document(make_docx(cv_text("early_promise")), limits=LIMITS)
    assert doc.kind is DocumentKind.DOCX
    assert doc.pages_estimated is True and doc.page_count >= 1
    assert "Built the card-freeze feature" in doc.text
    # EDUCATION is a table in the DOCX: both cells of a row end up on one line.
    assert "BSc Physics, Universidade de Sao Paulo | 2011 – 2015" in doc.text


def test_txt_is_accepted_and_pages_estimated():
    doc = extract_document(cv_text("consultancy").encode("utf-8"), limits=LIMITS)
    assert doc.kind is DocumentKind.TXT and doc.pages_estimated and doc.page_count == 1


def test_renamed_executable_is_rejected_by_content():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000  # would arrive as "cv.pdf"
    assert "Windows program" in rejected(exe)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        (make_plain_zip(), "not a Word document"),
        ("Jan Kowalski CV".encode("utf-16"), "could not recognise"),
        (bytes(range(256)) * 4, "could not recognise"),
    ],
)
def test_other_types_are_rejected_with_a_reason(data, expected):
    assert expected in rejected(data)


def test_encrypted_pdf_is_rejected():
    assert "password-protected" in rejected(make_encrypted_pdf(cv_text("early_promise")))


def test_corrupt_pdf_is_rejected():
    data = make_pdf(cv_text("early_promise"))
    assert "damaged" in rejected(data[:400])


def test_scanned_pdf_without_text_gets_a_clear_message():
    message = rejected(make_scanned_pdf())
    assert "scanned image" in message and "text-based PDF" in message


def test_zip_bomb_docx_is_rejected_before_it_is_inflated():
    bomb = make_zip_bomb_docx()
    assert len(bomb) < 1024 * 1024  # small on the wire...
    assert "unsafe" in rejected(bomb)  # ...but refused on its declared expansion


def test_docx_total_uncompressed_size_is_capped():
    tight = UploadLimits(docx_max_uncompressed_bytes=5 * 1024, docx_max_compression_ratio=10_000)
    with pytest.raises(DocumentRejected, match="too large once opened"):
        extract_document(make_docx(cv_text("early_promise")), limits=tight)


def test_docx_with_too_many_members_is_rejected():
    assert "too many parts" in rejected(make_many_members_docx())


def test_empty_file_is_rejected():
    assert "empty" in rejected(b"")


def test_oversize_stream_is_rejected_without_reading_it_all():
    class CountingStream(io.BytesIO):
        read_sizes: list[int] = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return super().read(size)

    stream = CountingStream(b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(DocumentRejected, match="larger than 5 MB"):
        extract_document(stream, limits=LIMITS)
    assert stream.read_sizes == [LIMITS.max_bytes + 1]


def test_text_that_is_not_utf8_is_rejected():
    assert "could not recognise" in rejected("Curriculum vitae: Jos\xe9 Mar\xeda".encode("latin-1") * 10)


def test_storage_names_are_random_and_keep_only_the_detected_extension():
    first, second = new_storage_name(DocumentKind.PDF), new_storage_name(DocumentKind.PDF)
    assert first != second and first.startswith("cv/") and first.endswith(".pdf")
    assert len(first) > 40
