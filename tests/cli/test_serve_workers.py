"""`pamtps serve --workers N`: several server processes need PostgreSQL; SQLite is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pamtps.cli import app
from pamtps.settings import get_settings


def test_sqlite_refuses_more_than_one_server_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite, `serve --workers 2` exits 1 before serving, saying why and what to do."""
    monkeypatch.setenv("PAMTPS_DATABASE_URL", f"sqlite:///{tmp_path / 'pamtps.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", "1"])
    assert result.exit_code == 1
    assert "--workers 2: SQLite takes one server process" in result.output
    assert "PAMTPS_DATABASE_URL" in result.output
    assert not (tmp_path / "checkpoint").exists()


def test_a_worker_count_out_of_range_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--workers 0 is a usage error naming the option."""
    monkeypatch.setenv("PAMTPS_DATABASE_URL", f"sqlite:///{tmp_path / 'pamtps.db'}")
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output
