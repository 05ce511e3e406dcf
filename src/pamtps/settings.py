"""One typed settings object, read from the environment (prefix ``PAMTPS_``) and checked at start.

A bad value fails here, when the settings are built, rather than later in the middle of a run.
"""

from __future__ import annotations

import enum
import secrets
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEV_SECRET_PREFIX = "dev-insecure-"
"""Starts the random secret made up when none is set; refused outside development."""

MIN_SECRET_LENGTH = 32

# SQLAlchemy's own default driver for postgresql:// is psycopg2, which PamTPS does not install.
_DRIVERS = {
    "sqlite": "sqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def default_data_dir() -> Path:
    """The per-user data folder, e.g. ``~/.local/share/pamtps`` on Linux."""
    return Path(user_data_dir("pamtps", appauthor=False))


def normalize_database_url(url: str) -> str:
    """The URL with its driver made explicit; raises ValueError unless SQLite or PostgreSQL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError("not a database URL (e.g. sqlite:///pamtps.db)") from None
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database {parsed.drivername!r}: use sqlite:// or postgresql+psycopg://"
        )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _dev_secret() -> SecretStr:
    return SecretStr(DEV_SECRET_PREFIX + secrets.token_urlsafe(32))


def _kept_dev_secret(data_dir: Path, fresh: SecretStr) -> SecretStr:
    """The development secret kept in the data folder, so that QR codes printed by one run
    still verify in the next; made (from ``fresh``) on first use."""
    path = data_dir / "dev-secret.key"
    try:
        return SecretStr(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fresh.get_secret_value(), encoding="utf-8")
        path.chmod(0o600)
        return fresh


class Settings(BaseSettings):
    """Everything PamTPS reads from its environment.

    Fields are validated in the order written: ``database_url`` defaults to a file in
    ``data_dir``, and ``secret_key`` is checked against ``environment``.
    """

    model_config = SettingsConfigDict(env_prefix="PAMTPS_", frozen=True, extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = Field(default="", validate_default=True)
    secret_key: SecretStr = Field(default_factory=_dev_secret, validate_default=True)
    # The command service (pamtps serve): how long a login lasts, and when to lock an account.
    session_hours: float = Field(default=14, gt=0)
    # A KPPS chair or Pengawas TPS logs in once, by his invite code, and must still be in when
    # the boxes are handed over in the night after counting: his session outlasts the day.
    liaison_session_hours: float = Field(default=48, gt=0)
    device_token_days: float = Field(default=7, gt=0)
    lockout_attempts: int = Field(default=5, ge=1)
    lockout_minutes: float = Field(default=15, gt=0)
    # The dashboard's map is drawn on the bundled kecamatan and desa boundaries, so it works on
    # a closed network; a deployment with its own tile server may add it as the base layer
    # ("https://tiles.example/{z}/{x}/{y}.png"). Empty: no tiles, and no request leaves the site.
    tile_url: str = ""
    tile_attribution: str = ""

    @field_validator("data_dir")
    @classmethod
    def _expand_data_dir(cls, data_dir: Path) -> Path:
        return data_dir.expanduser()

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, url: str, info: ValidationInfo) -> str:
        if not url:
            data_dir = info.data.get("data_dir")
            if data_dir is None:  # data_dir failed its own check, which pydantic reports
                return url
            url = f"sqlite:///{data_dir / 'pamtps.db'}"
        return normalize_database_url(url)

    @field_validator("tile_url")
    @classmethod
    def _check_tile_url(cls, url: str) -> str:
        if url and not all(part in url for part in ("{z}", "{x}", "{y}")):
            raise ValueError("a tile URL needs {z}, {x} and {y}, e.g. https://host/{z}/{x}/{y}.png")
        return url

    @field_validator("secret_key")
    @classmethod
    def _check_secret_key(cls, secret: SecretStr, info: ValidationInfo) -> SecretStr:
        if info.data.get("environment", Environment.DEVELOPMENT) is Environment.DEVELOPMENT:
            data_dir = info.data.get("data_dir")
            if secret.get_secret_value().startswith(DEV_SECRET_PREFIX) and data_dir is not None:
                return _kept_dev_secret(data_dir, secret)
            return secret
        value = secret.get_secret_value()
        if value.startswith(DEV_SECRET_PREFIX) or len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"set PAMTPS_SECRET_KEY to a random value of at least {MIN_SECRET_LENGTH} "
                "characters outside development"
            )
        return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; ``get_settings.cache_clear()`` re-reads them."""
    return Settings()
