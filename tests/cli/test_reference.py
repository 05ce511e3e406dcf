"""The CLI reference in docs/ cannot drift from the commands."""

from __future__ import annotations

from pathlib import Path

from pamtps.cli.reference import render_reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_matches_the_commands():
    """docs/cli.md equals what `python -m pamtps.cli.reference` prints; regenerate it if not."""
    assert DOCS.read_text(encoding="utf-8") == render_reference()
