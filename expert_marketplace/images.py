"""Profile photos: check the bytes really are an image, shrink them, re-encode them.

Re-encoding (rather than keeping the upload) drops EXIF metadata (GPS positions) and anything
smuggled after the image data. The stored name is random, never the uploader's.
"""

from __future__ import annotations

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_SIDE = 512
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def photo_process(upload) -> ContentFile:
    """Return a validated, resized copy of an uploaded photo, or raise ValidationError."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError("The photo is larger than 2 MB. Please choose a smaller file.", code="too_large")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.", code="format")
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError("The photo's dimensions are too large.", code="too_many_pixels")
            probe.verify()  # structural check; the image must be reopened afterwards
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
            img = img.convert("RGBA" if has_alpha else "RGB")
            img.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if has_alpha:
                img.save(out, format="PNG", optimize=True)
                ext = "png"
            else:
                img.save(out, format="JPEG", quality=85, optimize=True)
                ext = "jpg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("That file is not an image we can read.", code="invalid_image") from exc
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(16)}.{ext}")
