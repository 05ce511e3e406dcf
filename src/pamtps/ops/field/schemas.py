"""The request bodies of the field API, kept apart from the tables and the domain types.

Unknown fields are refused, so a phone app cannot slip anything else (say, a tally) through;
every value has a strict type (``pamtps.ops.inputs``): finite coordinates in range, bounded
text without NUL or lone surrogates, times between 2000 and 2100.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pamtps.ops.inputs import KIND_LENGTH, NOTE_LENGTH, Latitude, Longitude, Moment, Text
from pamtps.ops.textguard import FreeText


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: Moment | None = None  # when it happened, by the phone; default: when it arrives


class CheckinIn(_Body):
    """Arrival at the post: by GPS position, or by the QR token of the order sheet."""

    method: Literal["gps", "qr"]
    lat: Latitude | None = None
    lng: Longitude | None = None
    token: Text | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _has_its_proof(self) -> CheckinIn:
        if (self.lat is None) != (self.lng is None):
            raise ValueError("give both lat and lng, or neither")
        if self.method == "gps" and self.lat is None:
            raise ValueError("a GPS check-in needs lat and lng")
        if self.method == "qr" and not self.token:
            raise ValueError("a QR check-in needs the token read from the order sheet")
        return self

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None or self.lng is None else (self.lat, self.lng)


class MovementIn(_Body):
    """A phase other than the arrival: apel, berangkat, bertugas, selesai."""

    phase: Literal["apel", "berangkat", "bertugas", "selesai"]


class StatusIn(_Body):
    """The next step of a TPS's day, with an optional note (never a count)."""

    status: Text = Field(max_length=KIND_LENGTH)
    note: FreeText = Field(default="", max_length=NOTE_LENGTH)


class HeartbeatIn(BaseModel):
    """The phone is alive (and, if it knows, where)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: Latitude | None = None
    lng: Longitude | None = None


class AckIn(_Body):
    """The read receipt of an order (the body may be empty)."""


class BatchItem(BaseModel):
    """One queued single write: its path, its body and (best) its own Idempotency-Key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Text = Field(max_length=200, examples=["/api/v1/checkin"])
    body: dict[str, Any] = {}
    idempotency_key: Text | None = Field(default=None, max_length=200)
    channel: Text | None = Field(
        default=None, max_length=16, examples=["queue"],
        description="'queue' when the phone's offline queue sends it late; 'app' if absent "
        "(or the request's X-PamTPS-Channel header)",
    )


class BatchIn(BaseModel):
    """A phone's queue of field writes, sent in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reports: list[BatchItem] = Field(min_length=1, max_length=500)
