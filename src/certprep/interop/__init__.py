"""Import and export: Anki, iCalendar, CSV/JSON (one module per format)."""
