import pytest
from django.urls import reverse

from ai_tools.models import AIRun, CVCorrection, Document
from ai_tools.services import document_delete
from ai_tools.tests.factories import AIRunFactory, DocumentFactory

from .conftest import store
from .helpers import files_mentioning, rows_mentioning

pytestmark = pytest.mark.django_db

SECRET = "Yoyodyne-Propulsion-4411"


def test_document_delete_removes_file_text_and_the_runs_copies(
    private_root, django_capture_on_commit_callbacks, client
):
    name = store("cv/secret.txt", SECRET.encode())
    document = DocumentFactory(storage_name=name, text=f"Worked at {SECRET}")
    CVCorrection.objects.create(document=document, roles=[{"title": SECRET}])
    run = AIRunFactory(user=document.owner, document=document, result={"quote": SECRET}, input={"x": SECRET})
    keep = DocumentFactory(owner=document.owner, storage_name=store("cv/keep.txt", b"keep"))
    client.force_login(document.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ai_tools:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists() and Document.objects.filter(pk=keep.pk).exists()
    assert rows_mentioning(SECRET) == [] and files_mentioning(private_root, SECRET.encode()) == []
    run.refresh_from_db()
    assert run.result is None and run.input == {} and AIRun.objects.filter(pk=run.pk).exists()  # the charge stays


def test_document_delete_is_owner_only(private_root):
    document = DocumentFactory()
    other = DocumentFactory()
    with pytest.raises(Document.DoesNotExist):
        document_delete(user=other.owner, document_id=document.pk)
    assert Document.objects.filter(pk=document.pk).exists()
