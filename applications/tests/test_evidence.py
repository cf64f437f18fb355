"""Evidence uploads (the CV upload's validation + images), limits, ordering, owner-only downloads."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from ai_tools.documents import DocumentRejected
from ai_tools.tests.builders import make_encrypted_pdf
from applications import services
from applications.models import EvidenceDocument

from .factories import add_document, docx_upload, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def application():
    return services.application_ensure(user=UserFactory())


def test_pdf_docx_and_png_are_accepted_with_page_counts(application, private_root):
    pdf = add_document(application, n=1, pages=2)
    docx = add_document(application, n=2, upload=docx_upload("Keynote at PyCon UK 2024. " * 300))
    png = add_document(application, n=3, upload=png_upload(), is_web_printout=True)
    assert (pdf.kind, pdf.page_count, pdf.pages_estimated) == ("pdf", 2, False)
    assert docx.kind == "docx" and docx.pages_estimated and docx.page_count >= 2
    assert (png.kind, png.page_count, png.text) == ("png", 1, "")
    assert [d.position for d in (pdf, docx, png)] == [1, 2, 3]
    assert len(_files(private_root)) == 3
    assert all(name.startswith("evidence/") for name in (pdf.storage_name, docx.storage_name, png.storage_name))


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("cv.txt", b"Plain text is not accepted as evidence. " * 10), "PDF, a Word document"),
        (SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 200), "Windows program"),
        (SimpleUploadedFile("locked.pdf", make_encrypted_pdf("Secret evidence text. " * 20)), "password"),
        (SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50), "damaged"),
    ],
)
def test_bad_files_are_refused_before_anything_is_stored(application, private_root, upload, message):
    with pytest.raises(DocumentRejected, match=message):
        add_document(application, n=1, upload=upload)
    assert not EvidenceDocument.objects.exists()
    assert _files(private_root) == []


def test_one_document_on_two_criteria_is_refused(application, private_root):
    data = pdf_upload("Keynote at PyCon UK 2024.").read()
    add_document(application, n=1, criterion="MC", upload=SimpleUploadedFile("a.pdf", data))
    with pytest.raises(services.PackError, match="one document may support only one criterion"):
        add_document(application, n=2, criterion="OC2", upload=SimpleUploadedFile("b.pdf", data))  # same file
    with pytest.raises(services.PackError, match="already document #1 \\(MC\\)"):
        add_document(application, n=3, criterion="OC2", upload=pdf_upload("Keynote at PyCon UK 2024."))  # re-exported
    assert EvidenceDocument.objects.count() == 1
    assert len(_files(private_root)) == 1


def test_the_eleventh_document_is_refused_and_its_file_removed(application, private_root):
    for n in range(1, 11):
        add_document(application, n=n)
    with pytest.raises(services.PackError, match="already have 10 documents"):
        add_document(application, n=11)
    assert EvidenceDocument.objects.count() == 10
    assert len(_files(private_root)) == 10


def test_delete_renumbers_and_removes_the_file(application, private_root, django_capture_on_commit_callbacks):
    docs = [add_document(application, n=n) for n in range(1, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(document=docs[0])
    assert list(application.documents.values_list("title", "position")) == [("Evidence 2", 1), ("Evidence 3", 2)]
    assert len(_files(private_root)) == 2


def test_move_swaps_neighbours(application):
    first, second = add_document(application, n=1), add_document(application, n=2)
    services.evidence_move(document=second, offset=-1)
    assert list(application.documents.values_list("title", flat=True)) == ["Evidence 2", "Evidence 1"]
    services.evidence_move(document=first, offset=-1)  # now first: nothing above
    first.refresh_from_db()
    assert first.position == 1


def test_the_engine_suggests_a_criterion_with_its_quote(application):
    doc = services.evidence_add(
        application=application,
        upload=pdf_upload("I mentored twelve students at Code First Girls and organised the London Rust meetup."),
        title="Mentoring programme letter",
        proves="Mentoring and community organising outside my job",
        evidence_date=date(2024, 5, 1),
        source="Code First Girls",
        is_web_printout=False,
    )
    assert doc.criterion == ""  # the user decides
    assert doc.suggestion["criterion"] == "OC2"
    assert "mentored" in doc.suggestion["quote"]
    assert doc.suggestion["quote"] in doc.text


def test_download_is_owner_only(client, application):
    doc = add_document(application, n=1)
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("applications:evidence_download", args=[doc.pk])).status_code == 404
    assert client.get(reverse("applications:evidence_edit", args=[doc.pk])).status_code == 404
    assert client.post(reverse("applications:evidence_delete", args=[doc.pk])).status_code == 404
    assert (
        client.post(reverse("applications:evidence_criterion", args=[doc.pk]), {"criterion": "OC1"}).status_code == 404
    )
    client.force_login(application.owner)
    response = client.get(reverse("applications:evidence_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")


def test_ten_document_pack_exports_with_cover_index_and_every_page(client, application):
    pages = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1]
    criteria = ["MC", "MC", "OC2", "OC2", "OC3", "OC3", "MC", "OC2", "OC3", "OC1"]
    for n, (count, criterion) in enumerate(zip(pages, criteria, strict=True), start=1):
        add_document(application, n=n, pages=count, criterion=criterion, title=f"Evidence {n}")
    services.application_update(application=application, category="talent", first_optional="OC2", second_optional="OC3")
    client.force_login(application.owner)
    response = client.get(reverse("applications:export_pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response)))
    assert len(reader.pages) == sum(pages) + 2
    index = reader.pages[1].extract_text()
    assert "Index by criterion" in index
    assert index.index("Evidence 1") < index.index("Evidence 3") < index.index("Evidence 10")  # MC, OC2..., OC1 last
    first_doc_page = reader.pages[2].extract_text()
    assert "MC · Document 1 · Evidence 1" in first_doc_page  # the running header
    last = reader.pages[-1].extract_text()
    assert "OC1 · Document 10 · Evidence 10" in last

    response = client.get(reverse("applications:export_zip"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == 10
    assert names[0] == "01-MC-evidence-1.pdf"
    assert names[-1] == "10-OC1-evidence-10.pdf"


def test_docx_and_image_are_rendered_into_the_pack(client, application):
    add_document(application, n=1, upload=docx_upload("Keynote at PyCon UK 2024, invited talk. " * 40))
    add_document(application, n=2, upload=png_upload(), is_web_printout=True)
    client.force_login(application.owner)
    reader = PdfReader(io.BytesIO(b"".join(client.get(reverse("applications:export_pdf")))))
    assert len(reader.pages) >= 4
    assert "text of the Word document" in reader.pages[2].extract_text()


def test_another_users_pack_is_never_exported(client, application):
    add_document(application, n=1)
    client.force_login(UserFactory())
    assert client.get(reverse("applications:export_pdf")).status_code == 404  # their own, empty pack
    assert client.get(reverse("applications:export_zip")).status_code == 404
