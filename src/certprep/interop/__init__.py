"""Import and export, one module per format: GIFT, Moodle XML, Aiken, CSV, Markdown, QTI 2.1,
Anki (export through genanki, import through the anki library), iCalendar. ``common`` holds what
they share, ``build`` validates imported items, ``packwrite`` writes them as a pack
(docs/interop.md)."""
