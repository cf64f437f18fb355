"""Media on Cloudinary, against a local fake API server that the real SDK talks to over HTTP; and the
local-disk default (/media/ served in development only)."""

import io
import re
import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory
from ai_tools.models import Document
from ai_tools.tests.builders import cv_text, make_pdf
from ai_tools.tests.factories import funded_user
from core.media_storage import CloudinaryMediaStorage, CloudinaryPrivateStorage
from expert_marketplace.models import ExpertProfile
from expert_marketplace.tests.factories import ExpertProfileFactory, area, language

from .fake_cloudinary import FakeCloudinary

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloudinary(settings):
    with FakeCloudinary() as fake:
        settings.CLOUDINARY_URL = fake.cloudinary_url
        settings.CLOUDINARY_API_PREFIX = fake.url
        settings.CLOUDINARY_PRIVATE_URL_SECONDS = 300
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "core.media_storage.CloudinaryMediaStorage"},
        }
        settings.AI_PRIVATE_STORAGE_BACKEND = "core.media_storage.CloudinaryPrivateStorage"
        yield fake


def _jpeg(size=900) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), (10, 120, 200)).save(buf, format="JPEG")
    return buf.getvalue()


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_public_storage_uploads_serves_transformed_urls_and_destroys(cloudinary):
    storage = CloudinaryMediaStorage()
    name = storage.save("experts/abc123.jpg", ContentFile(b"jpeg-bytes"))
    assert name == "experts/abc123.jpg"
    assert cloudinary.assets[("image", "upload", "experts/abc123")] == b"jpeg-bytes"

    assert storage.url(name) == "https://res.cloudinary.com/tv-test/image/upload/v1/experts/abc123.jpg"
    assert storage.image_url(name, size=128) == (
        "https://res.cloudinary.com/tv-test/image/upload/c_fill,g_face,h_128,w_128/f_auto,q_auto/v1/experts/abc123"
    )
    storage.delete(name)
    assert ("image", "upload", "experts/abc123") not in cloudinary.assets
    assert [action for action, _ in cloudinary.calls] == ["upload", "destroy"]


def test_an_existing_public_id_is_never_overwritten(cloudinary):
    storage = CloudinaryMediaStorage()
    storage.save("experts/same.jpg", ContentFile(b"first"))
    second = storage.save("experts/same.jpg", ContentFile(b"second"))
    assert second != "experts/same.jpg" and second.startswith("experts/same-") and second.endswith(".jpg")
    assert cloudinary.assets[("image", "upload", "experts/same")] == b"first"


def test_a_wrong_secret_is_refused_by_the_server(cloudinary, settings):
    settings.CLOUDINARY_URL = f"cloudinary://{cloudinary.api_key}:not-the-secret@{cloudinary.cloud_name}"
    with pytest.raises(Exception, match="Invalid Signature"):
        CloudinaryMediaStorage().save("experts/x.jpg", ContentFile(b"x"))
    assert cloudinary.assets == {}


def test_private_storage_has_no_public_url_and_signed_urls_expire(cloudinary):
    storage = CloudinaryPrivateStorage()
    name = storage.save("cv/secret.pdf", ContentFile(b"%PDF-1.4 private"))
    assert cloudinary.assets[("raw", "authenticated", "cv/secret.pdf")] == b"%PDF-1.4 private"
    with pytest.raises(NotImplementedError):
        storage.url(name)
    with storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 private"

    url = storage.signed_url(name, seconds=60)
    assert url.startswith(f"{cloudinary.url}/v1_1/tv-test/raw/download?") and "signature=" in url
    expires_at = int(re.search(r"expires_at=(\d+)", url).group(1))
    assert 55 <= expires_at - time.time() <= 60
    assert _fetch(url) == (200, b"%PDF-1.4 private")
    # Tampering with the id or the expiry breaks the signature; an expired URL is refused.
    assert _fetch(url.replace("cv%2Fsecret.pdf", "cv%2Fother.pdf"))[0] == 401
    assert _fetch(url.replace(f"expires_at={expires_at}", f"expires_at={expires_at + 3600}"))[0] == 401
    expired = storage.signed_url(name, seconds=60).replace(str(expires_at), str(int(time.time()) - 1))
    assert _fetch(expired)[0] == 401

    storage.delete(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name)


def test_round_trip_photo_upload_shows_transformed_urls_on_profile_and_directory(client, cloudinary):
    expert = ExpertProfileFactory(min_notice_hours=0)
    client.force_login(expert.user)
    response = client.post(
        "/expert/profile/",
        {
            "display_name": "Photo Expert",
            "headline": "Headline",
            "bio": "b" * 250,
            "expertise_areas": [area().pk],
            "languages": [language().pk],
            "years_experience": "12",
            "adviser_status": "none",
            "photo": SimpleUploadedFile("selfie.jpg", _jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = ExpertProfile.objects.get(pk=expert.pk)
    public_id = expert.photo.name.rsplit(".", 1)[0]
    uploaded = cloudinary.assets[("image", "upload", public_id)]
    with Image.open(io.BytesIO(uploaded)) as img:
        assert img.size == (512, 512)  # re-encoded and shrunk before upload

    client.logout()
    base = f"https://res.cloudinary.com/tv-test/image/upload/c_fill,g_face,h_{{0}},w_{{0}}/f_auto,q_auto/v1/{public_id}"
    profile = client.get(reverse("experts:detail", args=[expert.slug])).content.decode()
    assert f'src="{base.format(192)}"' in profile  # size-24: 96 CSS px at 2x
    directory = client.get("/experts/").content.decode()
    assert f'src="{base.format(128)}"' in directory  # size-16: 64 CSS px at 2x
    assert "/media/" not in profile + directory


def test_round_trip_private_cv_signed_url_only_for_its_owner(client, cloudinary, django_capture_on_commit_callbacks):
    owner = funded_user(points=10)
    client.force_login(owner)
    pdf = make_pdf(cv_text("strong_talent"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ai_tools:cv_analysis"),
            {"route": "digital_technology", "category_hint": "", "upload": SimpleUploadedFile("cv.pdf", pdf)},
        )
    assert response.status_code == 302
    document = Document.objects.get(owner=owner)
    assert cloudinary.assets[("raw", "authenticated", document.storage_name)] == pdf

    download = client.get(reverse("ai_tools:document_download", args=[document.pk]))
    assert download.status_code == 302 and download["Cache-Control"] == "private, no-store"
    assert download.url.startswith(f"{cloudinary.url}/v1_1/tv-test/raw/download?")
    assert _fetch(download.url) == (200, pdf)

    client.force_login(UserFactory())
    assert client.get(reverse("ai_tools:document_download", args=[document.pk])).status_code == 404
    assert sum(1 for action, _ in cloudinary.calls if action == "download") == 1  # only the owner's fetch


def test_local_media_is_served_by_django_only_when_serve_media_is_on(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "experts").mkdir()
    (tmp_path / "experts" / "p.jpg").write_bytes(b"jpeg")
    settings.SERVE_MEDIA = True
    response = client.get("/media/experts/p.jpg")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpeg"
    assert client.get("/media/../settings.py").status_code in (400, 404)  # never outside MEDIA_ROOT
    settings.SERVE_MEDIA = False
    assert client.get("/media/experts/p.jpg").status_code == 404
