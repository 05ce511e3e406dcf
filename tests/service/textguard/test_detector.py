"""The tally detector on its corpora: every wording refused, no ordinary report refused."""

from __future__ import annotations

import pytest

from pamtps.ops.textguard import find_tally, normalise
from tests.service.textguard.corpus import ORDINARY, TALLIES


def test_the_corpora_are_big_enough() -> None:
    """At least 60 tally wordings and 100 ordinary reports, none in both."""
    assert len(TALLIES) >= 60 and len(ORDINARY) >= 100
    assert not set(TALLIES) & set(ORDINARY)


@pytest.mark.parametrize("text", TALLIES)
def test_every_tally_wording_is_found(text: str) -> None:
    """Each hostile wording (homoglyphs, zero-width, spacing, words) is read as a tally."""
    assert find_tally(text) is not None


def test_no_ordinary_report_is_refused() -> None:
    """0 false refusals on the ordinary corpus (the list names any, for a quick fix)."""
    refused = [(text, find_tally(text)) for text in ORDINARY if find_tally(text)]
    assert refused == []


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("\u0455uara", "suara"),  # Cyrillic s
        ("su\u200bara", "suara"),  # zero-width space
        ("\uff53\uff55\uff41\uff52\uff41", "suara"),  # full width
        ("s u a r a", "suara"),
        ("5uara", "suara"),
        ("seratus dua puluh", "120"),
        ("delapan belas", "18"),
        ("one hundred twenty", "120"),
    ],
)
def test_disguises_are_undone(disguised: str, plain: str) -> None:
    """The normalisation maps each disguise to the plain word the rules read."""
    assert normalise(disguised) == plain


def test_ballot_papers_are_not_votes() -> None:
    """'surat suara kurang 20 lembar' is about paper; '20 suara' is a count."""
    assert find_tally("surat suara kurang 20 lembar") is None
    assert find_tally("kurang 20 suara") is not None
