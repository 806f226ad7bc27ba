"""The one I/O boundary: tables, engine factory, migrations and repository functions."""

from certprep.store.engine import make_engine, write_transaction
from certprep.store.migrate import upgrade

__all__ = ["make_engine", "upgrade", "write_transaction"]
