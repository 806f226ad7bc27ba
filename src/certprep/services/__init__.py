"""The one place where transactions open. Every state change of certprep goes through here.

One module per area (content, accounts, exams, ...); each function takes the application object
and explicit ``now`` (and ``rng`` where chance is involved) and opens its own transaction.
"""

from certprep.services.content import local_user, sync_content

__all__ = ["local_user", "sync_content"]
