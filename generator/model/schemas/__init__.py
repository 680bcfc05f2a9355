"""Map JSON Schemas to Python types, collecting the model, enum and alias classes they need.

`core` holds what every kind shares (references, cycles, the cache, names);
`parser` dispatches a schema to its kind: `objects` (models, maps, lists),
`allof`, `unions`, `enums` (and `const`); `defaults` writes default values,
`patterns` checks regular expressions, `keywords` reads what a schema says.
"""

from __future__ import annotations

from .parser import SchemaParser

__all__ = ["SchemaParser"]
