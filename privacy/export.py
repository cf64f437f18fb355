"""Download my data: a ZIP with one JSON file per section plus the user's own files.

Sections are pluggable: ``register_section(name, fn)`` where ``fn(user) -> list | dict`` returns
JSON-able data, and optionally a ``files(user) -> [(zip_name, storage_name)]`` callable for stored
files to include. The built-in sections are in privacy/sections.py.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ai_tools.private_storage import private_storage


@dataclass(frozen=True)
class Section:
    name: str
    data: Callable[[Any], Any]
    files: Callable[[Any], Iterable[tuple[str, str]]] | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(name: str, fn: Callable[[Any], Any], *, files=None) -> None:
    """Add (or replace) one section of the export: ``<name>.json`` in the ZIP, and its files under files/."""
    _SECTIONS[name] = Section(name=name, data=fn, files=files)


def section_names() -> list[str]:
    return list(_SECTIONS)


def export_build(*, user) -> bytes:
    """The user's data as ZIP bytes: README.txt, one JSON per section, files/<section>/<name>."""
    buffer = io.BytesIO()
    storage = private_storage()
    missing: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in _SECTIONS.values():
            payload = json.dumps(section.data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            archive.writestr(f"{section.name}.json", payload)
            for zip_name, storage_name in section.files(user) if section.files else ():
                try:
                    with storage.open(storage_name, "rb") as handle:
                        archive.writestr(f"files/{section.name}/{zip_name}", handle.read())
                except FileNotFoundError:
                    missing.append(zip_name)
        readme = [
            f"Your TalentVisa data, exported {timezone.now():%Y-%m-%d %H:%M} UTC.",
            "Each .json file is one part of your account; times are UTC (ISO 8601); money is in pence.",
            "files/ holds the files you uploaded.",
        ]
        if missing:
            readme.append("These files could no longer be found: " + ", ".join(missing))
        archive.writestr("README.txt", "\n".join(readme) + "\n")
    return buffer.getvalue()
