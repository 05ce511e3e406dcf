"""`pamtps validate` recomputes a plan's objective from the plan and fails on a mismatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def planned(cli, tmp_path) -> Path:
    """The OKU demo loaded into the database and planned from it (no documents)."""
    assert cli("demo", "--no-plan").exit_code == 0
    out = tmp_path / "plan"
    result = cli("plan", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "plan.json"


def test_validate_passes_the_plan_and_fails_it_once_its_objective_is_edited(
    cli, planned, tmp_path
):
    """The plan as written passes; the same plan with its objective lowered by 1 % exits 1 and
    names the reported and the recomputed objective."""
    result = cli("validate", str(planned))
    assert result.exit_code == 0, result.output
    assert "objective_recomputed" in result.output
    assert "Semua 19 aturan terpenuhi; nilai tujuan sesuai rencana." in result.output
    english = cli("validate", "--lang", "en", str(planned))
    assert "All 19 rules hold; the objective matches the plan." in english.output
    document = json.loads(planned.read_text())
    assert document["source"]["kind"] == "database"  # validate rebuilt it from the database
    reported = document["plan"]["quality"]["objective"]
    document["plan"]["quality"]["objective"] = round(reported * 0.99, 2)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    result = cli("validate", str(edited))
    assert result.exit_code == 1
    assert "Aturan dilanggar: objective_recomputed" in result.output
    assert cli("validate", "--lang", "en", str(edited)).output.count("Rule broken: objective_") == 1
    assert f"reported objective {reported * 0.99:,.2f}" in result.output
    assert "recomputed" in result.output
