"""Problems found in a spec, and the one exception that carries them to the CLI."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located by file, line and JSON pointer."""

    file: str
    line: int
    pointer: str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        rule = f"[{self.rule}] " if self.rule else ""
        message = " ".join(self.message.split())  # always one line
        return f"{self.file}:{self.line}: {self.pointer or '/'}: {rule}{message}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


class GeneratorError(Exception):
    """Raised at the edge of the pipeline when a spec cannot be used."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
