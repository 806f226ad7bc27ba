"""The content the CLI's commands read: the base pack and the packs served beside it
(`--pack DIR`, repeatable; CERTPREP_PACKS; the team pack), with refused packs reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from certprep.config import Settings
    from certprep.content import Pack
    from certprep.content.packset import RefusedPack

__all__ = ["context_settings", "echo_refused", "load_content"]


def context_settings(ctx: click.Context) -> Settings:
    """The settings of the command line's options (the root group's ``obj``) over the environment."""
    from certprep.config import Settings

    obj = ctx.find_root().obj or {}
    return Settings(**{k: v for k, v in obj.items() if v is not None})


def echo_refused(refused: tuple[RefusedPack, ...]) -> None:
    """Print each refused pack's errors on stderr (the others are served)."""
    for pack in refused:
        click.echo(
            f"error: content pack {pack.root} refused ({len(pack.errors)} error(s)); the others are served:", err=True
        )
        for line in pack.lines():
            click.echo(f"error: {line}", err=True)


def load_content(ctx: click.Context) -> Pack:
    """Load the packs for a command that reads content without the database; a base pack with
    errors is a clear error, a refused extra pack is reported and left out."""
    from certprep.app import load_packs
    from certprep.content import PackError

    try:
        pack, refused = load_packs(context_settings(ctx))
    except PackError as exc:
        for issue in exc.errors:
            click.echo(f"error: {issue}", err=True)
        raise click.ClickException(f"the content pack has {len(exc.errors)} error(s); nothing was loaded") from exc
    echo_refused(refused)
    return pack
