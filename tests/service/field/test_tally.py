"""Police must not record vote counts: payloads carrying tallies are found, however nested."""

from __future__ import annotations

import pytest

from pamtps.ops.field.tally import find_tallies


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "penghitungan_selesai", "suara": 120},
        {"votes": {"01": 40, "02": 80}},
        {"perolehan": []},
        {"hasil": "selesai"},
        {"suara_sah": 210, "suara_tidak_sah": 4},
        {"extra": {"detail": [{"paslon": "01", "jumlahSuara": 77}]}},
        {"tally": 1},
        {"VoteCount": 12},
        {"note": "paslon 01: 120, paslon 02: 98"},
        {"note": "sudah dihitung, 120 suara untuk 01"},
    ],
    ids=[
        "suara",
        "votes",
        "perolehan",
        "hasil",
        "suara_sah",
        "nested",
        "tally",
        "camel",
        "text",
        "text-count",
    ],
)
def test_a_payload_with_vote_counts_is_found(payload: dict) -> None:
    """Any key or text naming a count, at any depth, is reported with its path."""
    assert find_tallies(payload)


def test_the_nested_path_is_named() -> None:
    """The path says where the tally sits, so the refusal can point at it."""
    assert find_tallies({"a": [{"b": {"suara_sah": 1}}]}) == ["$.a[0].b.suara_sah"]


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "pemungutan", "note": "antrean panjang, pemungutan suara dimulai 07:15"},
        {"method": "gps", "lat": -4.1, "lng": 104.1},
        {"phase": "bertugas", "at": "2024-02-14T06:55:00+07:00"},
        {},
    ],
    ids=["note", "gps", "phase", "empty"],
)
def test_ordinary_field_reports_pass(payload: dict) -> None:
    """Check-ins, phases and a note that mentions voting without a count are not tallies."""
    assert find_tallies(payload) == []
