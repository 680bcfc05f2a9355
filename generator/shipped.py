"""Where the generator's own templates are: package data of an installed copy
(`generator/templates`, mapped from `templates/` by setup.py), else the source
tree's `templates/` (a checkout, or an editable install)."""

from __future__ import annotations

from pathlib import Path

GENERATOR = Path(__file__).resolve().parent
_INSTALLED = GENERATOR / "templates"
TEMPLATES = _INSTALLED if _INSTALLED.is_dir() else GENERATOR.parent / "templates"
