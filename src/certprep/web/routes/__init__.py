"""One router per area. Each module has ``router`` and ``TWINS`` (HTML page path -> JSON twin path)."""
