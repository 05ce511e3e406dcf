"""Incident photos: checked by their bytes, capped at 5 MB, stored outside the database."""

from __future__ import annotations

import hashlib
import uuid

from tests.service.incidents.conftest import JPEG, reported, riot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50


def upload(client, headers, incident_id, data, media="image/jpeg"):
    extra = {"Content-Type": media, "Idempotency-Key": str(uuid.uuid4())}
    return client.post(f"/api/v1/incidents/{incident_id}/photos", content=data,
                       headers=headers | extra)


def test_a_photo_is_stored_as_a_file_named_by_its_hash(client, heads, db, people, settings):
    """The photo lies in data_dir/photos/<sha256>.jpg and comes back through the API."""
    incident_id = reported(db, people["liaison"], riot())
    answer = upload(client, heads["kpps.sukamaju"], incident_id, JPEG)
    assert answer.status_code == 201, answer.text
    sha = hashlib.sha256(JPEG).hexdigest()
    assert (settings.data_dir / "photos" / f"{sha}.jpg").read_bytes() == JPEG
    served = client.get(answer.json()["url"], headers=heads["sek.hulu"])
    assert (served.content, served.headers["content-type"]) == (JPEG, "image/jpeg")
    assert upload(client, heads["kpps.sukamaju"], incident_id, PNG).json()["n"] == 2


def test_a_file_that_is_no_image_is_refused_whatever_it_claims(client, heads, db, people):
    """A PDF sent as image/jpeg is refused (415): the type comes from the bytes."""
    incident_id = reported(db, people["liaison"], riot())
    assert upload(client, heads["kpps.sukamaju"], incident_id, b"%PDF-1.7 ...").status_code == 415


def test_a_photo_over_5_mb_is_refused(client, heads, db, people):
    """More than 5 MB: 413, and nothing is stored."""
    incident_id = reported(db, people["liaison"], riot())
    big = JPEG + b"\x00" * (5 * 1024 * 1024)
    assert upload(client, heads["kpps.sukamaju"], incident_id, big).status_code == 413
    detail = client.get(f"/api/v1/incidents/{incident_id}", headers=heads["komandan"]).json()
    assert detail["photos"] == []


def test_photos_are_served_only_to_those_who_see_the_incident(client, heads, db, people):
    """Polsek Hilir does not see a Hulu incident, nor its photos (404)."""
    incident_id = reported(db, people["liaison"], riot())
    url = upload(client, heads["kpps.sukamaju"], incident_id, JPEG).json()["url"]
    assert client.get(url, headers=heads["sek.hilir"]).status_code == 404
    assert upload(client, heads["sek.hilir"], incident_id, JPEG).status_code == 404
