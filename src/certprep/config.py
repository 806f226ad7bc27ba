"""Settings: read once from the environment (``CERTPREP_*``) and passed explicitly."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Any

from platformdirs import user_data_path
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["LOOPBACK_HOST_NAMES", "Settings", "default_data_dir", "is_loopback", "is_wildcard"]

# The Host header values every server accepts: the names of this machine's loopback interface.
LOOPBACK_HOST_NAMES = ("localhost", "127.0.0.1", "[::1]")

# A host name ("certprep.example.org"), a domain pattern ("*.example.org"), "*" (any), an IPv4
# address or a bracketed IPv6 address; no port, scheme or path (the Host header's port is ignored).
_ALLOWED_HOST = re.compile(r"^(\*|(\*\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?|\[[0-9a-f:.]+\])$")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere: treat it as public


def is_wildcard(host: str) -> bool:
    """True for an address that listens on every interface (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _host_header_name(host: str) -> str:
    """How clients name ``host`` in a Host header: an IPv6 address in brackets, lower case."""
    host = host.strip().lower()
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            return f"[{host.strip('[]')}]"
    except ValueError:
        pass
    return host


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
    pack_path: Path | None = Field(
        default=None, description="The base content pack's folder, in place of the bundled pack (a fork of it)."
    )
    packs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="More content packs served beside the base pack (folders, separated by the system's path "
        "separator, ':' on Linux and macOS, in the environment). A pack with errors is refused with its errors; "
        "the others are served (docs/content-format.md#several-packs).",
    )
    team_pack: Path | None = Field(
        default=None,
        description="The team pack: the writable pack folder that admins add uploaded questions to, served "
        "when it exists; default <data_dir>/team-pack.",
    )
    upload_max_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=16 * 1024,
        le=64 * 1024 * 1024,
        description="Largest question file an admin may upload in the web app (the import page).",
    )
    host: str = Field(default="127.0.0.1", description="Address `certprep serve` listens on.")
    port: int = Field(default=8000, description="Port `certprep serve` listens on.")
    desired_retention: float = Field(
        default=0.9, ge=0.7, le=0.99, description="Flashcards: the recall probability FSRS schedules for."
    )
    new_cards_per_day: int = Field(default=20, ge=0, le=1000, description="Flashcards: new cards a day at most.")
    multi_user: bool = Field(
        default=False,
        description="Accounts (sign-in, sign-up, admin role); always on when `host` is not a loopback address.",
    )
    sign_up: bool = Field(default=True, description="With accounts on, anyone who reaches the server may sign up.")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names the web app answers besides the loopback ones and `host` (comma-separated in the "
        "environment); '*.example.org' matches subdomains, '*' any name. Others get 400 (DNS rebinding).",
    )
    max_request_bytes: int = Field(
        default=128 * 1024,
        ge=16 * 1024,
        le=64 * 1024 * 1024,
        description="Largest request body the web app reads; a larger one gets 413 before it is read. The largest "
        "legitimate one, a problem report of 4,000 characters, takes at most 48 kB.",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _parse_allowed_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list | tuple):
            return value
        hosts = [_host_header_name(str(v)) for v in value if str(v).strip()]
        for host in hosts:
            if not _ALLOWED_HOST.match(host):
                raise ValueError(
                    f"{host!r} is not a host name: give a name or address without scheme, port or path "
                    "(e.g. certprep.example.org, *.example.org, 192.168.1.10)"
                )
        return hosts

    @field_validator("packs", mode="before")
    @classmethod
    def _parse_packs(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part.strip()]
        return value

    def team_pack_path(self) -> Path:
        """The team pack's folder (it may not exist yet: the first upload added creates it)."""
        return self.team_pack or self.data_dir / "team-pack"

    def extra_pack_paths(self) -> list[Path]:
        """The packs served beside the base pack, in order: ``packs``, then the team pack if it exists."""
        team = self.team_pack_path()
        return [*self.packs, *([team] if (team / "pack.yaml").is_file() else [])]

    @model_validator(mode="after")
    def _accounts_off_loopback(self) -> Settings:
        # Local mode trusts whoever can connect; only this machine can when the host is loopback.
        if not is_loopback(self.host):
            self.multi_user = True
        return self

    def trusted_hosts(self) -> list[str]:
        """Every Host header name the web app answers: loopback names, ``host`` unless it is a
        wildcard address, and ``allowed_hosts`` (docs/security.md, "Host names")."""
        hosts = [*LOOPBACK_HOST_NAMES]
        if not is_wildcard(self.host):
            hosts.append(_host_header_name(self.host))
        hosts += self.allowed_hosts
        return list(dict.fromkeys(hosts))

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'certprep.sqlite3'}"
