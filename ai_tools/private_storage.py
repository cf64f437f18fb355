"""Where uploaded CVs live: a storage for private files, never reachable through MEDIA_URL.

The class comes from settings.AI_PRIVATE_STORAGE_BACKEND. The default keeps files on local disk at
PRIVATE_MEDIA_ROOT and refuses to produce URLs, so the only way to a file is the permission-checked
download view. With CLOUDINARY_URL set the default is core.media_storage.CloudinaryPrivateStorage:
Cloudinary *authenticated* assets, delivered only through short-lived signed URLs that the download
view hands out after the same permission check.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.module_loading import import_string


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk outside MEDIA_ROOT, with no public URL."""

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("base_url", None)
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location or settings.PRIVATE_MEDIA_ROOT, **kwargs)

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through a permission-checked view.")


def private_storage() -> Storage:
    """A storage instance built from current settings (cheap; read each time so tests can override them)."""
    return import_string(settings.AI_PRIVATE_STORAGE_BACKEND)()
