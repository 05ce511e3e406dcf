"""Signed check-in tokens: they round-trip, and any change, another key or expiry fails."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pamtps.tokens import TokenError, sign_token, verify_token

KEY = b"k" * 32
WIB = timezone(timedelta(hours=7), "WIB")
EXPIRES = datetime(2024, 2, 15, 23, 59, 59, tzinfo=WIB)
VOTING_MORNING = datetime(2024, 2, 14, 6, 15, tzinfo=WIB)
ALPHABET = string.ascii_letters + string.digits + "-_"


def token() -> str:
    return sign_token(KEY, "85010123", "16.01.20-P03", 4, EXPIRES)


def test_token_round_trips_its_claims() -> None:
    """Verifying a fresh token gives back NRP, post, plan version and expiry."""
    claims = verify_token(KEY, token(), VOTING_MORNING)
    assert (claims.nrp, claims.post_id, claims.plan_version) == ("85010123", "16.01.20-P03", 4)
    assert claims.expires == EXPIRES


def test_token_is_url_safe_and_compact() -> None:
    """Only base64url characters and one dot; short enough for a small QR code."""
    text = token()
    assert set(text) <= set(ALPHABET + ".") and text.count(".") == 1
    assert len(text) < 160


def test_changing_any_character_is_refused() -> None:
    """Every single-character change, in the claims or the signature, fails verification."""
    text = token()
    for position, original in enumerate(text):
        for replacement in ALPHABET:
            if original != "." and replacement != original:
                forged = text[:position] + replacement + text[position + 1 :]
                with pytest.raises(TokenError) as error:
                    verify_token(KEY, forged, VOTING_MORNING)
                assert error.value.reason in ("signature", "malformed")


def test_a_token_of_another_key_is_refused() -> None:
    """A token signed with another operation's key does not verify."""
    with pytest.raises(TokenError, match="signature does not match") as error:
        verify_token(b"x" * 32, token(), VOTING_MORNING)
    assert error.value.reason == "signature"


def test_an_expired_token_is_refused() -> None:
    """At or after its expiry the token is refused, saying when it expired."""
    with pytest.raises(TokenError, match="expired at 2024-02-15T16:59:59") as error:
        verify_token(KEY, token(), EXPIRES)
    assert error.value.reason == "expired"
    assert verify_token(KEY, token(), EXPIRES - timedelta(seconds=1)).nrp == "85010123"


@pytest.mark.parametrize("text", ["", "abc", "abc.", ".abc", "ab.cd.ef", "ab.c\u00e9"])
def test_malformed_tokens_are_refused(text: str) -> None:
    """Garbage is a TokenError, never another exception."""
    with pytest.raises(TokenError):
        verify_token(KEY, text, VOTING_MORNING)


def test_times_without_a_zone_are_refused() -> None:
    """A naive expiry or 'now' would be read in the machine's zone: refuse it."""
    with pytest.raises(ValueError, match="time zone"):
        sign_token(KEY, "1", "P", 1, datetime(2024, 2, 15))
    with pytest.raises(ValueError, match="time zone"):
        verify_token(KEY, token(), datetime(2024, 2, 14))


def test_a_short_secret_is_refused() -> None:
    """A key under 16 bytes is too easy to guess."""
    with pytest.raises(ValueError, match="at least 16 bytes"):
        sign_token(b"short", "1", "P", 1, EXPIRES)


def test_expiry_is_kept_to_the_second_in_utc() -> None:
    """The claims carry the instant, whatever zone it was given in."""
    claims = verify_token(KEY, token(), VOTING_MORNING)
    assert claims.expires.tzinfo == UTC and claims.expires == EXPIRES.astimezone(UTC)
