"""Incident photos: type-checked by their first bytes, size-limited, kept outside the database.

A photo is stored once as ``<data_dir>/photos/<sha256>.<ext>`` (the same picture sent twice is one
file) and served only through the API, to users who see the incident. The declared content type
is not trusted: only JPEG, PNG and WebP, recognised by their magic bytes, are accepted.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from pamtps.ops.errors import ServiceError
from pamtps.store import Session
from pamtps.store.incidents import incident_photo, photo_count
from pamtps.store.tables.incidents import IncidentPhotoRow, IncidentRow

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 10
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def media_type(data: bytes) -> str | None:
    """The image type of ``data`` by its magic bytes, or None if it is not JPEG, PNG or WebP."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_path(data_dir: Path, sha256: str, kind: str) -> Path:
    return data_dir / "photos" / f"{sha256}.{EXTENSIONS[kind]}"


def save_photo(data_dir: Path, data: bytes) -> tuple[str, str]:
    """Check and store a photo; its SHA-256 and media type. 413 if too big, 415 if no image."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ServiceError(413, "incidents.photo_too_big", limit=MAX_PHOTO_BYTES // (1024 * 1024))
    kind = media_type(data)
    if kind is None:
        raise ServiceError(415, "incidents.photo_type")
    sha256 = hashlib.sha256(data).hexdigest()
    path = photo_path(data_dir, sha256, kind)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    return sha256, kind


def add_photo(
    session: Session, incident: IncidentRow, sha256: str, kind: str, size: int, actor: str,
    now: datetime,
) -> IncidentPhotoRow:
    """Number the stored photo as the incident's next one (at most ``MAX_PHOTOS``)."""
    count = photo_count(session, incident.id)
    if count >= MAX_PHOTOS:
        raise ServiceError(409, "incidents.too_many_photos", limit=MAX_PHOTOS)
    row = IncidentPhotoRow(
        incident_id=incident.id, n=count + 1, sha256=sha256, media_type=kind, size=size,
        uploaded_by=actor, at=now,
    )
    session.add(row)
    incident.updated_at = now
    session.flush()
    return row


def find_photo(session: Session, incident_id: int, n: int) -> IncidentPhotoRow:
    row = incident_photo(session, incident_id, n)
    if row is None:
        raise ServiceError(404, "incidents.photo_not_found", id=incident_id, n=n)
    return row
