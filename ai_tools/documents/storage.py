"""Server-generated storage names: never derived from the uploaded file name (ASVS 5.3.2)."""

import secrets

from .sniffing import DocumentKind


def new_storage_name(kind: DocumentKind, *, prefix: str = "cv") -> str:
    """A non-guessable relative name such as ``cv/3q2...Zk.pdf`` (256 bits of randomness)."""
    return f"{prefix}/{secrets.token_urlsafe(32)}.{kind.value}"
