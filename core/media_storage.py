"""Django storages on Cloudinary, written on the `cloudinary` SDK.

Why not a package: django-cloudinary-storage (the usual choice) had its last release in 2020, is
configured through the pre-5.1 DEFAULT_FILE_STORAGE setting, and has an open report that uploads
silently land on local disk under Django 5.2 (klis87/django-cloudinary-storage#40, maintainer: "no
room to work on it"). The SDK itself is maintained and these two classes are small.

- `CloudinaryMediaStorage` (STORAGES["default"] when CLOUDINARY_URL is set): public images, i.e.
  expert photos. `url()` is the original; `image_url(name, size=...)` is the square crop, sized
  for the page and served as WebP/AVIF where the browser takes it (see `image_url()` below).
- `CloudinaryPrivateStorage` (AI_PRIVATE_STORAGE_BACKEND): CVs and other private documents as
  *authenticated* raw assets. They have no public URL: `signed_url()` returns a download URL
  signed with the API secret that expires after CLOUDINARY_PRIVATE_URL_SECONDS, and only the
  permission-checked download views call it. `open()` fetches through the same kind of URL.

Every call passes the account explicitly (parsed from settings.CLOUDINARY_URL) instead of relying
on the SDK's global config, so the settings (and tests) decide, and CLOUDINARY_API_PREFIX can
point the SDK at another API host (the tests' local fake).
"""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from cloudinary import uploader
from cloudinary import utils as cloudinary_utils
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

REQUEST_TIMEOUT = 30


@dataclass(frozen=True)
class Account:
    cloud_name: str
    api_key: str
    api_secret: str
    upload_prefix: str = ""

    @classmethod
    def from_settings(cls) -> Account:
        url = settings.CLOUDINARY_URL
        if not url:
            raise ImproperlyConfigured("CLOUDINARY_URL is not set.")
        parts = urlsplit(url)
        return cls(
            cloud_name=parts.hostname or "",
            api_key=parts.username or "",
            api_secret=parts.password or "",
            upload_prefix=settings.CLOUDINARY_API_PREFIX.rstrip("/"),
        )

    def options(self) -> dict:
        options = {"cloud_name": self.cloud_name, "api_key": self.api_key, "api_secret": self.api_secret}
        if self.upload_prefix:
            options["upload_prefix"] = self.upload_prefix
        return options


def _split_ext(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, ext.lower()) if dot and "/" not in ext else (name, "")


class _CloudinaryStorage(Storage):
    resource_type = "image"
    delivery_type = "upload"

    def __init__(self):
        self.account = Account.from_settings()

    # Names are random and server-generated (images: secrets.token_urlsafe; documents: 256 bits), so
    # there is nothing to look up: an upload with overwrite=False never replaces an asset, and if one
    # of that name did exist (Cloudinary answers "existing"), _save picks another name.
    def exists(self, name):
        return False

    def _public_id(self, name: str) -> tuple[str, str]:
        """(public_id, format) for a stored name."""
        raise NotImplementedError

    def _save(self, name, content):
        for _ in range(3):
            public_id, fmt = self._public_id(name)
            content.seek(0)
            result = uploader.upload(
                content,
                public_id=public_id,
                resource_type=self.resource_type,
                type=self.delivery_type,
                overwrite=False,
                unique_filename=False,
                use_filename=False,
                timeout=REQUEST_TIMEOUT,
                **self.account.options(),
            )
            if not result.get("existing"):
                return name
            stem, ext = _split_ext(name)
            name = f"{stem}-{secrets.token_urlsafe(4)}" + (f".{ext}" if ext else "")
        raise OSError("Cloudinary kept reporting the name as taken.")

    def delete(self, name):
        if not name:
            return
        public_id, _ = self._public_id(name)
        uploader.destroy(
            public_id,
            resource_type=self.resource_type,
            type=self.delivery_type,
            invalidate=True,
            timeout=REQUEST_TIMEOUT,
            **self.account.options(),
        )

    def size(self, name):
        with self._open(name) as handle:
            return len(handle.read())


@deconstructible
class CloudinaryMediaStorage(_CloudinaryStorage):
    """Public images. Stored names keep their extension (`experts/abc.jpg`); the public id drops it."""

    resource_type = "image"
    delivery_type = "upload"

    def _public_id(self, name):
        return _split_ext(name)

    def url(self, name):
        return self.image_url(name)

    def image_url(self, name: str, *, size: int | None = None) -> str:
        """The delivery URL; with `size`, a face-centred square of size x size pixels, format and quality
        chosen per browser (f_auto, q_auto)."""
        public_id, fmt = self._public_id(name)
        options = {"resource_type": "image", "type": "upload", "secure": True, "cloud_name": self.account.cloud_name}
        if size:
            options["transformation"] = [
                {"width": size, "height": size, "crop": "fill", "gravity": "face"},
                {"fetch_format": "auto", "quality": "auto"},
            ]
        else:
            options["format"] = fmt
        url, _ = cloudinary_utils.cloudinary_url(public_id, **options)
        return url

    def _open(self, name, mode="rb"):
        with urllib.request.urlopen(self.url(name), timeout=REQUEST_TIMEOUT) as response:  # noqa: S310 - https URL we built
            return ContentFile(response.read(), name=name)


@deconstructible
class CloudinaryPrivateStorage(_CloudinaryStorage):
    """Private documents as authenticated raw assets, reachable only through short-lived signed URLs."""

    resource_type = "raw"
    delivery_type = "authenticated"

    def _public_id(self, name):
        return name, ""  # raw assets keep the extension in their public id

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through a permission-checked view.")

    def signed_url(self, name: str, *, seconds: int | None = None, attachment: bool = True) -> str:
        """A download URL signed with the API secret that stops working after `seconds`.

        Call it only after the permission check: whoever holds the URL can fetch the file until it expires.
        """
        seconds = seconds or settings.CLOUDINARY_PRIVATE_URL_SECONDS
        public_id, _ = self._public_id(name)
        return cloudinary_utils.private_download_url(
            public_id,
            "",
            resource_type=self.resource_type,
            type=self.delivery_type,
            expires_at=int(time.time()) + seconds,
            attachment=attachment,
            **self.account.options(),
        )

    def _open(self, name, mode="rb"):
        try:
            with urllib.request.urlopen(self.signed_url(name, seconds=60), timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                return ContentFile(response.read(), name=name)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise FileNotFoundError(name) from exc
            raise


def image_url(fieldfile, *, size: int) -> str:
    """URL of an uploaded image for a square box of `size` CSS pixels: a 2x crop on Cloudinary,
    the stored file (already at most 512 px, see expert_marketplace/images.py) on local disk."""
    storage = fieldfile.storage
    if hasattr(storage, "image_url"):
        return storage.image_url(fieldfile.name, size=size * 2)
    return fieldfile.url


def signed_download_url(storage, name: str) -> str | None:
    """A short-lived signed URL when the private storage delivers that way (Cloudinary), else None."""
    signer = getattr(storage, "signed_url", None)
    return signer(name) if signer else None


__all__ = ["CloudinaryMediaStorage", "CloudinaryPrivateStorage", "image_url", "signed_download_url"]
