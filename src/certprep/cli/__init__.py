"""Command-line interface over the same services as the web app."""
