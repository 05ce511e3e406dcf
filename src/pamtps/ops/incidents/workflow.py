"""What an incident is and how it moves: categories, severities, statuses and the legal steps.

Pure rules, no storage. The workflow is ``new -> verified -> handled -> resolved``; a verified or
handled incident may instead be referred: to Bawaslu (election crimes, through Sentra Gakkumdu)
or to the KPU (technical and logistics problems). Resolved and referred incidents are closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from pamtps.ops.errors import ServiceError

BAWASLU, KPU = "bawaslu", "kpu"

# Category -> where it goes if it is referred (a hint for the commander, not a rule).
CATEGORIES: dict[str, str | None] = {
    "late_opening": KPU,
    "logistics_missing": KPU,
    "logistics_damaged": KPU,
    "logistics_swapped": KPU,
    "voter_intimidation": BAWASLU,
    "official_intimidation": BAWASLU,
    "money_politics": BAWASLU,
    "crowd_riot": None,
    "ballot_burning": BAWASLU,
    "box_damage": BAWASLU,
    "flood_disaster": None,
    "power_network_failure": KPU,
    "counting_dispute": BAWASLU,
    "other": None,
}
SEVERITIES = ("rendah", "sedang", "tinggi", "kritis")

NEW, VERIFIED, HANDLED, RESOLVED = "new", "verified", "handled", "resolved"
REFERRED_BAWASLU, REFERRED_KPU = "referred_bawaslu", "referred_kpu"
STATUSES = (NEW, VERIFIED, HANDLED, RESOLVED, REFERRED_BAWASLU, REFERRED_KPU)
OPEN_STATUSES = frozenset({NEW, VERIFIED, HANDLED})
NEXT: dict[str, tuple[str, ...]] = {
    NEW: (VERIFIED,),
    VERIFIED: (HANDLED, REFERRED_BAWASLU, REFERRED_KPU),
    HANDLED: (RESOLVED, REFERRED_BAWASLU, REFERRED_KPU),
    RESOLVED: (),
    REFERRED_BAWASLU: (),
    REFERRED_KPU: (),
}
# How long an incident of each severity may wait for an owner before the command hears of it.
RESPONSE_MINUTES = {"rendah": 120.0, "sedang": 60.0, "tinggi": 20.0, "kritis": 5.0}


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise ServiceError(
            422, "incidents.category_unknown", category=category, categories=", ".join(CATEGORIES)
        )
    return category


def check_severity(severity: str) -> str:
    if severity not in SEVERITIES:
        raise ServiceError(
            422, "incidents.severity_unknown", severity=severity, severities=", ".join(SEVERITIES)
        )
    return severity


def graver(a: str, b: str) -> str:
    """The graver of two severities (a merged report may raise an incident's severity)."""
    return max(a, b, key=SEVERITIES.index)


def check_step(current: str, target: str, owner: str | None) -> None:
    """Raise ServiceError(409) unless ``current -> target`` is a legal step (422 without the
    owner that 'handled' needs)."""
    if target not in STATUSES:
        raise ServiceError(
            422, "incidents.status_unknown", value=target, statuses=", ".join(STATUSES)
        )
    allowed = NEXT[current]
    if target not in allowed:
        key = "incidents.step_refused" if allowed else "incidents.step_closed"
        raise ServiceError(409, key, current=current, target=target, allowed=", ".join(allowed))
    if target == HANDLED and not (owner or "").strip():
        raise ServiceError(422, "incidents.owner_required")


def response_time(severity: str, minutes: Mapping[str, float] | None = None) -> timedelta:
    """How long an incident of this severity may stay without an owner."""
    return timedelta(minutes=(minutes or RESPONSE_MINUTES)[severity])
