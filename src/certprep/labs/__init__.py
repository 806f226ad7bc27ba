"""Hands-on labs: a catalogue read from the content pack, workspaces, and checks run in a subprocess.

A lab is a folder of the pack's ``labs/`` (docs/labs.md): ``lab.yaml``, a README template, starter
files, a seeded data generator, checks, a reference solution and typical wrong solutions. The
catalogue needs nothing beyond the core app; starting and checking a lab needs the ``labs`` extra.
"""

from certprep.labs.catalog import Lab, LabError, find_lab, load_labs
from certprep.labs.extra import INSTALL_HINT, LabsExtraMissing, missing_modules, require_extra

__all__ = [
    "INSTALL_HINT",
    "Lab",
    "LabError",
    "LabsExtraMissing",
    "find_lab",
    "load_labs",
    "missing_modules",
    "require_extra",
]
