"""Settings: read once from the environment (``CERTPREP_*``) and passed explicitly."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere: treat it as public


def default_data_dir() -> Path:
    """Where certprep keeps its data by default, e.g. ~/.local/share/certprep on Linux."""
    return user_data_path("certprep", appauthor=False)


class Settings(BaseSettings):
    """Every setting certprep reads. docs/configuration.md lists them; a test keeps it true."""

    model_config = SettingsConfigDict(env_prefix="CERTPREP_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="Folder for the SQLite database.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/certprep.sqlite3. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=500,
        description="Database connections each process keeps open; a request that finds them all busy waits "
        "for one (at most 30 s). With PostgreSQL, workers x this must stay below the server's max_connections.",
    )
    pack_path: Path | None = Field(default=None, description="Content pack folder; default the bundled pack.")
    host: str = Field(default="127.0.0.1", description="Address `certprep serve` listens on.")
    port: int = Field(default=8000, description="Port `certprep serve` listens on.")
    desired_retention: float = Field(
        default=0.9, ge=0.7, le=0.99, description="Flashcards: the recall probability FSRS schedules for."
    )
    new_cards_per_day: int = Field(default=20, ge=0, le=1000, description="Flashcards: new cards a day at most.")
    secret_key: str | None = Field(
        default=None, description="Key for signed cookies; default generated and stored in the database."
    )
    multi_user: bool = Field(
        default=False,
        description="Accounts (sign-in, sign-up, admin role); always on when `host` is not a loopback address.",
    )
    sign_up: bool = Field(default=True, description="With accounts on, anyone who reaches the server may sign up.")

    @model_validator(mode="after")
    def _accounts_off_loopback(self) -> Settings:
        # Local mode trusts whoever can connect; only this machine can when the host is loopback.
        if not is_loopback(self.host):
            self.multi_user = True
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'certprep.sqlite3'}"
