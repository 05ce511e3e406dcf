"""CLI tests run the real commands against the test database."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from pamtps.cli import app
from pamtps.settings import get_settings


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `pamtps ARGS...` with PAMTPS_DATABASE_URL pointing at this test's database."""
    monkeypatch.setenv("PAMTPS_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def oku_loaded_summary() -> dict:
    """What `pamtps summary --json` must say after `pamtps demo`."""
    return {
        "kabupaten": 1,
        "kecamatan": 13,
        "desa": 157,
        "tps": 1225,
        "tps_khusus": 1,
        "polsek": 11,
        "personnel": {"polres": 627, "bko_polri": 59, "brimob": 80, "tni": 30},
    }


def summary_json(cli: Callable[..., Result]) -> dict:
    result = cli("summary", "--json")
    assert result.exit_code == 0, result.output
    data: dict = json.loads(result.stdout)
    return data
