"""Settings: read from PAMTPS_* variables, checked when built."""

import enum
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from pamtps.settings import (
    DEV_SECRET_PREFIX,
    Environment,
    Settings,
    get_settings,
    normalize_database_url,
)

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `(PAMTPS_[A-Z0-9_]+)` \| ([^|]*) \|", re.MULTILINE)


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


def test_a_database_url_keeps_all_but_its_scheme() -> None:
    """The scheme gets its driver; user, password, host, port, path and query stay as written
    (the store parses them), and a port must be a number."""
    url = "postgres://pamtps:a/b@[::1]:5432/pamtps?sslmode=require"
    assert normalize_database_url(url) == url.replace("postgres:", "postgresql+psycopg:")
    with pytest.raises(ValidationError, match="port 'abc' is not a number"):
        Settings(database_url="postgresql://pamtps@db.local:abc/pamtps")


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


def test_the_sub_groups_come_from_their_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """PAMTPS_FIELD_*, PAMTPS_INCIDENT_* and PAMTPS_OPS_* fill the groups of the one object."""
    monkeypatch.setenv("PAMTPS_FIELD_WATCH_INTERVAL_S", "0")
    monkeypatch.setenv("PAMTPS_INCIDENT_RESPOND_KRITIS_MIN", "2.5")
    monkeypatch.setenv("PAMTPS_OPS_SQUAD_SIZE", "2")
    settings = get_settings()
    assert settings.field.watch_interval_s == 0
    assert settings.incident.response_minutes["kritis"] == 2.5
    assert settings.ops.squad_size == 2
    assert settings.ops.sitrep_interval_s == 3600


def test_a_bad_group_value_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A group's bounds are checked when the settings are read, like the others'."""
    monkeypatch.setenv("PAMTPS_OPS_SQUAD_SIZE", "0")
    with pytest.raises(ValidationError, match="squad_size"):
        Settings()


def variables() -> Iterator[tuple[str, FieldInfo]]:
    """Every variable of Settings with its field: the groups' under their own prefix."""
    for name, info in Settings.model_fields.items():
        if isinstance(info.default, BaseModel):
            for sub, sub_info in type(info.default).model_fields.items():
                yield f"PAMTPS_{name}_{sub}".upper(), sub_info
        else:
            yield f"PAMTPS_{name}".upper(), info


def literal(value: object) -> str:
    """A default as the README writes it."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, float | int):
        return f"{value:g}"
    return str(value) or '""'


def test_the_readme_lists_every_variable_with_its_default() -> None:
    """The README's settings table and Settings name the same variables; a literal default
    there (in `code`) is the field's; a default made at start (the data folder, the database
    beside it, the development secret) is described in words instead."""
    table = dict(ROW.findall(README.read_text(encoding="utf-8")))
    fields = dict(variables())
    assert sorted(table) == sorted(fields)
    for name, info in fields.items():
        made = info.default_factory is not None or bool(info.validate_default)
        written = table[name].strip()
        if made:
            assert not written.startswith("`"), name
        else:
            assert written == f"`{literal(info.default)}`", name
