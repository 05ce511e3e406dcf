"""Settings: read from PAMTPS_* variables, checked when built."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from pamtps.settings import DEV_SECRET_PREFIX, Environment, Settings, get_settings


def test_the_default_database_is_a_file_in_the_data_folder(tmp_path: Path) -> None:
    """Without PAMTPS_DATABASE_URL the database is pamtps.db in the data folder."""
    assert Settings(data_dir=tmp_path).database_url == f"sqlite:///{tmp_path / 'pamtps.db'}"


def test_settings_come_from_pamtps_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """PAMTPS_DATABASE_URL names the database; a bare postgresql:// URL gets psycopg 3."""
    monkeypatch.setenv("PAMTPS_DATABASE_URL", "postgresql://pamtps:s3cret@db.local/pamtps")
    assert get_settings().database_url == "postgresql+psycopg://pamtps:s3cret@db.local/pamtps"


@pytest.mark.parametrize("url", ["mysql://root@localhost/pamtps", "not a url"])
def test_an_unsupported_database_url_fails_at_start(url: str) -> None:
    """Only SQLite and PostgreSQL URLs are accepted."""
    with pytest.raises(ValidationError, match="database_url"):
        Settings(database_url=url)


def test_an_unknown_environment_fails_at_start() -> None:
    """The environment is development or production, nothing else."""
    with pytest.raises(ValidationError, match="environment"):
        Settings(environment="staging")  # type: ignore[arg-type]


def test_development_makes_up_a_random_secret_and_keeps_it(tmp_path: Path) -> None:
    """Development makes up a secret once per data folder, so printed QR codes stay valid."""
    first = Settings(data_dir=tmp_path / "a").secret_key
    again = Settings(data_dir=tmp_path / "a").secret_key
    other = Settings(data_dir=tmp_path / "b").secret_key
    assert first.get_secret_value().startswith(DEV_SECRET_PREFIX)
    assert first == again
    assert first != other


def test_production_refuses_the_made_up_secret() -> None:
    """Outside development the secret must be set, and long enough."""
    with pytest.raises(ValidationError, match="PAMTPS_SECRET_KEY"):
        Settings(environment=Environment.PRODUCTION)
    with pytest.raises(ValidationError, match="PAMTPS_SECRET_KEY"):
        Settings(environment=Environment.PRODUCTION, secret_key="short")  # type: ignore[arg-type]


def test_production_accepts_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long random PAMTPS_SECRET_KEY is accepted in production."""
    monkeypatch.setenv("PAMTPS_ENVIRONMENT", "production")
    monkeypatch.setenv("PAMTPS_SECRET_KEY", "x" * 40)
    assert get_settings().environment is Environment.PRODUCTION
