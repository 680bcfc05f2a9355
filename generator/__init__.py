"""A spec-first generator of typed Python API clients.

The pipeline, one module per stage: `load` (YAML with line numbers),
`validate`, `model` (the typed intermediate representation), `render`
(Jinja2), `format` (ruff, in black's style) and `write`; `pipeline` strings them together and
`cli` is the edge where problems become messages and exit codes.
"""
