"""The web app: an ASGI app built by a factory over the application object."""

from certprep.web.factory import build_web_app

__all__ = ["build_web_app"]
