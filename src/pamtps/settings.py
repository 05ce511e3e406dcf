"""One typed settings object, read from the environment (prefix ``PAMTPS_``) and checked at start.

A bad value fails here, when the settings are built, rather than later in the middle of a run.
Every variable PamTPS reads is a field of ``Settings``: the service's own at the top, the field
service's (``PAMTPS_FIELD_*``), the incidents' (``PAMTPS_INCIDENT_*``) and the response's
(``PAMTPS_OPS_*``) in three sub-groups, so that one read (``get_settings()``) checks them all.
The README's settings table lists them; tests/test_settings.py keeps the two in step.
"""

from __future__ import annotations

import enum
import re
import secrets
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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

# A database URL as SQLAlchemy reads it: the scheme (letters, digits, _ and +), then maybe a user
# (no : or /) and password (no @) before an @, then the host, maybe [IPv6], and maybe a port.
_SCHEME = re.compile(r"([\w+]+)://")
_USER = re.compile(r"[^:/]*(?::[^@]*)?@")
_PORT = re.compile(r"(?:\[[^\]]*\]|[^:]*):(.*)")


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def default_data_dir() -> Path:
    """The per-user data folder, e.g. ``~/.local/share/pamtps`` on Linux."""
    return Path(user_data_dir("pamtps", appauthor=False))


def normalize_database_url(url: str) -> str:
    """The URL with its driver made explicit; raises ValueError unless SQLite or PostgreSQL.

    Only the scheme is read and rewritten, the rest is kept as written (SQLAlchemy parses it
    when the database is opened): this module stays free of SQLAlchemy, which the store, a
    user of these settings, brings in.
    """
    scheme = _SCHEME.match(url)
    if scheme is None:
        raise ValueError("not a database URL (e.g. sqlite:///pamtps.db)")
    driver = _DRIVERS.get(scheme[1])
    if driver is None:
        raise ValueError(
            f"unsupported database {scheme[1]!r}: use sqlite:// or postgresql+psycopg://"
        )
    rest = url[scheme.end():]
    user = _USER.match(rest)
    host = re.split(r"[/?]", rest[user.end() if user else 0:], maxsplit=1)[0]
    port = _PORT.fullmatch(host)
    if port is not None and not port[1].isdigit():
        raise ValueError(f"not a database URL: the port {port[1]!r} is not a number")
    return f"{driver}://{rest}"


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


class FieldSettings(BaseModel):
    """``PAMTPS_FIELD_*``: the field service's tolerances and its unguarded-TPS watch."""

    model_config = ConfigDict(frozen=True)

    # How far from his TPS an officer may check in by GPS.
    checkin_tolerance_m: float = Field(default=300, gt=0, le=50_000)
    # How long an unguarded TPS waits before the command hears of it; a device's silence.
    escalate_after_min: float = Field(default=30, gt=0)
    silent_after_min: float = Field(default=15, gt=0)
    # The period of the watch round (0: the round never runs).
    watch_interval_s: float = Field(default=30, ge=0)
    # Load shedding: reports waiting for the group-commit writer (queued or being written) in
    # one process beyond which a field write is answered 429 at once rather than queued; the
    # wait (ms) of the oldest of them beyond which the same happens (the count alone does not
    # bound the wait of a slow server); and the Retry-After (seconds) of that answer.
    queue_limit: int = Field(default=256, ge=1, le=100_000)
    queue_wait_ms: float = Field(default=400, gt=0, le=60_000)
    retry_after_s: int = Field(default=2, ge=1, le=300)
    # The door (``pamtps.ops.field.writer.Door``): field write requests one process holds at
    # once (being read, checked, queued or written) at most; one more is answered 429 before
    # its body is read or its sender looked up. The door admits fewer while the admitted ones
    # take longer than the target (ms) from the door to their answer.
    inflight_limit: int = Field(default=64, ge=1, le=100_000)
    inflight_target_ms: float = Field(default=250, gt=0, le=60_000)


class IncidentSettings(BaseModel):
    """``PAMTPS_INCIDENT_*``: response times by severity (minutes), the escalation round's
    period, and the limits on redeeming a liaison's invite code."""

    model_config = ConfigDict(frozen=True)

    respond_rendah_min: float = Field(default=120, gt=0)
    respond_sedang_min: float = Field(default=60, gt=0)
    respond_tinggi_min: float = Field(default=20, gt=0)
    respond_kritis_min: float = Field(default=5, gt=0)
    escalate_interval_s: float = Field(default=30, ge=0)
    # Wrong invite codes (``pamtps.ops.liaison.throttle``), counted in a window: per code (its
    # first half), per client address (generous: a carrier's address is shared by thousands of
    # phones), and in all (the guard against guessing from many addresses).
    redeem_code_attempts: int = Field(default=20, ge=1)
    redeem_address_attempts: int = Field(default=300, ge=1)
    redeem_global_attempts: int = Field(default=3000, ge=1)
    redeem_window_min: float = Field(default=15, gt=0)

    @property
    def response_minutes(self) -> dict[str, float]:
        return {
            "rendah": self.respond_rendah_min,
            "sedang": self.respond_sedang_min,
            "tinggi": self.respond_tinggi_min,
            "kritis": self.respond_kritis_min,
        }


class OpsSettings(BaseModel):
    """``PAMTPS_OPS_*``: the deadlines and periods of dispatch, escort and sitrep.

    The escort deadlines say how long after counting ends the boxes may take to reach the PPS /
    the PPK before the leg is overdue; a fast-forwarded ``pamtps simulate`` divides them by its
    speed (``--speed 120``: 1 and 3).
    """

    model_config = ConfigDict(frozen=True)

    escort_pps_deadline_min: float = Field(default=120, gt=0)
    escort_ppk_deadline_min: float = Field(default=360, gt=0)
    escort_watch_interval_s: float = Field(default=60, ge=0)
    sitrep_interval_s: float = Field(default=3600, ge=0)
    # The size of a squad of the Polres reserve.
    squad_size: int = Field(default=10, ge=1, le=200)


class SmsSettings(BaseModel):
    """``PAMTPS_SMS_*``: the gateway's send API, through which the replies to SMS reports go.

    Empty ``send_url``: replies are kept in the SMS log and the webhook's answer only (no send
    round). "SMS Gateway for Android" takes ``http://<phone>:8080/message`` on its local server
    or ``https://api.sms-gate.app/3rdparty/v1/message`` in its cloud mode, with the username
    and password the app shows (HTTP basic authentication).
    """

    model_config = ConfigDict(frozen=True)

    send_url: str = ""
    send_username: str = ""
    send_password: SecretStr = SecretStr("")
    # The period of the send round, the wait of one request, the first retry's wait (doubled
    # at each attempt, at most half an hour) and the attempts before a reply counts as failed.
    send_interval_s: float = Field(default=5, ge=0)
    send_timeout_s: float = Field(default=10, gt=0, le=120)
    send_retry_s: float = Field(default=30, gt=0, le=3600)
    send_attempts: int = Field(default=8, ge=1, le=100)

    @field_validator("send_url")
    @classmethod
    def _check_send_url(cls, url: str) -> str:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError("the gateway's send API is an http:// or https:// URL")
        return url


class AuditSettings(BaseModel):
    """``PAMTPS_AUDIT_*``: how far the audit chain's checkpoint file may lag behind its head.

    The checkpoint (``pamtps.ops.audit_checkpoint``) is written by a background thread of each
    server process, at most ``checkpoint_lag_ms`` after a commit that appended audit rows, and
    sooner once ``checkpoint_lag_rows`` rows are waiting; 0 ms writes it in the committing
    thread, before the request is answered.
    """

    model_config = ConfigDict(frozen=True)

    checkpoint_lag_ms: float = Field(default=250, ge=0, le=60_000)
    checkpoint_lag_rows: int = Field(default=1000, ge=1, le=1_000_000)


class Settings(BaseSettings):
    """Everything PamTPS reads from its environment.

    Fields are validated in the order written: ``database_url`` defaults to a file in
    ``data_dir``, and ``secret_key`` is checked against ``environment``. A sub-group's
    variables are named by its field: ``field.watch_interval_s`` is
    ``PAMTPS_FIELD_WATCH_INTERVAL_S`` (the nested delimiter ``_``, split once after the group).
    """

    model_config = SettingsConfigDict(
        env_prefix="PAMTPS_", env_nested_delimiter="_", env_nested_max_split=1, frozen=True,
        extra="ignore",
    )

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
    # Failed logins (``pamtps.ops.lockout``): an account is locked for one client address after
    # ``lockout_attempts`` failures from it within ``lockout_minutes``; from all addresses
    # together, past ``login_slow_after`` failures, every try on it only waits ``login_delay_s``.
    lockout_attempts: int = Field(default=5, ge=1)
    lockout_minutes: float = Field(default=15, gt=0)
    login_slow_after: int = Field(default=10, ge=1)
    login_delay_s: float = Field(default=2, ge=0, le=30)
    # The dashboard's map is drawn on the bundled kecamatan and desa boundaries, so it works on
    # a closed network; a deployment with its own tile server may add it as the base layer
    # ("https://tiles.example/{z}/{x}/{y}.png"). Empty: no tiles, and no request leaves the site.
    tile_url: str = ""
    tile_attribution: str = ""
    field: FieldSettings = FieldSettings()
    incident: IncidentSettings = IncidentSettings()
    ops: OpsSettings = OpsSettings()
    sms: SmsSettings = SmsSettings()
    audit: AuditSettings = AuditSettings()

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
